package io.switchboard.gateway;

import io.switchboard.socket.SwitchboardException;

/** The base of the gateway's exceptions: bad configuration, a port that cannot be bound, a failed call. */
public class GatewayException extends SwitchboardException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message that says what went wrong and where. */
  public GatewayException(String message) {
    super(message);
  }

  /** An exception with a message and the cause underneath. */
  public GatewayException(String message, Throwable cause) {
    super(message, cause);
  }
}
