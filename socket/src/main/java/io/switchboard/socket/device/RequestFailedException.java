package io.switchboard.socket.device;

import io.switchboard.socket.SwitchboardException;

/** A {@link LazyPirateClient} request got no reply in any of its attempts. */
public final class RequestFailedException extends SwitchboardException {
  private static final long serialVersionUID = 1L;

  private final int attempts;

  /** Creates the exception for a request that was sent {@code attempts} times. */
  public RequestFailedException(String message, int attempts) {
    super(message);
    this.attempts = attempts;
  }

  /** How many times the request was sent. */
  public int attempts() {
    return attempts;
  }
}
