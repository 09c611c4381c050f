package io.switchboard.socket;

/** The base of every exception Switchboard throws for a protocol or usage error. Unchecked. */
public class SwitchboardException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message. */
  public SwitchboardException(String message) {
    super(message);
  }

  /** Creates an exception with a message and a cause. */
  public SwitchboardException(String message, Throwable cause) {
    super(message, cause);
  }
}
