package io.switchboard.bench;

import java.time.Duration;

/**
 * One socket of either library, reduced to what the peers need. Not thread-safe: JeroMQ sockets must stay on the
 * thread that uses them, so every peer creates, uses and closes a socket on one thread.
 */
interface BenchSocket extends AutoCloseable {
  /** Binds and returns the endpoint actually bound; {@code tcp://127.0.0.1:0} picks an ephemeral port. */
  String bind(String endpoint);

  /** Connects; the connection is made in the background. */
  void connect(String endpoint);

  /**
   * Sends a one-frame message: blocks at the high-water mark (PUSH, REQ, REP), drops there (PUB). The caller passes
   * the same array every time and never changes it.
   */
  void send(byte[] payload);

  /** Receives one message and returns the size of its first frame, or -1 if none arrived within {@code timeout}. */
  int receive(Duration timeout);

  /**
   * Receives one message, all its frames, and sends it back as it is (a ROUTER's reply goes to the peer named by the
   * first frame). Returns the size of its last frame, or -1 if none arrived within {@code timeout}.
   */
  int echo(Duration timeout);

  @Override
  void close();
}
