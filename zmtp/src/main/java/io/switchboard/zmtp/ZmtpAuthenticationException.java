package io.switchboard.zmtp;

/**
 * A server's authenticator refused a peer during the handshake; the peer is told with an ERROR command whose reason
 * is the ZAP status code (RFC 27), and our user sees {@link #getMessage()}.
 */
public class ZmtpAuthenticationException extends ZmtpException {
  private static final long serialVersionUID = 1L;
  private final String statusCode;

  /** A refusal with status code 400 ("authentication failed"). */
  public ZmtpAuthenticationException(String message) {
    this(message, "400");
  }

  /**
   * A refusal with a ZAP status code.
   *
   * @param statusCode "300" (temporary error), "400" (refused) or "500" (internal error), sent to the peer
   */
  public ZmtpAuthenticationException(String message, String statusCode) {
    super(message);
    this.statusCode = statusCode;
  }

  /** The ZAP status code sent to the peer as the ERROR reason. */
  public String statusCode() {
    return statusCode;
  }
}
