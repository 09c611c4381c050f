package io.switchboard.zmtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Seals every outbound ZMTP frame into a CURVE MESSAGE command after the handshake; installed for CURVE connections
 * only. It accepts the same octets as the plain path (headers and bodies in any split across buffers, many frames
 * per buffer), so the writers above it do not know about CURVE.
 *
 * <pre>
 * in:   frame = flags:1 size:1|8 body           (MORE → inner flag 0x01, COMMAND → inner flag 0x02)
 * out:  flags:1 size:1|8 %d7 "MESSAGE" nonce:8 Box[inner-flags:1 body](our transient → peer's)
 * </pre>
 *
 * <p>As libzmq, the outer frame carries neither MORE nor COMMAND. Short nonces continue from the handshake's and
 * are written in network byte order.
 *
 * <p>Each body is encrypted where it lies, in whatever buffer it came in (a batch of small frames, or a large body
 * passed by reference), straight into the outgoing buffer, which holds every frame of one write and is a direct
 * buffer, as the transport wants. Nothing is gathered first: as soon as a header is read, the sealed frame's room is
 * reserved (its tag goes in front, and is written when the last octet of the body has been encrypted), and a body
 * that arrives in several buffers is encrypted piece by piece as they come. BouncyCastle's engines work on arrays,
 * so octets in direct memory pass through a small reused array on their way (in the cache, not a copy of the
 * message). Sealed frames are passed on at the end of every write; a frame still waiting for the rest of its body
 * stays behind.
 */
final class ZmtpCurveMessageEncoder extends ChannelOutboundHandlerAdapter {
  /** The handler's name in the pipeline. */
  static final String NAME = "zmtp-curve-encoder";

  /** "MESSAGE" with its length octet, the short nonce and the tag, before the sealed inner flags and body. */
  private static final int BOX_START = 8 + 8 + ZmtpCurveBox.MAC_LENGTH;
  private static final byte[] MESSAGE = {7, 'M', 'E', 'S', 'S', 'A', 'G', 'E'};
  /** The array that octets in direct memory pass through to be encrypted: small enough to stay in the L1 cache. */
  private static final int STAGE_LENGTH = 8 * 1024;

  private final ZmtpCurveBox box;
  /** The 24-octet nonce: the side's 16-octet prefix, then the counter, rewritten in place for every frame. */
  private final byte[] nonceBytes;
  private final byte[] stage = new byte[STAGE_LENGTH];
  private final byte[] tag = new byte[ZmtpCurveBox.MAC_LENGTH];
  /** A header split across writes, gathered here; {@link #headerFill} octets of it so far. */
  private final byte[] header = new byte[9];
  private int headerFill;
  private long nonce;
  /** Sealed frames not passed on yet, then the frame being sealed, if any; null when empty. */
  private ByteBuf out;
  /** Whether a frame is being sealed: its header is read and {@link #remaining} octets of its body are not. */
  private boolean inFrame;
  private int remaining;
  /** Where in {@link #out} the frame being sealed starts, and where its tag goes. */
  private int frameStart;
  private int tagAt;
  /** The header just read. */
  private int flags;
  private long size;

  ZmtpCurveMessageEncoder(ZmtpCurveBox box, String prefix, long nextNonce) {
    this.box = box;
    this.nonceBytes = ZmtpCurveMechanism.nonce(prefix, 0);
    this.nonce = nextNonce;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof ByteBuf)) {
      ctx.write(msg, promise);
      return;
    }
    ByteBuf in = (ByteBuf) msg;
    try {
      for (;;) {
        if (!inFrame) {
          if (!readHeader(in)) {
            break;
          }
          startFrame(ctx, in.readableBytes());
        }
        int n = Math.min(remaining, in.readableBytes());
        if (n > 0) {
          seal(in, in.readerIndex(), n);
          in.skipBytes(n);
          remaining -= n;
        }
        if (remaining > 0) {
          break;
        }
        finishFrame();
      }
    } finally {
      in.release();
    }
    passOn(ctx, promise);
  }

  /** Reads the next frame's header into {@link #flags} and {@link #size}; false if {@code in} ends before it does. */
  private boolean readHeader(ByteBuf in) {
    int available = in.readableBytes();
    if (headerFill == 0 && available >= 2) {
      int at = in.readerIndex();
      int f = in.getUnsignedByte(at);
      if ((f & ZmtpFrames.FLAG_LONG) == 0) {
        flags = f;
        size = in.getUnsignedByte(at + 1);
        in.skipBytes(2);
        return true;
      }
      if (available >= 9) {
        flags = f;
        size = in.getLong(at + 1);
        in.skipBytes(9);
        return true;
      }
    }
    while (headerFill < 2 && in.isReadable()) {
      header[headerFill++] = in.readByte();
    }
    int length = headerFill >= 1 && (header[0] & ZmtpFrames.FLAG_LONG) != 0 ? 9 : 2;
    while (headerFill < length && in.isReadable()) {
      header[headerFill++] = in.readByte();
    }
    if (headerFill < length) {
      return false;
    }
    flags = header[0] & 0xFF;
    size = length == 2 ? header[1] & 0xFF : readLong(header, 1);
    headerFill = 0;
    return true;
  }

  /** Writes the outer header, "MESSAGE", the nonce and the sealed inner flags, and leaves room for the tag. */
  private void startFrame(ChannelHandlerContext ctx, int available) {
    if (size < 0 || size > Integer.MAX_VALUE - 64) {
      throw new ZmtpException("CURVE: a frame of " + size + " octets to seal (expected: less than 2^31 - 64)");
    }
    int length = (int) size;
    int sealedLength = BOX_START + 1 + length;
    int need = ZmtpFrames.headerLength(sealedLength) + sealedLength;
    if (out != null && out.writableBytes() < need) {
      // Only whole sealed frames are in it (none is in progress between frames): pass them on, start another.
      ctx.write(out, ctx.voidPromise());
      out = null;
    }
    if (out == null) {
      // Room for everything waiting if the frames are like this one, so that one write carries them all.
      long frames = available / (2L + length) + 1;
      long estimate = available + frames * (9 + BOX_START + 1);
      out = ctx.alloc().ioBuffer((int) Math.max(need, Math.min(estimate, Integer.MAX_VALUE - 64)));
    }
    frameStart = out.writerIndex();
    ZmtpFrames.writeHeader(out, sealedLength, false);
    out.writeBytes(MESSAGE);
    long n = nonce++;
    for (int i = 0; i < 8; i++) {
      nonceBytes[16 + i] = (byte) (n >>> (56 - 8 * i));
    }
    out.writeLong(n);
    tagAt = out.writerIndex();
    out.writerIndex(tagAt + ZmtpCurveBox.MAC_LENGTH);
    box.begin(nonceBytes);
    stage[0] = (byte) (((flags & ZmtpFrames.FLAG_MORE) != 0 ? 0x01 : 0)
        | ((flags & ZmtpFrames.FLAG_COMMAND) != 0 ? 0x02 : 0));
    box.crypt(stage, 0, 1, stage, 0);
    box.authenticate(stage, 0, 1);
    out.writeByte(stage[0]);
    remaining = length;
    inFrame = true;
  }

  /** Encrypts {@code length} octets of {@code in} at {@code index} onto the end of {@link #out}. */
  private void seal(ByteBuf in, int index, int length) {
    int w = out.writerIndex();
    boolean direct = !out.hasArray();
    while (length > 0) {
      int n = Math.min(length, STAGE_LENGTH);
      byte[] src;
      int srcAt;
      if (in.hasArray()) {
        src = in.array();
        srcAt = in.arrayOffset() + index;
      } else {
        in.getBytes(index, stage, 0, n);
        src = stage;
        srcAt = 0;
      }
      if (direct) {
        box.crypt(src, srcAt, n, stage, 0);
        box.authenticate(stage, 0, n);
        out.setBytes(w, stage, 0, n);
      } else {
        int dstAt = out.arrayOffset() + w;
        box.crypt(src, srcAt, n, out.array(), dstAt);
        box.authenticate(out.array(), dstAt, n);
      }
      index += n;
      w += n;
      length -= n;
    }
    out.writerIndex(w);
  }

  /** Writes the tag of the frame just sealed in front of its ciphertext. */
  private void finishFrame() {
    box.tag(tag, 0);
    out.setBytes(tagAt, tag);
    inFrame = false;
  }

  /** Passes on every whole sealed frame; a frame still being sealed stays in {@link #out}. */
  private void passOn(ChannelHandlerContext ctx, ChannelPromise promise) {
    if (out != null && !inFrame) {
      ctx.write(out, promise);
      out = null;
      return;
    }
    if (out != null && frameStart > out.readerIndex()) {
      ctx.write(out.readRetainedSlice(frameStart - out.readerIndex()), promise);
      return;
    }
    if (!promise.isVoid()) {
      promise.trySuccess();
    }
  }

  private static long readLong(byte[] b, int at) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = v << 8 | (b[at + i] & 0xFF);
    }
    return v;
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (out != null) {
      out.release();
      out = null;
    }
  }
}
