package io.switchboard.bench;

/** A context of either library, with one I/O thread and equal socket options for both. */
interface BenchContext extends AutoCloseable {
  /** Creates a socket; a SUB socket is subscribed to everything. */
  BenchSocket socket(SocketKind kind);

  @Override
  void close();
}
