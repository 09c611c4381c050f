package io.switchboard.bus.mesh.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.zmtp.ZmtpCommand;
import io.switchboard.zmtp.ZmtpException;
import io.switchboard.zmtp.ZmtpFrameListener;
import io.switchboard.zmtp.ZmtpFrames;
import io.switchboard.zmtp.ZmtpPeer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection between two peers, after the ZMTP handshake: the peers' HELLO and SYNC, then their messages,
 * acknowledgements and heartbeats. Runs on the peer's I/O thread.
 *
 * <pre>
 *  frame 0 of each message                           then
 *  'H'                                                id | epoch (8 octets) | endpoint      who I am
 *  'S' my-session (4) your-session (4) next-seq (8)                                         streams and resume point
 *  'M' session (4 octets) seq (8 octets)              the message's frames                  a message
 *  'A' session (4 octets) seq (8 octets)                                                    got everything to seq
 *  'N' session (4 octets) seq (8 octets)                                                    send again from seq
 * </pre>
 */
final class Link extends ChannelInboundHandlerAdapter implements ZmtpFrameListener {
  static final byte HELLO = 'H';
  static final byte SYNC = 'S';
  static final byte MESSAGE = 'M';
  static final byte ACK = 'A';
  static final byte NACK = 'N';
  private static final int BATCH_BYTES = 64 * 1024;
  private static final int ZERO_COPY_THRESHOLD = 16 * 1024;

  final PeerCore core;
  /** The dialer that made this link, or {@code null} for an accepted one. */
  final Dialer dialer;
  ChannelHandlerContext ctx;
  /** The peer at the other end, once its HELLO arrived. */
  Remote remote;
  /** Whether the other side's SYNC arrived: messages may be written here. */
  boolean synced;
  String closeReason;
  private byte[][] parts = new byte[4][];
  private int partCount;
  private long lastReadNanos = System.nanoTime();
  /** The last heartbeat's round trip, from PING to PONG; -1 until one came back. */
  volatile long roundTripNanos = -1;
  private ScheduledFuture<?> heartbeat;
  private ScheduledFuture<?> helloTimer;

  Link(PeerCore core, Dialer dialer) {
    this.core = core;
    this.dialer = dialer;
  }

  boolean dialled() {
    return dialer != null;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    core.channels.add(ctx.channel());
  }

  /** The ZMTP handshake is done: say who we are, and start the heartbeats. */
  ZmtpFrameListener onHandshake(ZmtpPeer peer) {
    lastReadNanos = System.nanoTime();
    long interval = core.config.heartbeatInterval().toMillis();
    heartbeat = ctx.executor().scheduleAtFixedRate(this::heartbeat, interval, interval, TimeUnit.MILLISECONDS);
    helloTimer = ctx.executor().schedule(() -> close("no HELLO within "
        + core.config.handshakeTimeout().toMillis() + " ms"), core.config.handshakeTimeout().toMillis(),
        TimeUnit.MILLISECONDS);
    byte[] epoch = new byte[8];
    putLong(epoch, 0, core.epoch);
    writeMessage(new byte[][] {{HELLO}, core.idBytes, epoch, core.endpoint().getBytes(StandardCharsets.UTF_8)});
    ctx.flush();
    return this;
  }

  private void heartbeat() {
    if (System.nanoTime() - lastReadNanos > core.config.heartbeatTimeout().toNanos()) {
      close("heartbeat timeout");
    } else {
      // the context is the time it was sent, so that the PONG that echoes it gives the round trip
      byte[] sentAt = new byte[8];
      putLong(sentAt, 0, System.nanoTime());
      ByteBuf out = ctx.alloc().buffer(24);
      new ZmtpCommand.Ping(0, sentAt).encode(out);
      ctx.writeAndFlush(out, ctx.voidPromise());
    }
  }

  /** Closes the link, saying why to the listeners. */
  void close(String reason) {
    if (closeReason == null) {
      closeReason = reason;
    }
    ctx.close();
  }

  // ---- inbound ----

  @Override
  public void onFrame(byte[] body, boolean more) {
    if (partCount == parts.length) {
      parts = Arrays.copyOf(parts, partCount * 2);
    }
    parts[partCount++] = body;
    if (!more) {
      byte[][] frames = Arrays.copyOf(parts, partCount);
      Arrays.fill(parts, 0, partCount, null);
      partCount = 0;
      try {
        handle(frames);
      } catch (RuntimeException e) {
        PeerCore.LOG.warn("mesh: failed to handle a message from " + describe(), e);
      }
    }
  }

  private void handle(byte[][] frames) {
    byte[] head = frames[0];
    if (head.length == 0) {
      protocolError("empty header frame");
      return;
    }
    byte verb = head[0];
    if (verb == MESSAGE && head.length == 13 && remote != null) {
      core.received(this, getInt(head, 1), getLong(head, 5), frames);
    } else if (verb == ACK && head.length == 13 && remote != null) {
      remote.acked(getInt(head, 1), getLong(head, 5));
    } else if (verb == NACK && head.length == 13 && remote != null) {
      remote.rewind(getInt(head, 1), getLong(head, 5));
      core.scheduleFlush(remote);
    } else if (verb == HELLO && frames.length == 4 && remote == null && frames[2].length == 8) {
      if (helloTimer != null) {
        helloTimer.cancel(false);
      }
      String id = new String(frames[1], StandardCharsets.US_ASCII);
      String endpoint = new String(frames[3], StandardCharsets.UTF_8);
      core.hello(this, id, getLong(frames[2], 0), endpoint);
    } else if (verb == SYNC && head.length == 25 && remote != null) {
      core.sync(this, getInt(head, 1), getLong(head, 5), getInt(head, 13), getLong(head, 17));
    } else {
      protocolError("unexpected message (header " + head.length + " octets, verb " + (char) verb + ", "
          + frames.length + " frames" + (remote == null ? ", before HELLO" : "") + ")");
    }
  }

  private void protocolError(String what) {
    PeerCore.LOG.warn("mesh: " + what + " from " + describe() + "; closing the link");
    close("protocol error: " + what);
  }

  @Override
  public void onCommand(ZmtpCommand command) {
    if (command instanceof ZmtpCommand.Ping ping) {
      ByteBuf out = ctx.alloc().buffer(16);
      new ZmtpCommand.Pong(ping.context()).encode(out);
      ctx.writeAndFlush(out, ctx.voidPromise());
    } else if (command instanceof ZmtpCommand.Pong pong && pong.context().length == 8) {
      roundTripNanos = System.nanoTime() - getLong(pong.context(), 0);
    } else if (command instanceof ZmtpCommand.Error error) {
      close("peer sent ERROR: " + error.reason());
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    lastReadNanos = System.nanoTime();
    Remote r = remote;
    if (r != null && r.expected - 1 > r.lastAcked) {
      r.lastAcked = r.expected - 1;
      writeControl(ACK, r.inSession, r.lastAcked);
      ctx.flush();
    }
    ctx.fireChannelReadComplete();
  }

  // ---- outbound ----

  /** Writes a control message: a verb, a session and a sequence number, unflushed. */
  void writeControl(byte verb, int session, long seq) {
    byte[] head = new byte[13];
    head[0] = verb;
    putInt(head, 1, session);
    putLong(head, 5, seq);
    writeMessage(new byte[][] {head});
  }

  /**
   * SYNC: the session of my stream to you and its first number you have not acknowledged; the session of yours I
   * know, and the next number I expect of it.
   */
  void writeSync(int mySession, long myFirst, int yourSession, long nextSeq) {
    byte[] head = new byte[25];
    head[0] = SYNC;
    putInt(head, 1, mySession);
    putLong(head, 5, myFirst);
    putInt(head, 13, yourSession);
    putLong(head, 17, nextSeq);
    writeMessage(new byte[][] {head});
    ctx.flush();
  }

  private void writeMessage(byte[][] frames) {
    int size = 0;
    for (byte[] f : frames) {
      size += 9 + f.length;
    }
    ByteBuf buf = ctx.alloc().buffer(size);
    for (int i = 0; i < frames.length; i++) {
      ZmtpFrames.writeFrame(buf, frames[i], i < frames.length - 1);
    }
    ctx.write(buf, ctx.voidPromise());
  }

  /**
   * Writes messages of the outbound stream, batched into buffers of up to 64 KiB (large frames by reference), and
   * flushes once.
   */
  void write(int session, List<Remote.Out> outs) {
    ByteBuf buf = null;
    for (Remote.Out o : outs) {
      byte[][] frames = o.frames();
      if (buf == null || buf.writableBytes() < 22) {
        buf = next(buf, 22);
      }
      ZmtpFrames.writeHeader(buf, 13, frames.length > 0);
      buf.writeByte(MESSAGE);
      buf.writeInt(session);
      buf.writeLong(o.seq());
      for (int i = 0; i < frames.length; i++) {
        byte[] body = frames[i];
        boolean more = i < frames.length - 1;
        if (body.length >= ZERO_COPY_THRESHOLD) {
          if (buf.writableBytes() < 9) {
            buf = next(buf, 9);
          }
          ZmtpFrames.writeHeader(buf, body.length, more);
          ctx.write(buf, ctx.voidPromise());
          ctx.write(Unpooled.wrappedBuffer(body), ctx.voidPromise());
          buf = ctx.alloc().directBuffer(BATCH_BYTES);
        } else {
          if (buf.writableBytes() < 9 + body.length) {
            buf = next(buf, 9 + body.length);
          }
          ZmtpFrames.writeFrame(buf, body, more);
        }
      }
    }
    if (buf != null) {
      ctx.write(buf, ctx.voidPromise());
    }
    ctx.flush();
  }

  private ByteBuf next(ByteBuf full, int need) {
    if (full != null) {
      ctx.write(full, ctx.voidPromise());
    }
    return ctx.alloc().directBuffer(Math.max(BATCH_BYTES, need));
  }

  // ---- life cycle ----

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (heartbeat != null) {
      heartbeat.cancel(false);
    }
    if (helloTimer != null) {
      helloTimer.cancel(false);
    }
    core.channels.remove(ctx.channel());
    core.linkClosed(this, closeReason == null ? (remote == null ? "connection closed during the handshake"
        : "connection closed") : closeReason);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    if (c instanceof ZmtpException) {
      close("protocol error: " + c.getMessage());
    } else if (c instanceof IOException) {
      close("connection lost: " + c.getMessage());
    } else {
      PeerCore.LOG.warn("mesh: unexpected failure on the link to " + describe(), c);
      close("failure: " + c);
    }
  }

  String describe() {
    return (remote != null ? remote.id + " at " : "") + (ctx == null ? "?" : String.valueOf(ctx.channel()
        .remoteAddress()));
  }

  static void putLong(byte[] b, int at, long v) {
    for (int i = 7; i >= 0; i--) {
      b[at + i] = (byte) v;
      v >>>= 8;
    }
  }

  static void putInt(byte[] b, int at, int v) {
    for (int i = 3; i >= 0; i--) {
      b[at + i] = (byte) v;
      v >>>= 8;
    }
  }

  static int getInt(byte[] b, int at) {
    return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
  }

  static long getLong(byte[] b, int at) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[at + i] & 0xff);
    }
    return v;
  }
}
