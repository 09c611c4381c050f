package io.switchboard.socket;

/** The socket (or its context) was closed before or during the call. */
public class SocketClosedException extends SwitchboardException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception that names the closed socket. */
  public SocketClosedException(String message) {
    super(message);
  }
}
