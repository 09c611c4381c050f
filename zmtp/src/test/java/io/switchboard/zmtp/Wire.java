package io.switchboard.zmtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/** Builds and reads raw octets for codec tests. */
final class Wire {
  private Wire() {}

  /** Octets from hex digits; spaces and line breaks are ignored. */
  static byte[] hex(String digits) {
    return ByteBufUtil.decodeHexDump(digits.replaceAll("\\s", ""));
  }

  static String hex(byte[] octets) {
    return ByteBufUtil.hexDump(octets);
  }

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** {@code length} octets counting up from zero, so that misplaced octets show. */
  static byte[] sequence(int length) {
    byte[] octets = new byte[length];
    for (int i = 0; i < length; i++) {
      octets[i] = (byte) i;
    }
    return octets;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** What {@code writer} appends to an empty buffer. */
  static byte[] written(Consumer<ByteBuf> writer) {
    ByteBuf out = Unpooled.buffer();
    try {
      writer.accept(out);
      return ByteBufUtil.getBytes(out);
    } finally {
      out.release();
    }
  }

  /** A message frame as {@link ZmtpFrames#writeFrame} writes it. */
  static byte[] frame(byte[] body, boolean more) {
    return written(out -> ZmtpFrames.writeFrame(out, body, more));
  }

  static byte[] frame(String body, boolean more) {
    return frame(ascii(body), more);
  }

  /** A whole command frame, header and body. */
  static byte[] command(ZmtpCommand command) {
    return written(command::encode);
  }

  /** A greeting as {@link ZmtpGreeting#encode} writes it. */
  static byte[] greeting(int major, int minor, String mechanism) {
    return written(new ZmtpGreeting(major, minor, mechanism, false)::encode);
  }

  /** The readable octets of {@code buf}, which is released. */
  static byte[] drain(ByteBuf buf) {
    try {
      return ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }

  static byte[] range(byte[] octets, int from, int to) {
    return Arrays.copyOfRange(octets, from, to);
  }
}
