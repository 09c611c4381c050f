package io.switchboard.zmtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Opens CURVE MESSAGE commands after the handshake and passes the frames inside, re-encoded as plain ZMTP frames, to
 * the {@link ZmtpFrameDecoder} that follows it; installed for CURVE connections only.
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
 * or a replayed nonce is a protocol error.
 */
final class ZmtpCurveMessageDecoder extends ByteToMessageDecoder {
  /** The handler's name in the pipeline. */
  static final String NAME = "zmtp-curve-decoder";
  /** "MESSAGE" with its length octet, nonce, tag and inner flags. */
  static final int OVERHEAD = 8 + 8 + ZmtpCurveBox.MAC_LENGTH + 1;
  private static final byte[] MESSAGE = {7, 'M', 'E', 'S', 'S', 'A', 'G', 'E'};

  private final ZmtpCurveBox box;
  private final String prefix;
  private final long maxFrameSize;
  private long peerNonce;
  private boolean failed;

  ZmtpCurveMessageDecoder(ZmtpCurveBox box, String prefix, long peerNonce, long maxMessageSize) {
    this.box = box;
    this.prefix = prefix;
    this.peerNonce = peerNonce;
    this.maxFrameSize = Math.min(Integer.MAX_VALUE - 64, maxMessageSize + OVERHEAD);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (!failed) {
      if (in.readableBytes() < 2) {
        return;
      }
      int at = in.readerIndex();
      int flags = in.getUnsignedByte(at);
      if ((flags & ~(ZmtpFrames.FLAG_LONG | ZmtpFrames.FLAG_COMMAND)) != 0) {
        fail("CURVE: frame flags " + Integer.toHexString(flags) + " after the handshake (expected: a MESSAGE)");
      }
      boolean isLong = (flags & ZmtpFrames.FLAG_LONG) != 0;
      int headerLength = isLong ? 9 : 2;
      if (in.readableBytes() < headerLength) {
        return;
      }
      long size = isLong ? in.getLong(at + 1) : in.getUnsignedByte(at + 1);
      if (size < OVERHEAD || size > maxFrameSize) {
        fail("CURVE: MESSAGE of " + size + " octets (expected: " + OVERHEAD + " to " + maxFrameSize
            + ", maxMessageSize plus " + OVERHEAD + ")");
      }
      if (in.readableBytes() < headerLength + size) {
        return;
      }
      in.skipBytes(headerLength);
      byte[] body = new byte[(int) size];
      in.readBytes(body);
      for (int i = 0; i < MESSAGE.length; i++) {
        if (body[i] != MESSAGE[i]) {
          fail("CURVE: a command other than MESSAGE after the handshake");
        }
      }
      long n = 0;
      for (int i = 8; i < 16; i++) {
        n = n << 8 | (body[i] & 0xFF);
      }
      if (Long.compareUnsigned(n, peerNonce) <= 0) {
        fail("CURVE: MESSAGE nonce " + Long.toUnsignedString(n) + " is not above the last one ("
            + Long.toUnsignedString(peerNonce) + ")");
      }
      peerNonce = n;
      byte[] plain = new byte[body.length - 16 - ZmtpCurveBox.MAC_LENGTH];
      if (!box.open(ZmtpCurveMechanism.nonce(prefix, n), body, 16, body.length - 16, plain, 0)) {
        fail("CURVE: a MESSAGE failed authentication");
      }
      int innerFlags = plain[0] & 0xFF;
      int length = plain.length - 1;
      ByteBuf frame = ctx.alloc().buffer(9 + length);
      if ((innerFlags & 0x02) != 0) {
        ZmtpFrames.writeCommandHeader(frame, length);
      } else {
        ZmtpFrames.writeHeader(frame, length, (innerFlags & 0x01) != 0);
      }
      frame.writeBytes(plain, 1, length);
      out.add(frame);
    }
    in.skipBytes(in.readableBytes());
  }

  private void fail(String reason) {
    failed = true;
    throw new ZmtpException(reason);
  }
}
