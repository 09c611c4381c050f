package io.switchboard.zmtp;

/** A peer broke the ZMTP protocol: bad greeting, bad command, oversized or malformed frame. */
public class ZmtpException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that says what was wrong. */
  public ZmtpException(String message) {
    super(message);
  }
}
