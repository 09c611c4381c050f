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
 */
final class ZmtpCurveMessageEncoder extends ChannelOutboundHandlerAdapter {
  /** The handler's name in the pipeline. */
  static final String NAME = "zmtp-curve-encoder";

  private final ZmtpCurveBox box;
  private final String prefix;
  private long nonce;
  private ByteBuf pending;

  ZmtpCurveMessageEncoder(ZmtpCurveBox box, String prefix, long nextNonce) {
    this.box = box;
    this.prefix = prefix;
    this.nonce = nextNonce;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof ByteBuf)) {
      ctx.write(msg, promise);
      return;
    }
    ByteBuf in = (ByteBuf) msg;
    if (pending == null) {
      pending = ctx.alloc().heapBuffer(Math.max(256, in.readableBytes()));
    }
    pending.writeBytes(in);
    in.release();
    ByteBuf out = null;
    for (;;) {
      int available = pending.readableBytes();
      if (available < 2) {
        break;
      }
      int at = pending.readerIndex();
      int flags = pending.getUnsignedByte(at);
      boolean isLong = (flags & ZmtpFrames.FLAG_LONG) != 0;
      int headerLength = isLong ? 9 : 2;
      if (available < headerLength) {
        break;
      }
      long size = isLong ? pending.getLong(at + 1) : pending.getUnsignedByte(at + 1);
      if (available < headerLength + size) {
        break;
      }
      int length = (int) size;
      byte[] plain = new byte[1 + length];
      plain[0] = (byte) (((flags & ZmtpFrames.FLAG_MORE) != 0 ? 0x01 : 0)
          | ((flags & ZmtpFrames.FLAG_COMMAND) != 0 ? 0x02 : 0));
      pending.getBytes(at + headerLength, plain, 1, length);
      pending.skipBytes(headerLength + length);

      long n = nonce++;
      int bodyLength = 16 + ZmtpCurveBox.MAC_LENGTH + plain.length;
      byte[] sealed = new byte[bodyLength];
      sealed[0] = 7;
      sealed[1] = 'M';
      sealed[2] = 'E';
      sealed[3] = 'S';
      sealed[4] = 'S';
      sealed[5] = 'A';
      sealed[6] = 'G';
      sealed[7] = 'E';
      for (int i = 0; i < 8; i++) {
        sealed[8 + i] = (byte) (n >>> (56 - 8 * i));
      }
      box.seal(ZmtpCurveMechanism.nonce(prefix, n), plain, 0, plain.length, sealed, 16);
      if (out == null) {
        out = ctx.alloc().buffer(9 + bodyLength);
      }
      ZmtpFrames.writeHeader(out, bodyLength, false);
      out.writeBytes(sealed);
    }
    if (pending.isReadable()) {
      pending.discardSomeReadBytes();
    } else {
      pending.clear();
    }
    if (out != null) {
      ctx.write(out, promise);
    } else if (!promise.isVoid()) {
      promise.trySuccess();
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (pending != null) {
      pending.release();
      pending = null;
    }
  }
}
