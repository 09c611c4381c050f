package io.switchboard.socket;

/** An endpoint is malformed, names an unknown transport, or cannot be bound (address in use, no permission). */
public class EndpointException extends SwitchboardException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message of the form {@code endpoint: value (expected: ...)}. */
  public EndpointException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the cause. */
  public EndpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
