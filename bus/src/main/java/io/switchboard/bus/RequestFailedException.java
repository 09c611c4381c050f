package io.switchboard.bus;

/** A request that got no answer: no handler, a handler that failed, or no reply within its timeout. */
public final class RequestFailedException extends BusException {
  private static final long serialVersionUID = 1L;

  /** A failed request, with the reason. */
  public RequestFailedException(String message) {
    super(message);
  }
}
