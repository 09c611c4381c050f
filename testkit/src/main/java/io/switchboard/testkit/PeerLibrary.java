package io.switchboard.testkit;

import io.switchboard.socket.SocketType;
import java.util.Set;

/** A ZeroMQ implementation that Switchboard is tested against. */
public interface PeerLibrary extends AutoCloseable {
  /** A name for test reports, such as "JeroMQ 0.6.0". */
  String name();

  /** The transports this library can share with Switchboard: a subset of tcp and ipc. */
  Set<String> transports();

  /** Makes a socket; {@code identity} may be empty. */
  PeerSocket socket(SocketType type, byte[] identity);

  /** Releases the library's resources. */
  @Override
  void close();
}
