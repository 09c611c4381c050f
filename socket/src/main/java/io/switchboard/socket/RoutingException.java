package io.switchboard.socket;

/**
 * A message could not be routed: a ROUTER with {@link SocketOptions#routerMandatory()} got an unknown routing id, or
 * a REQ/REP socket was used out of turn.
 */
public class RoutingException extends SwitchboardException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that says what could not be routed. */
  public RoutingException(String message) {
    super(message);
  }
}
