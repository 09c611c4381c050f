package io.switchboard.zmtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

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

  /**
   * Whether frames come as buffers, to {@link #onFrame(ByteBuf, boolean)}, rather than as arrays. Asked once, when
   * the decoder is made. Default: arrays.
   */
  default boolean framesAsBuffers() {
    return false;
  }

  /**
   * One message frame as a buffer, when {@link #framesAsBuffers()} says so: a retained slice of what was read, not a
   * copy (a composite of slices when the body spanned reads; a wrapped array after CURVE, which decrypts into one).
   * The listener owns it and must release it. Default: copies it into an array for {@link #onFrame(byte[],
   * boolean)}.
   *
   * @param more whether more frames of the same message follow
   */
  default void onFrame(ByteBuf body, boolean more) {
    byte[] bytes;
    try {
      bytes = ByteBufUtil.getBytes(body);
    } finally {
      body.release();
    }
    onFrame(bytes, more);
  }

  /** One command frame that arrived after the handshake (PING, PONG, SUBSCRIBE, CANCEL, ERROR or unknown). */
  void onCommand(ZmtpCommand command);
}
