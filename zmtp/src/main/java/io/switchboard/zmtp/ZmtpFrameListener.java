package io.switchboard.zmtp;

/**
 * Receives what a {@link ZmtpFrameDecoder} decodes, on the connection's event loop.
 *
 * <p>Implementations must not block: they run on an I/O thread shared with other connections.
 */
public interface ZmtpFrameListener {
  /**
   * One message frame.
   *
   * @param body the frame's body; the listener owns it
   * @param more whether more frames of the same message follow
   */
  void onFrame(byte[] body, boolean more);

  /** One command frame that arrived after the handshake (PING, PONG, SUBSCRIBE, CANCEL, ERROR or unknown). */
  void onCommand(ZmtpCommand command);
}
