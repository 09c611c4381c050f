package io.switchboard.bench;

/**
 * A context of either library, with one I/O thread and equal socket options for both: the high-water mark both ways
 * and a 1 s linger, except that a PUB closes with linger 0. A publisher floods its subscribers until it is stopped,
 * and they are stopping too, so whatever it still queues then would only hold its close() for the whole linger.
 */
interface BenchContext extends AutoCloseable {
  /** Creates a socket; a SUB socket is subscribed to everything. */
  BenchSocket socket(SocketKind kind);

  /**
   * Creates a CURVE socket (RFC 26) with the long-term secret key {@code secretKey} (32 octets; the public key is
   * derived from it): a CURVE server that admits any client if {@code serverPublicKey} is null, otherwise a client of
   * the server with that public key.
   */
  BenchSocket curveSocket(SocketKind kind, byte[] secretKey, byte[] serverPublicKey);

  @Override
  void close();
}
