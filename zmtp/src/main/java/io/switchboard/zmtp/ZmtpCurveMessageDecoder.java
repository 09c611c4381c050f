package io.switchboard.zmtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Opens CURVE MESSAGE commands after the handshake and hands the frames inside, whole, to the {@link
 * ZmtpFrameDecoder} that follows it ({@link ZmtpFrameDecoder#checkFrame}, {@link ZmtpFrameDecoder#deliverFrame});
 * installed for CURVE connections only.
 *
 * <pre>
 * outer frame  = flags:1 size:1|8 body          (flags: LONG and COMMAND only; libzmq sends neither COMMAND nor MORE)
 * body         = %d7 "MESSAGE" nonce:8 box
 * box          = Box[flags:1 data](peer's transient → ours), nonce prefix "CurveZMQMESSAGEC" from a client,
 *                "CurveZMQMESSAGES" from a server
 * inner flags  bit 0 MORE, bit 1 COMMAND (then data is a command body: PING, SUBSCRIBE, ...)
 * </pre>
 *
 * <p>The size limit is checked on the outer header before anything is allocated; the frame decoder then enforces
 * the message limit on the inner frames. RFC 26: nonces are strictly incrementing; a box that fails authentication
 * or a replayed nonce is a protocol error. A box is read once: each piece of ciphertext is authenticated and decrypted
 * straight into the array that the listener receives as the frame's body, read in place from a heap input or through
 * a small reused array from a direct one. So a CURVE frame costs what a plain one does, its body array, and no copy
 * beyond the decryption. Nothing of a box is passed on before its tag is checked.
 */
final class ZmtpCurveMessageDecoder extends ByteToMessageDecoder {
  /** The handler's name in the pipeline. */
  static final String NAME = "zmtp-curve-decoder";
  /** "MESSAGE" with its length octet, nonce, tag and inner flags. */
  static final int OVERHEAD = 8 + 8 + ZmtpCurveBox.MAC_LENGTH + 1;
  private static final byte[] MESSAGE = {7, 'M', 'E', 'S', 'S', 'A', 'G', 'E'};
  private static final byte[] EMPTY = new byte[0];

  /** The array that ciphertext in direct memory passes through: small enough to stay in the L1 cache. */
  private static final int STAGE_LENGTH = 8 * 1024;

  private final ZmtpCurveBox box;
  /** The 24-octet nonce: the peer side's 16-octet prefix, then the counter, rewritten in place for every frame. */
  private final byte[] nonceBytes;
  private final byte[] innerFlags = new byte[1];
  private final long maxFrameSize;
  private long peerNonce;
  private boolean failed;
  private final byte[] stage = new byte[STAGE_LENGTH];
  private ZmtpFrameDecoder frameDecoder;
  private final byte[] tag = new byte[ZmtpCurveBox.MAC_LENGTH];

  ZmtpCurveMessageDecoder(ZmtpCurveBox box, String prefix, long peerNonce, long maxMessageSize) {
    this.box = box;
    this.nonceBytes = ZmtpCurveMechanism.nonce(prefix, 0);
    this.peerNonce = peerNonce;
    this.maxFrameSize = Math.min(Integer.MAX_VALUE - 64, maxMessageSize + OVERHEAD);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    ZmtpFrameDecoder frames = frameDecoder(ctx);
    while (!failed) {
      if (in.readableBytes() < 2) {
        break;
      }
      int at = in.readerIndex();
      int flags = in.getUnsignedByte(at);
      if ((flags & ~(ZmtpFrames.FLAG_LONG | ZmtpFrames.FLAG_COMMAND)) != 0) {
        fail("CURVE: frame flags " + Integer.toHexString(flags) + " after the handshake (expected: a MESSAGE)");
      }
      boolean isLong = (flags & ZmtpFrames.FLAG_LONG) != 0;
      int headerLength = isLong ? 9 : 2;
      if (in.readableBytes() < headerLength) {
        break;
      }
      long size = isLong ? in.getLong(at + 1) : in.getUnsignedByte(at + 1);
      if (size < OVERHEAD || size > maxFrameSize) {
        fail("CURVE: MESSAGE of " + size + " octets (expected: " + OVERHEAD + " to " + maxFrameSize
            + ", maxMessageSize plus " + OVERHEAD + ")");
      }
      if (in.readableBytes() < headerLength + size) {
        break;
      }
      int bodyAt = at + headerLength;
      for (int i = 0; i < MESSAGE.length; i++) {
        if (in.getByte(bodyAt + i) != MESSAGE[i]) {
          fail("CURVE: a command other than MESSAGE after the handshake");
        }
      }
      long n = in.getLong(bodyAt + 8);
      if (Long.compareUnsigned(n, peerNonce) <= 0) {
        fail("CURVE: MESSAGE nonce " + Long.toUnsignedString(n) + " is not above the last one ("
            + Long.toUnsignedString(peerNonce) + ")");
      }
      int length = (int) size - OVERHEAD;
      in.getBytes(bodyAt + 8, nonceBytes, 16, 8);
      // One pass over the box: each piece of ciphertext is added to the MAC, then decrypted straight into the
      // frame's own array. Nothing of it is passed on unless the tag matches.
      int cipherAt = bodyAt + 16 + ZmtpCurveBox.MAC_LENGTH;
      box.begin(nonceBytes);
      in.getBytes(cipherAt, innerFlags, 0, 1);
      box.authenticate(innerFlags, 0, 1);
      box.crypt(innerFlags, 0, 1, innerFlags, 0);
      int inner = innerFlags[0] & 0xFF;
      int frameFlags = ((inner & 0x02) != 0 ? ZmtpFrames.FLAG_COMMAND : 0) | ((inner & 0x01) != 0
          ? ZmtpFrames.FLAG_MORE : 0);
      // The frame decoder's limits, before the body is allocated. The flags are not authenticated yet: a forged box
      // may fail here rather than on its tag, and ends the connection all the same.
      check(frames, frameFlags, length);
      byte[] body = length == 0 ? EMPTY : new byte[length];
      open(in, cipherAt + 1, length, body, 0);
      in.getBytes(bodyAt + 16, tag, 0, ZmtpCurveBox.MAC_LENGTH);
      if (!box.checkTag(tag, 0)) {
        fail("CURVE: a MESSAGE failed authentication");
      }
      peerNonce = n;
      in.skipBytes(headerLength + (int) size);
      frames.deliverFrame(frameFlags, body);
    }
    if (failed) {
      in.skipBytes(in.readableBytes());
    }
  }

  private void check(ZmtpFrameDecoder frames, int frameFlags, long length) {
    try {
      frames.checkFrame(frameFlags, length);
    } catch (ZmtpException e) {
      failed = true;
      throw e;
    }
  }

  /** The frame decoder after this one, which the handshake adds before it hands this decoder any octets. */
  private ZmtpFrameDecoder frameDecoder(ChannelHandlerContext ctx) {
    ZmtpFrameDecoder f = frameDecoder;
    if (f == null) {
      f = ctx.pipeline().get(ZmtpFrameDecoder.class);
      if (f == null) {
        failed = true;
        throw new IllegalStateException("CURVE: no ZmtpFrameDecoder after " + NAME + " in " + ctx.pipeline().names());
      }
      frameDecoder = f;
    }
    return f;
  }

  /**
   * As {@link ZmtpFrameDecoder#channelReadComplete}: frames go to the frame decoder's listener, not down the pipeline,
   * so {@code ByteToMessageDecoder} must not take a read that passed nothing on for one that decoded nothing, and ask
   * for another read while auto-read is off.
   */
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    discardSomeReadBytes();
    ctx.fireChannelReadComplete();
  }

  /**
   * Authenticates and decrypts {@code length} octets of ciphertext at {@code index} of {@code in} into {@code out}:
   * in place when {@code in} is on the heap, else through {@link #stage}, a piece at a time.
   */
  private void open(ByteBuf in, int index, int length, byte[] out, int outAt) {
    if (in.hasArray()) {
      byte[] src = in.array();
      int srcAt = in.arrayOffset() + index;
      box.authenticate(src, srcAt, length);
      box.crypt(src, srcAt, length, out, outAt);
      return;
    }
    while (length > 0) {
      int n = Math.min(length, STAGE_LENGTH);
      in.getBytes(index, stage, 0, n);
      box.authenticate(stage, 0, n);
      box.crypt(stage, 0, n, out, outAt);
      index += n;
      outAt += n;
      length -= n;
    }
  }

  private void fail(String reason) {
    failed = true;
    throw new ZmtpException(reason);
  }
}
