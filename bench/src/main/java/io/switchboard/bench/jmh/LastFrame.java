package io.switchboard.bench.jmh;

import io.switchboard.zmtp.ZmtpCommand;
import io.switchboard.zmtp.ZmtpFrameListener;

/** Keeps the last decoded body and counts frames since the last {@link #take()}; the codec benchmarks' sink. */
final class LastFrame implements ZmtpFrameListener {
  byte[] last;
  int frames;

  @Override
  public void onFrame(byte[] frame, boolean more) {
    last = frame;
    frames++;
  }

  @Override
  public void onCommand(ZmtpCommand command) {
    throw new IllegalStateException("unexpected command " + command);
  }

  /** The last body, after checking that exactly {@code expected} frames arrived since the last take. */
  byte[] take(int expected) {
    if (frames != expected) {
      throw new IllegalStateException("delivered " + frames + " frames (expected: " + expected + ")");
    }
    return take();
  }

  /** The last body; fails if none arrived since the last take. */
  byte[] take() {
    byte[] frame = last;
    if (frame == null) {
      throw new IllegalStateException("the decoder delivered no frame");
    }
    last = null;
    frames = 0;
    return frame;
  }
}
