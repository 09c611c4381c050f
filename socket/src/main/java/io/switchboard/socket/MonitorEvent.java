package io.switchboard.socket;

import java.time.Duration;

/**
 * Something that happened to one of a socket's connections or endpoints.
 *
 * @param type what happened
 * @param endpoint the endpoint it happened on, as bound or connected (for accepted connections, the peer's address)
 * @param detail a human-readable reason (a handshake failure's cause, a disconnect's reason), or empty
 * @param delay for {@link Type#RECONNECT_SCHEDULED}, the delay before the next attempt; otherwise zero
 */
public record MonitorEvent(Type type, String endpoint, String detail, Duration delay) {
  /** The kinds of event. */
  public enum Type {
    /** A bind succeeded and the socket listens. */
    LISTENING,
    /** An outgoing connection was established and its handshake completed. */
    CONNECTED,
    /** An incoming connection was accepted and its handshake completed. */
    ACCEPTED,
    /** A connection was lost or closed. */
    DISCONNECTED,
    /** A connection was closed because the peer broke the protocol or timed out during the handshake. */
    HANDSHAKE_FAILED,
    /** A connection attempt failed. */
    CONNECT_FAILED,
    /** A reconnection attempt is scheduled after {@link MonitorEvent#delay()}. */
    RECONNECT_SCHEDULED,
    /** A peer broke the protocol after the handshake (malformed or oversized frame) and was disconnected. */
    PROTOCOL_ERROR,
    /** The socket was closed. */
    CLOSED
  }

  /** An event with no delay. */
  public static MonitorEvent of(Type type, String endpoint, String detail) {
    return new MonitorEvent(type, endpoint, detail, Duration.ZERO);
  }
}
