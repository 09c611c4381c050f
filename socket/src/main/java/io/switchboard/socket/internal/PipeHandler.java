package io.switchboard.socket.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.DecoderException;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.socket.DirectMessage;
import io.switchboard.socket.Message;
import io.switchboard.socket.MonitorEvent;
import io.switchboard.zmtp.ZmtpCommand;
import io.switchboard.zmtp.ZmtpException;
import io.switchboard.zmtp.ZmtpFrameListener;
import io.switchboard.zmtp.ZmtpFrames;
import io.switchboard.zmtp.ZmtpHandshakeHandler;
import io.switchboard.zmtp.ZmtpPeer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Joins one tcp or ipc connection to its {@link NetPipe}, on the connection's event loop.
 *
 * <p>Outbound, {@link #run()} drains every queued message into pooled buffers of up to {@value #BATCH_BYTES} octets,
 * passes large bodies by reference (a gathering write), and flushes once. Inbound, the frame decoder calls {@link
 * #onFrame} for each frame; whole messages go to the socket, receivers are woken once per read, and reading pauses
 * while the pipe's inbound count is at the receive high-water mark. It also answers PING, sends its own PINGs and
 * closes a silent connection when heartbeats are on.
 */
final class PipeHandler extends ChannelInboundHandlerAdapter implements ZmtpFrameListener, Runnable {
  private static final int BATCH_BYTES = 32 * 1024;
  private static final int ZERO_COPY_THRESHOLD = 16 * 1024;
  private static final int MAX_BATCH_MESSAGES = 16 * 1024;

  private final SocketCore core;
  private final Connector connector;
  private final Binding binding;
  private final Runnable resumeTask = this::resume;
  private ChannelHandlerContext ctx;
  private String endpoint;
  private NetPipe pipe;
  private boolean zmtp31;
  /** The pooled buffer a flush is filling with small frames; null between flushes. */
  private ByteBuf batch;
  private byte[][] parts = new byte[4][];
  /** The frames of a message being read as buffers ({@link #framesAsBuffers}); owned here until delivered. */
  private ByteBuf[] bufferParts = new ByteBuf[4];
  private int partCount;
  private boolean delivered;
  /** Messages and body octets read since the last {@link #channelReadComplete}, counted into the socket there. */
  private int readMessages;
  private long readOctets;
  private long lastReadNanos;
  /** The last look at the pipe's {@link NetPipe#inboundTaken()}: never ahead of it. */
  private long inboundTakenSeen;
  private ScheduledFuture<?> heartbeat;
  private ScheduledFuture<?> ttlTimer;

  /** A handler for a connection made by {@code connector}, or accepted by {@code binding}. */
  PipeHandler(SocketCore core, Connector connector, Binding binding) {
    this.core = core;
    this.connector = connector;
    this.binding = binding;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.endpoint = connector != null ? connector.endpoint() : binding.endpoint() + " from "
        + peerAddress(ctx.channel().remoteAddress());
    ZmtpHandshakeHandler handshake = ctx.pipeline().get(ZmtpHandshakeHandler.class);
    handshake.handshakeFuture().addListener(f -> {
      if (!f.isSuccess()) {
        core.monitor(MonitorEvent.of(MonitorEvent.Type.HANDSHAKE_FAILED, endpoint, f.cause().getMessage()),
            f.cause());
      }
    });
  }

  /** A peer's address as users write one, {@code 127.0.0.1:40312} or {@code [::1]:40312}, or an ipc peer's. */
  private static String peerAddress(SocketAddress address) {
    return address instanceof InetSocketAddress inet && !inet.isUnresolved() ? NetUtil.toSocketAddressString(inet)
        : String.valueOf(address);
  }

  /** Called by the handshake handler once the peer is accepted; returns the listener for its frames. */
  ZmtpFrameListener onHandshake(ZmtpPeer peer) {
    pipe = connector != null ? connector.pipe() : new NetPipe(core, endpoint);
    if (!core.acceptsPeer(pipe)) {
      throw new ZmtpException(core.isClosed() ? "socket is closing" : core.type() + " already has a peer");
    }
    zmtp31 = peer.zmtp31();
    // Every message received on this connection carries this one ZmtpPeer (User-Id, metadata) by reference.
    pipe.peer(peer);
    lastReadNanos = System.nanoTime();
    if (connector == null) {
      core.pipeAdded(pipe);
    } else {
      connector.connected();
    }
    core.pipeAttached(pipe, peer.identity());
    if (!pipe.attach(this)) {
      // The pipe was closed during the handshake (by a disconnect, or the socket's close): undo, and hang up.
      if (connector == null) {
        core.pipeRemoved(pipe);
      } else {
        core.pipeDetached(pipe);
      }
      ctx.close();
      return this;
    }
    startHeartbeats();
    core.monitor(connector != null ? MonitorEvent.Type.CONNECTED : MonitorEvent.Type.ACCEPTED, endpoint,
        "peer " + peer.socketType() + " ZMTP 3." + (zmtp31 ? 1 : 0));
    return this;
  }

  // ---- outbound ----

  void scheduleFlush() {
    ctx.executor().execute(this);
  }

  /** Drains the pipe into the connection: the flush task. */
  @Override
  public void run() {
    NetPipe p = pipe;
    p.flushScheduled.set(false);
    if (!ctx.channel().isActive()) {
      return;
    }
    writeSubscriptions(p);
    int count = 0;
    long octets = 0;
    Object next;
    int skip = p.outboundSkip();
    while (ctx.channel().isWritable() && count < MAX_BATCH_MESSAGES && (next = p.out.relaxedPoll()) != null) {
      count++;
      if (next instanceof DirectMessage direct) {
        octets += writeFrames(direct, skip);
        continue;
      }
      Message m = (Message) next;
      int last = m.size() - 1;
      for (int i = skip; i <= last; i++) {
        byte[] body = m.frame(i);
        octets += body.length;
        if (body.length >= ZERO_COPY_THRESHOLD) {
          writeLarge(body.length, i < last, Unpooled.wrappedBuffer(body));
        } else {
          ZmtpFrames.writeFrame(batchWithRoom(9 + body.length), body, i < last);
        }
      }
    }
    if (batch != null) {
      ctx.write(batch, ctx.voidPromise());
      batch = null;
    }
    ctx.flush();
    if (count > 0) {
      p.released(count, octets);
      core.counters.sent(count, octets);
    }
    if (!p.out.isEmpty() && ctx.channel().isWritable() && p.flushScheduled.compareAndSet(false, true)) {
      scheduleFlush();
    }
    if (core.isLingering()) {
      signalWhenWritten();
    }
  }

  /**
   * For a lingering close: signals the socket's writable condition once everything written so far has left, so
   * that the close waits for a signal instead of looking again and again. An empty write completes after every write
   * before it.
   */
  private void signalWhenWritten() {
    if (!ctx.channel().isActive()) {
      core.signalWritable();
      return;
    }
    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> core.signalWritable());
  }

  /** {@link #signalWhenWritten()} on the connection's event loop; callable from any thread. */
  void signalWhenWrittenLater() {
    try {
      ctx.executor().execute(this::signalWhenWritten);
    } catch (RejectedExecutionException stopped) {
      core.signalWritable();
    }
  }

  /**
   * The batch being filled, with room for {@code need} more octets. A flush's first buffer is sized for this frame
   * times the messages in the pipe; each next one, as the last filled up while more kept coming, twice the last; up
   * to {@value #BATCH_BYTES} octets. The write buffer's high-water mark counts the octets written, not the buffers'
   * capacity: a whole batch buffer for every flush of a few small messages held 64 KiB per 20 octets counted, and a
   * publisher whose subscribers stopped reading ran out of direct memory. (Sized for the messages queued at the
   * start alone, a flush that kept finding more wrote a buffer per message: pub/sub 1:1 ran at half its speed.)
   */
  private ByteBuf batchWithRoom(int need) {
    if (batch == null || batch.writableBytes() < need) {
      long wanted;
      if (batch != null) {
        wanted = 2L * batch.capacity();
        ctx.write(batch, ctx.voidPromise());
      } else {
        wanted = (long) need * Math.max(1, pipe.queued());
      }
      batch = ctx.alloc().directBuffer((int) Math.max(need, Math.min(BATCH_BYTES, wanted)));
    }
    return batch;
  }

  /**
   * A large frame: its header ends the batch (or goes alone in a small buffer when there is none), which is written,
   * then the body by reference (a gathering write).
   */
  private void writeLarge(int length, boolean more, ByteBuf body) {
    if (batch == null || batch.writableBytes() < 9) {
      if (batch != null) {
        ctx.write(batch, ctx.voidPromise());
      }
      batch = ctx.alloc().directBuffer(9);
    }
    ZmtpFrames.writeHeader(batch, length, more);
    ctx.write(batch, ctx.voidPromise());
    batch = null;
    ctx.write(body, ctx.voidPromise());
  }

  /**
   * Writes a direct message's frames from {@code skip} on, small ones into the batch, large ones by reference, and
   * releases the message; returns the octets written.
   */
  private long writeFrames(DirectMessage message, int skip) {
    long octets = 0;
    try {
      int last = message.size() - 1;
      for (int i = skip; i <= last; i++) {
        ByteBuf body = message.frame(i);
        int length = body.readableBytes();
        octets += length;
        if (length >= ZERO_COPY_THRESHOLD) {
          writeLarge(length, i < last, body.retainedDuplicate());
        } else {
          ZmtpFrames.writeHeader(batchWithRoom(9 + length), length, i < last);
          batch.writeBytes(body, body.readerIndex(), length);
        }
      }
    } finally {
      message.release();
    }
    return octets;
  }

  private void writeSubscriptions(NetPipe p) {
    NetPipe.Subscription s;
    while ((s = p.control.poll()) != null) {
      ByteBuf out;
      if (zmtp31) {
        ZmtpCommand command = s.subscribe() ? new ZmtpCommand.Subscribe(s.topic()) : new ZmtpCommand.Cancel(s.topic());
        out = ctx.alloc().buffer(9 + command.encodedLength());
        command.encode(out);
      } else {
        out = ctx.alloc().buffer(10 + s.topic().length);
        ZmtpFrames.writeHeader(out, s.topic().length + 1, false);
        out.writeByte(s.subscribe() ? 1 : 0);
        out.writeBytes(s.topic());
      }
      ctx.write(out, ctx.voidPromise());
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (pipe != null && ctx.channel().isWritable()) {
      run();
    }
    ctx.fireChannelWritabilityChanged();
  }

  /** Whether everything handed to the connection has been written to the socket. */
  boolean isFlushed() {
    ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
    return !pipe.flushScheduled.get() && (buffer == null || buffer.totalPendingWriteBytes() == 0);
  }

  void close() {
    ctx.close();
  }

  // ---- inbound ----

  @Override
  public void onFrame(byte[] body, boolean more) {
    readOctets += body.length;
    if (!more) {
      readMessages++;
    }
    // A ROUTER's routing id goes in front as the message is built. A message of one or two frames keeps them in
    // fields: nothing but the payload and the message is allocated.
    byte[] prefix = pipe.inboundPrefix();
    if (partCount == 0 && !more) {
      deliver(prefix == null ? MessageAccess.wrap(body) : MessageAccess.wrap(prefix, body));
      return;
    }
    if (partCount == 1 && !more && prefix == null) {
      byte[] first = parts[0];
      parts[0] = null;
      partCount = 0;
      deliver(MessageAccess.wrap(first, body));
      return;
    }
    if (partCount == parts.length) {
      parts = Arrays.copyOf(parts, partCount * 2);
    }
    parts[partCount++] = body;
    if (!more) {
      int at = prefix == null ? 0 : 1;
      byte[][] frames = new byte[at + partCount][];
      if (prefix != null) {
        frames[0] = prefix;
      }
      System.arraycopy(parts, 0, frames, at, partCount);
      Arrays.fill(parts, 0, partCount, null);
      partCount = 0;
      deliver(MessageAccess.wrap(frames));
    }
  }

  private void deliver(Message message) {
    queued(core.deliver(pipe, message, false));
  }

  /** Counts a message the socket queued, pausing reads at the receive high-water mark. */
  private void queued(boolean queued) {
    if (queued) {
      delivered = true;
      long arrived = pipe.countInbound();
      int mark = core.options().receiveHighWaterMark();
      if (mark > 0 && arrived - inboundTakenSeen >= mark) {
        inboundTakenSeen = pipe.inboundTaken(); // read only when the window looks full by the last look at it
        if (arrived - inboundTakenSeen >= mark) {
          pipe.readPaused = true;
          ctx.channel().config().setAutoRead(false);
          // The user may have taken the messages before it could see the pause: looked at again after saying so.
          resume();
        }
      }
    }
  }

  /** Frames as buffers for a socket with {@link io.switchboard.socket.SocketOptions#zeroCopyReceive()}. */
  @Override
  public boolean framesAsBuffers() {
    return core.options().zeroCopyReceive();
  }

  /** A frame read without a copy: gathered into a {@link DirectMessage}, which the socket takes over. */
  @Override
  public void onFrame(ByteBuf body, boolean more) {
    readOctets += body.readableBytes();
    if (!more) {
      readMessages++;
    }
    byte[] prefix = pipe.inboundPrefix();
    if (partCount == 0 && !more && prefix == null) {
      queued(core.deliver(pipe, MessageAccess.direct(body), false));
      return;
    }
    if (partCount == bufferParts.length) {
      bufferParts = Arrays.copyOf(bufferParts, partCount * 2);
    }
    bufferParts[partCount++] = body;
    if (!more) {
      int at = prefix == null ? 0 : 1;
      ByteBuf[] frames = new ByteBuf[at + partCount];
      if (prefix != null) {
        frames[0] = Unpooled.wrappedBuffer(prefix);
      }
      System.arraycopy(bufferParts, 0, frames, at, partCount);
      Arrays.fill(bufferParts, 0, partCount, null);
      partCount = 0;
      queued(core.deliver(pipe, MessageAccess.direct(frames), false));
    }
  }

  @Override
  public void onCommand(ZmtpCommand command) {
    if (command instanceof ZmtpCommand.Ping) {
      ZmtpCommand.Ping ping = (ZmtpCommand.Ping) command;
      if (ping.ttlDeciseconds() > 0) {
        armTtl(ping.ttlDeciseconds() * 100L);
      }
      writeCommand(new ZmtpCommand.Pong(ping.context()));
    } else if (command instanceof ZmtpCommand.Subscribe || command instanceof ZmtpCommand.Cancel) {
      boolean subscribe = command instanceof ZmtpCommand.Subscribe;
      byte[] topic = subscribe ? ((ZmtpCommand.Subscribe) command).topic() : ((ZmtpCommand.Cancel) command).topic();
      Message asMessage = core.subscriptionCommand(topic, subscribe);
      if (asMessage != null) {
        deliver(asMessage);
      }
    } else if (command instanceof ZmtpCommand.Error) {
      core.monitor(MonitorEvent.Type.PROTOCOL_ERROR, endpoint,
          "peer sent ERROR: " + ((ZmtpCommand.Error) command).reason());
      ctx.close();
    } else if (command instanceof ZmtpCommand.Ready) {
      core.monitor(MonitorEvent.Type.PROTOCOL_ERROR, endpoint, "READY after the handshake");
      ctx.close();
    }
    // RFC 37: other commands are ignored (PONG only proves the peer is alive, which any read already does).
  }

  private void writeCommand(ZmtpCommand command) {
    ByteBuf out = ctx.alloc().buffer(9 + command.encodedLength());
    command.encode(out);
    ctx.writeAndFlush(out, ctx.voidPromise());
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    lastReadNanos = System.nanoTime();
    if (readMessages > 0) {
      core.counters.received(readMessages, readOctets);
      readMessages = 0;
      readOctets = 0;
    }
    if (delivered) {
      delivered = false;
      core.signalReadable();
    }
    ctx.fireChannelReadComplete();
  }

  /** Called by a receiving thread when the pipe's inbound count fell to the low-water mark. */
  void resumeReading() {
    ctx.executor().execute(resumeTask);
  }

  private void resume() {
    pipe.resumeAsked.set(false); // first: a receiver that takes more after the look below may ask again
    if (pipe.readPaused && pipe.inboundQueued() <= core.options().receiveHighWaterMark() / 2) {
      pipe.readPaused = false;
      ctx.channel().config().setAutoRead(true);
    }
  }

  // ---- heartbeats ----

  private void startHeartbeats() {
    long interval = core.options().heartbeatInterval().toMillis();
    if (interval <= 0) {
      return;
    }
    long silenceAllowed = TimeUnit.MILLISECONDS.toNanos(interval + core.options().heartbeatTimeout().toMillis());
    int ttl = (int) (core.options().heartbeatTtl().toMillis() / 100);
    heartbeat = ctx.executor().scheduleAtFixedRate(() -> {
      if (System.nanoTime() - lastReadNanos > silenceAllowed) {
        core.monitor(MonitorEvent.Type.DISCONNECTED, endpoint, "heartbeat timeout");
        ctx.close();
      } else {
        writeCommand(new ZmtpCommand.Ping(ttl, new byte[0]));
      }
    }, interval, interval, TimeUnit.MILLISECONDS);
  }

  /** The peer asked us to drop the connection if we hear nothing from it for {@code millis}. */
  private void armTtl(long millis) {
    if (ttlTimer != null) {
      ttlTimer.cancel(false);
    }
    long armedAt = lastReadNanos;
    ttlTimer = ctx.executor().schedule(() -> {
      if (lastReadNanos == armedAt) {
        core.monitor(MonitorEvent.Type.DISCONNECTED, endpoint, "peer's heartbeat TTL expired");
        ctx.close();
      }
    }, millis, TimeUnit.MILLISECONDS);
  }

  // ---- life cycle ----

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (binding != null) {
      binding.accepted(ctx.channel());
    }
    super.channelActive(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    for (int i = 0; i < partCount && bufferParts[i] != null; i++) {
      bufferParts[i].release();
      bufferParts[i] = null;
    }
    if (heartbeat != null) {
      heartbeat.cancel(false);
    }
    if (ttlTimer != null) {
      ttlTimer.cancel(false);
    }
    if (pipe != null && pipe.handler() == this) {
      pipe.detach(this);
      if (connector == null) {
        pipe.close();
        core.pipeRemoved(pipe);
      } else {
        core.pipeDetached(pipe);
      }
      core.monitor(MonitorEvent.Type.DISCONNECTED, endpoint, "");
    }
    if (connector != null) {
      connector.disconnected();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    if (c instanceof ZmtpException) {
      core.monitor(MonitorEvent.Type.PROTOCOL_ERROR, endpoint, c.getMessage());
    } else if (!(c instanceof IOException)) {
      core.context.listenerFailed(core, c);
    }
    ctx.close();
  }
}
