package io.switchboard.bus;

import io.switchboard.socket.SwitchboardException;

/**
 * The base of every exception the bus throws: usage errors, refused requests, a node that cannot start. A {@link
 * SwitchboardException}, as every protocol and usage error of Switchboard.
 */
public class BusException extends SwitchboardException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message that says what went wrong and where. */
  public BusException(String message) {
    super(message);
  }

  /** An exception with a message and the cause underneath. */
  public BusException(String message, Throwable cause) {
    super(message, cause);
  }
}
