package io.switchboard.socket.security;

import io.switchboard.socket.SwitchboardException;

/**
 * A {@link ZapHandler} refused a peer. The peer is told with an ERROR command whose reason is the ZAP status code
 * (RFC 27); our own user sees {@link #getMessage()} in the server socket's {@code HANDSHAKE_FAILED} monitor event.
 */
public class AuthenticationRefusedException extends SwitchboardException {
  private static final long serialVersionUID = 1L;
  private final String statusCode;

  /** A refusal with status code 400 ("authentication failed"). */
  public AuthenticationRefusedException(String message) {
    this(message, "400");
  }

  /**
   * A refusal with a ZAP status code.
   *
   * @param statusCode "300" (temporary error), "400" (refused) or "500" (internal error), sent to the peer
   */
  public AuthenticationRefusedException(String message, String statusCode) {
    super(message);
    if (!statusCode.matches("[345]00")) {
      throw new IllegalArgumentException("statusCode: '" + statusCode + "' (expected: 300, 400 or 500)");
    }
    this.statusCode = statusCode;
  }

  /** The ZAP status code sent to the peer as the ERROR reason. */
  public String statusCode() {
    return statusCode;
  }
}
