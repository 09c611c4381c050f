package io.switchboard.zmtp;

import io.netty.buffer.ByteBuf;

/**
 * Writes ZMTP frames. Stateless; every method appends to the given buffer.
 *
 * <pre>
 * frame        = short-frame / long-frame
 * short-frame  = flags:1 size:1 body:size         (size 0..255)
 * long-frame   = flags:1 size:8 body:size         (size in network byte order)
 *
 * flags bit 0  MORE     another frame of this message follows
 * flags bit 1  LONG     the size field is 8 octets
 * flags bit 2  COMMAND  a command frame, never part of a message
 * </pre>
 *
 * <p>RFC 23: "The 'more' bit SHALL be zero on command frames."
 */
public final class ZmtpFrames {
  /** Flag bit: more frames of this message follow. */
  public static final int FLAG_MORE = 0x01;
  /** Flag bit: the size field is eight octets long. */
  public static final int FLAG_LONG = 0x02;
  /** Flag bit: the frame is a command. */
  public static final int FLAG_COMMAND = 0x04;
  /** The largest body that fits a short frame. */
  public static final int SHORT_MAX = 255;

  private ZmtpFrames() {}

  /** The number of header octets that precede a body of {@code size} octets. */
  public static int headerLength(long size) {
    return size > SHORT_MAX ? 9 : 2;
  }

  /** Writes the header of a message frame whose body of {@code size} octets the caller writes next. */
  public static void writeHeader(ByteBuf out, long size, boolean more) {
    int flags = more ? FLAG_MORE : 0;
    if (size > SHORT_MAX) {
      out.writeByte(flags | FLAG_LONG);
      out.writeLong(size);
    } else {
      out.writeByte(flags);
      out.writeByte((int) size);
    }
  }

  /** Writes one message frame: header and body. */
  public static void writeFrame(ByteBuf out, byte[] body, boolean more) {
    writeHeader(out, body.length, more);
    out.writeBytes(body);
  }

  /** Writes the header of a command frame whose body of {@code size} octets the caller writes next. */
  public static void writeCommandHeader(ByteBuf out, long size) {
    if (size > SHORT_MAX) {
      out.writeByte(FLAG_COMMAND | FLAG_LONG);
      out.writeLong(size);
    } else {
      out.writeByte(FLAG_COMMAND);
      out.writeByte((int) size);
    }
  }
}
