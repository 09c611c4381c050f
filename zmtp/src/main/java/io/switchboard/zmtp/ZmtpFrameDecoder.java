package io.switchboard.zmtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Decodes ZMTP frames after the handshake and hands them to a {@link ZmtpFrameListener}.
 *
 * <p>The size limit is checked on the header, before any allocation: a frame that would take the current message
 * past {@code maxMessageSize} octets is a protocol error. A body is copied into its own array as its octets arrive,
 * so a large frame never grows the cumulation buffer. After an error the decoder discards all further input; the
 * connection is expected to be closed by the handler that sees the exception.
 *
 * <p>For a listener that takes frames as buffers ({@link ZmtpFrameListener#framesAsBuffers()}) nothing but small
 * bodies is copied: a body is a retained slice of what was read or, when it spans reads, a composite of such slices,
 * gathered as they arrive; one of up to 64 octets read whole is copied into a heap buffer. Nothing is left in the
 * cumulation buffer at the end of a read (a header cut off waits in an array of nine octets), so each read is decoded
 * where it landed, never copied in behind a leftover.
 */
public final class ZmtpFrameDecoder extends ByteToMessageDecoder {
  private enum State { HEADER, BODY, FAILED }

  /**
   * In buffer mode, bodies of up to this many octets are copied into a heap buffer of their own rather than sliced:
   * a slice's reference to the read buffer costs an atomic step on that buffer's count when it is made, on the I/O
   * thread, and another when it is released, on the receiver's, per message and on one shared cache line, where
   * copying a few dozen octets costs less (libzmq likewise keeps messages of up to 33 octets inside the message).
   * Pub/sub 1:64 over tcp, 16 octets: 2.8-3.0 M messages/s with slices, 4.4-4.8 M with copies.
   */
  static final int COPY_UP_TO = 64;

  private final ZmtpFrameListener listener;
  private final long maxMessageSize;
  private final boolean buffers;
  /** In buffer mode, the slices of a body that spans reads, gathered without copying; else null. */
  private CompositeByteBuf gathered;
  private State state = State.HEADER;
  private int flags;
  private byte[] body;
  private int filled;
  /** The octets of a header that the end of a read cut off; see {@link #readHeader}. */
  private final byte[] partialHeader = new byte[9];
  private int partialHeaderLength;
  /** The size of the body being {@link #gathered}. */
  private int bodySize;
  private long messageSize;
  private boolean inMessage;

  /**
   * Creates a decoder.
   *
   * @param listener receives every decoded frame and command
   * @param maxMessageSize the largest message (all frames together) or command accepted, in octets
   */
  public ZmtpFrameDecoder(ZmtpFrameListener listener, long maxMessageSize) {
    this.listener = listener;
    this.maxMessageSize = maxMessageSize;
    this.buffers = listener.framesAsBuffers();
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    for (;;) {
      switch (state) {
        case HEADER:
          if (!readHeader(ctx, in)) {
            return;
          }
          break;
        case BODY: {
          if (gathered != null) {
            if (!gather(in)) {
              return;
            }
            break;
          }
          int n = Math.min(in.readableBytes(), body.length - filled);
          in.readBytes(body, filled, n);
          filled += n;
          if (filled < body.length) {
            return;
          }
          state = State.HEADER;
          deliver();
          break;
        }
        case FAILED:
          in.skipBytes(in.readableBytes());
          return;
        default:
          throw new AssertionError(state);
      }
    }
  }

  /**
   * Reads a frame's header and starts on its body. A header cut off by the end of a read waits in {@link
   * #partialHeader}, not in the cumulation buffer: that way nothing is left there, and the next read becomes the
   * cumulation as it is instead of being copied in behind the leftover.
   */
  private boolean readHeader(ChannelHandlerContext ctx, ByteBuf in) {
    if (partialHeaderLength == 0 && in.readableBytes() >= 2) {
      int at = in.readerIndex();
      int f = in.getUnsignedByte(at);
      if ((f & ZmtpFrames.FLAG_LONG) == 0) {
        long size = in.getUnsignedByte(at + 1);
        checkHeader(f, size);
        in.skipBytes(2);
        return readBody(ctx, in, f, size);
      }
      if (in.readableBytes() >= 9) {
        long size = in.getLong(at + 1);
        checkHeader(f, size);
        in.skipBytes(9);
        return readBody(ctx, in, f, size);
      }
    }
    while (in.isReadable()) {
      partialHeader[partialHeaderLength++] = in.readByte();
      int headerLength = (partialHeader[0] & ZmtpFrames.FLAG_LONG) != 0 ? 9 : 2;
      if (partialHeaderLength == headerLength) {
        partialHeaderLength = 0;
        long size = 0;
        for (int i = 1; i < headerLength; i++) {
          size = size << 8 | (partialHeader[i] & 0xFF);
        }
        int f = partialHeader[0] & 0xFF;
        checkHeader(f, size);
        return readBody(ctx, in, f, size);
      }
    }
    return false;
  }

  /**
   * After a header that passed {@link #checkHeader}: a body into an array of its own, filled as its octets arrive;
   * or, in buffer mode, a message frame's body as a slice of {@code in} when it is all there, else gathered.
   */
  private boolean readBody(ChannelHandlerContext ctx, ByteBuf in, int f, long size) {
    flags = f;
    if (buffers && (f & ZmtpFrames.FLAG_COMMAND) == 0) {
      if (size == 0) {
        deliverBuffer(Unpooled.EMPTY_BUFFER);
      } else if (in.readableBytes() >= size) {
        deliverBuffer(size <= COPY_UP_TO ? copyOf(in, (int) size) : in.readRetainedSlice((int) size));
      } else {
        gathered = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
        bodySize = (int) size;
        state = State.BODY;
        return gather(in);
      }
      return true;
    }
    body = size == 0 ? EMPTY : new byte[(int) size];
    filled = 0;
    if (size == 0) {
      deliver();
    } else {
      state = State.BODY;
    }
    return true;
  }

  /** The next {@code size} octets of {@code in}, copied into a heap buffer of their own. */
  private static ByteBuf copyOf(ByteBuf in, int size) {
    byte[] copy = new byte[size];
    in.readBytes(copy);
    return Unpooled.wrappedBuffer(copy);
  }

  /** Adds what {@code in} holds of the gathered body; delivers it and returns true once it is whole. */
  private boolean gather(ByteBuf in) {
    int n = Math.min(in.readableBytes(), bodySize - gathered.readableBytes());
    if (n > 0) {
      gathered.addComponent(true, in.readRetainedSlice(n));
    }
    if (gathered.readableBytes() < bodySize) {
      return false;
    }
    ByteBuf whole = gathered;
    gathered = null;
    state = State.HEADER;
    deliverBuffer(whole);
    return true;
  }

  private void deliverBuffer(ByteBuf frame) {
    listener.onFrame(frame, frameDone(frame.readableBytes()));
  }

  /** Counts a message frame of {@code length} octets into the message it belongs to; returns its MORE flag. */
  private boolean frameDone(int length) {
    boolean more = (flags & ZmtpFrames.FLAG_MORE) != 0;
    inMessage = more;
    messageSize = more ? messageSize + length : 0;
    return more;
  }

  private void checkHeader(int f, long size) {
    // RFC 23: "Bits 7-3: Reserved. Bits 7-3 are reserved for future use and MUST be zero."
    if ((f & 0xF8) != 0) {
      fail("frame: reserved flag bits set (flags " + Integer.toHexString(f) + ")");
    }
    boolean command = (f & ZmtpFrames.FLAG_COMMAND) != 0;
    // RFC 23: "The 'more' bit SHALL be zero on command frames."
    if (command && (f & ZmtpFrames.FLAG_MORE) != 0) {
      fail("frame: MORE flag on a command frame");
    }
    if (command && inMessage) {
      fail("frame: command inside a multipart message");
    }
    long total = command ? size : messageSize + size;
    // total < 0: messageSize + size overflowed, so the message is longer than 2^63 octets.
    if (size < 0 || total < 0 || total > maxMessageSize || total > Integer.MAX_VALUE - 8) {
      fail("frame: message of " + (size < 0 || total < 0 ? "more than 2^63" : Long.toString(total))
          + " octets is over the limit (maxMessageSize " + maxMessageSize + ")");
    }
  }

  private void fail(String reason) {
    state = State.FAILED;
    throw new ZmtpException(reason);
  }

  /**
   * Takes a whole frame from a decoder in front of this one that opens frames itself (CURVE's, which decrypts each
   * body straight into its own array rather than into a buffer for this decoder to copy out of): first {@code
   * checkFrame} with the header, before the body is allocated, then {@code deliverFrame} with the body.
   *
   * @param frameFlags the flags as on the wire (MORE, COMMAND)
   * @throws ZmtpException as {@link #decode} would for the same header
   */
  void checkFrame(int frameFlags, long size) {
    if (state == State.FAILED) {
      throw new ZmtpException("frame: the decoder failed before");
    }
    checkHeader(frameFlags, size);
  }

  /** Delivers a frame whose header passed {@link #checkFrame}; the listener owns {@code frameBody}. */
  void deliverFrame(int frameFlags, byte[] frameBody) {
    flags = frameFlags;
    body = frameBody;
    deliver();
  }

  private void deliver() {
    byte[] b = body;
    body = null;
    if ((flags & ZmtpFrames.FLAG_COMMAND) != 0) {
      ZmtpCommand command;
      try {
        command = ZmtpCommand.decode(Unpooled.wrappedBuffer(b));
      } catch (ZmtpException e) {
        state = State.FAILED;
        throw e;
      }
      listener.onCommand(command);
      return;
    }
    if (buffers) {
      deliverBuffer(Unpooled.wrappedBuffer(b));
      return;
    }
    listener.onFrame(b, frameDone(b.length));
  }

  private static final byte[] EMPTY = new byte[0];

  /** Releases a body still being gathered when the connection goes. */
  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    if (gathered != null) {
      gathered.release();
      gathered = null;
    }
  }

  /**
   * As {@link ByteToMessageDecoder}'s, except that it never asks for another read. Frames go to the listener, not down
   * the pipeline, so {@code ByteToMessageDecoder} takes every read for one that decoded nothing and, when auto-read is
   * off (a receiver at its high-water mark pauses reading), reads on all the same: the receive high-water mark held
   * nothing back, and a receiver that stopped taking messages buffered everything its peers sent.
   */
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    discardSomeReadBytes();
    ctx.fireChannelReadComplete();
  }
}
