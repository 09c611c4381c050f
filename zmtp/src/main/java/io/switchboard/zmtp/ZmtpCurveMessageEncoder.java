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
 * are written in network byte order. Each frame is sealed straight from the pending input into the outgoing buffer,
 * which holds every frame of one write: no plaintext, box or nonce array per frame.
 */
final class ZmtpCurveMessageEncoder extends ChannelOutboundHandlerAdapter {
  /** The handler's name in the pipeline. */
  static final String NAME = "zmtp-curve-encoder";

  /** "MESSAGE" with its length octet, the short nonce and the tag, before the sealed inner flags and body. */
  private static final int BOX_START = 8 + 8 + ZmtpCurveBox.MAC_LENGTH;
  private static final byte[] MESSAGE = {7, 'M', 'E', 'S', 'S', 'A', 'G', 'E'};

  private final ZmtpCurveBox box;
  /** The 24-octet nonce: the side's 16-octet prefix, then the counter, rewritten in place for every frame. */
  private final byte[] nonceBytes;
  private final byte[] innerFlags = new byte[1];
  private long nonce;
  private ByteBuf pending;

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
      int bodyLength = BOX_START + 1 + length;
      if (out == null) {
        // Room for everything waiting if the frames are like this one, so that one write carries them all.
        int frames = available / (headerLength + length) + 1;
        out = ctx.alloc().heapBuffer(available + frames * (9 + BOX_START + 1));
      }
      out.ensureWritable(9 + bodyLength);
      ZmtpFrames.writeHeader(out, bodyLength, false);
      long n = nonce++;
      for (int i = 0; i < 8; i++) {
        nonceBytes[16 + i] = (byte) (n >>> (56 - 8 * i));
      }
      int w = out.writerIndex();
      out.setBytes(w, MESSAGE);
      out.setBytes(w + 8, nonceBytes, 16, 8);
      // Box[inner-flags:1 body] straight from the pending frame into the outgoing buffer: no plaintext copy.
      byte[] dst = out.array();
      int boxAt = out.arrayOffset() + w + 16;
      int cipherAt = boxAt + ZmtpCurveBox.MAC_LENGTH;
      innerFlags[0] = (byte) (((flags & ZmtpFrames.FLAG_MORE) != 0 ? 0x01 : 0)
          | ((flags & ZmtpFrames.FLAG_COMMAND) != 0 ? 0x02 : 0));
      box.begin(nonceBytes);
      box.crypt(innerFlags, 0, 1, dst, cipherAt);
      box.crypt(pending.array(), pending.arrayOffset() + at + headerLength, length, dst, cipherAt + 1);
      box.finishSeal(dst, cipherAt, 1 + length, boxAt);
      out.writerIndex(w + bodyLength);
      pending.skipBytes(headerLength + length);
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
