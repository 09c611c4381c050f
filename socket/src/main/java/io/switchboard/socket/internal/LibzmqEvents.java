package io.switchboard.socket.internal;

/** What the socket layer and its libzmq-format monitor agree on. */
public final class LibzmqEvents {
  /** The start of a HANDSHAKE_FAILED event's detail when the authenticator refused the peer. */
  public static final String AUTH_FAILED_PREFIX = "authentication failed: ";

  private LibzmqEvents() {}
}
