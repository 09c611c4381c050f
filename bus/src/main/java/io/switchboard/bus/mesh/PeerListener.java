package io.switchboard.bus.mesh;

import io.switchboard.socket.Message;

/**
 * What a {@link Peer} tells its listeners. Every method runs on the peer's I/O thread, one call at a time and in
 * order; they must return quickly and never block (hand long work to another thread). A listener that throws is
 * logged and the peer carries on.
 */
public interface PeerListener {
  /** The peer listens on {@code endpoint} (as others should dial it). */
  default void onListening(String endpoint) {}

  /**
   * A peer is reachable: its first link is up and messages flow. Called again after each {@link #onDisconnect} when
   * the peer comes back, never for a second link that is dropped as extra.
   */
  default void onConnect(PeerInfo peer) {}

  /** A message from a peer, in the order it sent them, each exactly once. */
  default void onMessage(String from, Message message) {}

  /**
   * The last link to a peer is gone. A kept peer is being redialled (its messages wait); any other is forgotten.
   *
   * @param reason why: {@code "closed by peer"}, {@code "heartbeat timeout"}, {@code "disconnected"}, …
   */
  default void onDisconnect(PeerInfo peer, String reason) {}
}
