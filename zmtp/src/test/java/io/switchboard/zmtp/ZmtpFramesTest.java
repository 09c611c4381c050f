package io.switchboard.zmtp;

import static io.switchboard.zmtp.RecordingListener.frame;
import static io.switchboard.zmtp.Wire.ascii;
import static io.switchboard.zmtp.Wire.concat;
import static io.switchboard.zmtp.Wire.hex;
import static io.switchboard.zmtp.Wire.sequence;
import static io.switchboard.zmtp.Wire.written;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ZmtpFrames} writes exactly the octets of RFC 23 section "Framing", and the decoder reads them back. */
class ZmtpFramesTest {
  @Test
  void shortFrame() {
    assertThat(written(out -> ZmtpFrames.writeFrame(out, ascii("hello"), false))).isEqualTo(hex("00 05 68656c6c6f"));
  }

  @Test
  void shortFrameWithMore() {
    assertThat(written(out -> ZmtpFrames.writeFrame(out, ascii("hello"), true))).isEqualTo(hex("01 05 68656c6c6f"));
  }

  @Test
  void emptyFrames() {
    assertThat(written(out -> ZmtpFrames.writeFrame(out, new byte[0], false))).isEqualTo(hex("00 00"));
    assertThat(written(out -> ZmtpFrames.writeFrame(out, new byte[0], true))).isEqualTo(hex("01 00"));
  }

  @Test
  void largestShortFrame() {
    byte[] body = sequence(255);
    assertThat(written(out -> ZmtpFrames.writeFrame(out, body, false))).isEqualTo(concat(hex("00 ff"), body));
  }

  @Test
  void smallestLongFrame() {
    byte[] body = sequence(256);
    assertThat(written(out -> ZmtpFrames.writeFrame(out, body, false)))
        .isEqualTo(concat(hex("02 0000000000000100"), body));
    assertThat(written(out -> ZmtpFrames.writeFrame(out, body, true)))
        .isEqualTo(concat(hex("03 0000000000000100"), body));
  }

  @Test
  void headerSizeIsEightOctetsInNetworkByteOrder() {
    assertThat(written(out -> ZmtpFrames.writeHeader(out, 1L << 40, false))).isEqualTo(hex("02 0000010000000000"));
    assertThat(written(out -> ZmtpFrames.writeHeader(out, 0x0102030405060708L, true)))
        .isEqualTo(hex("03 0102030405060708"));
  }

  @Test
  void headerAtTheShortLongBoundary() {
    assertThat(written(out -> ZmtpFrames.writeHeader(out, 0, false))).isEqualTo(hex("00 00"));
    assertThat(written(out -> ZmtpFrames.writeHeader(out, 255, true))).isEqualTo(hex("01 ff"));
    assertThat(written(out -> ZmtpFrames.writeHeader(out, 256, true))).isEqualTo(hex("03 0000000000000100"));
  }

  @Test
  void commandHeaderAtTheShortLongBoundary() {
    assertThat(written(out -> ZmtpFrames.writeCommandHeader(out, 0))).isEqualTo(hex("04 00"));
    assertThat(written(out -> ZmtpFrames.writeCommandHeader(out, 255))).isEqualTo(hex("04 ff"));
    assertThat(written(out -> ZmtpFrames.writeCommandHeader(out, 256))).isEqualTo(hex("06 0000000000000100"));
  }

  @Test
  void headerLengthMatchesWhatIsWritten() {
    for (long size : new long[] {0, 1, 255, 256, 65_536, 1L << 40}) {
      assertThat(ZmtpFrames.headerLength(size)).as("size %d", size)
          .isEqualTo(written(out -> ZmtpFrames.writeHeader(out, size, false)).length)
          .isEqualTo(written(out -> ZmtpFrames.writeCommandHeader(out, size)).length);
    }
  }

  @Test
  void writesAppendToWhatIsInTheBuffer() {
    ByteBuf out = Unpooled.buffer().writeBytes(hex("aabb"));
    try {
      ZmtpFrames.writeFrame(out, ascii("x"), true);
      ZmtpFrames.writeCommandHeader(out, 0);
      assertThat(ByteBufUtil.getBytes(out)).isEqualTo(hex("aabb 01 01 78 04 00"));
    } finally {
      out.release();
    }
  }

  @ParameterizedTest(name = "body of {0} octets")
  @ValueSource(ints = {0, 1, 254, 255, 256, 257, 65_535, 65_536, 1 << 20})
  void frameRoundTrip(int size) {
    byte[] body = sequence(size);
    byte[] wire = concat(Wire.frame(body, true), Wire.frame(body, false));
    assertThat(DecoderHarness.decode(1L << 21, wire)).containsExactly(frame(body, true), frame(body, false));
  }

  @Test
  void messagesAndCommandsRoundTrip() {
    List<Object> sent = List.of(
        frame("", false),
        frame("topic", true), frame(sequence(300), true), frame("", false),
        new ZmtpCommand.Ping(0xffff, sequence(16)),
        new ZmtpCommand.Pong(sequence(16)),
        new ZmtpCommand.Subscribe(ascii("topic")),
        new ZmtpCommand.Cancel(sequence(400)),
        new ZmtpCommand.Error("go away"),
        new ZmtpCommand.Other("X-EXTRA", ascii("data")),
        new ZmtpCommand.Ready(ZmtpMetadata.of(Map.of("Socket-Type", ascii("DEALER")))),
        frame(sequence(255), false));
    byte[] wire = written(out -> {
      for (Object event : sent) {
        if (event instanceof RecordingListener.Frame f) {
          ZmtpFrames.writeFrame(out, f.body(), f.more());
        } else {
          ((ZmtpCommand) event).encode(out);
        }
      }
    });
    RecordingListener.assertEvents(DecoderHarness.decode(1 << 20, wire), sent.toArray());
  }
}
