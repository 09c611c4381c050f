package io.switchboard.testkit;

import io.switchboard.socket.Message;
import java.time.Duration;

/** One socket of a {@link PeerLibrary}, with the few operations the conformance suite needs. */
public interface PeerSocket extends AutoCloseable {
  /** Binds and returns an endpoint that a peer can connect to. */
  String bind(String endpoint);

  /** Connects. */
  void connect(String endpoint);

  /** Subscribes (SUB only). */
  void subscribe(byte[] prefix);

  /** Sends a whole message. */
  void send(Message message);

  /** Receives a whole message, or returns null after {@code timeout}. */
  Message receive(Duration timeout);

  /** Kills the peer abruptly, as {@code kill -9} would, if it runs in a process of its own. */
  default void kill() {
    throw new UnsupportedOperationException("this peer runs in the test's own process");
  }

  /** Closes the socket. */
  @Override
  void close();
}
