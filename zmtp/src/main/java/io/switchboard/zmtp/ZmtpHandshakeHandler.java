package io.switchboard.zmtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs the ZMTP 3.x NULL handshake on a new connection, then replaces itself with a {@link ZmtpFrameDecoder}.
 *
 * <pre>
 *   us                                   peer
 *   greeting (3.1, NULL)          ───►
 *                                 ◄───   greeting
 *   check signature, version, mechanism
 *   READY (Socket-Type, Identity) ───►
 *                                 ◄───   READY
 *   check Socket-Type; complete handshakeFuture(); install the frame decoder
 * </pre>
 *
 * <p>Our greeting goes out as soon as the channel is active, READY once the peer's greeting is checked, as libzmq
 * does. The peer's version decides the protocol revision: 3.0 if it announces 3.0, 3.1 otherwise.
 *
 * <p>On any violation (no ZMTP 3 signature, an old version, another mechanism, a malformed or oversized READY, an
 * incompatible Socket-Type, the handshake timeout) the handler sends ERROR where the peer can read it, closes the
 * connection and fails {@link #handshakeFuture()} with a {@link ZmtpException}.
 */
public final class ZmtpHandshakeHandler extends ByteToMessageDecoder {
  private static final String MECHANISM = "NULL";

  private enum State { GREETING, READY, DONE, FAILED }

  private final ZmtpHandshakeOptions options;
  private final Function<ZmtpPeer, ZmtpFrameListener> onReady;
  private State state = State.GREETING;
  private ZmtpGreeting peerGreeting;
  private Promise<ZmtpPeer> promise;
  private ScheduledFuture<?> timeout;
  private long received;

  /**
   * Creates a handler for one connection.
   *
   * @param options what we announce and accept
   * @param onReady called on the event loop once the peer is accepted; returns the listener for its frames, or
   *     throws {@link ZmtpException} to refuse the peer
   */
  public ZmtpHandshakeHandler(ZmtpHandshakeOptions options, Function<ZmtpPeer, ZmtpFrameListener> onReady) {
    this.options = options;
    this.onReady = onReady;
  }

  /** Completes when the handshake succeeds; fails with a {@link ZmtpException} when it does not. */
  public Future<ZmtpPeer> handshakeFuture() {
    return promise;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    promise = ctx.executor().newPromise();
    if (ctx.channel().isActive()) {
      start(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    start(ctx);
    super.channelActive(ctx);
  }

  private void start(ChannelHandlerContext ctx) {
    if (timeout != null) {
      return;
    }
    long millis = options.handshakeTimeout().toMillis();
    timeout = ctx.executor().schedule(
        () -> fail(ctx, "handshake: not complete after " + millis + " ms (waiting for the peer's " + state
            + ", " + received + " octets received)", false), millis, TimeUnit.MILLISECONDS);
    ByteBuf out = ctx.alloc().buffer(ZmtpGreeting.LENGTH);
    ZmtpGreeting.ours(MECHANISM, false).encode(out);
    ctx.writeAndFlush(out);
  }

  private void sendReady(ChannelHandlerContext ctx) {
    Map<String, byte[]> properties = new LinkedHashMap<>();
    properties.put(ZmtpMetadata.SOCKET_TYPE, options.socketType().wireName());
    switch (options.socketType()) {
      case REQ: case DEALER: case ROUTER:
        properties.put(ZmtpMetadata.IDENTITY, options.identity());
        break;
      default:
        break;
    }
    ZmtpCommand ready = new ZmtpCommand.Ready(ZmtpMetadata.of(properties));
    ByteBuf out = ctx.alloc().buffer(9 + ready.encodedLength());
    ready.encode(out);
    ctx.writeAndFlush(out);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (state == State.FAILED) {
      in.skipBytes(in.readableBytes());
      return;
    }
    received = in.readableBytes() + (state == State.GREETING ? 0 : ZmtpGreeting.LENGTH);
    try {
      if (state == State.GREETING) {
        ZmtpGreeting.checkSignature(in);
        if (in.readableBytes() < ZmtpGreeting.LENGTH) {
          return;
        }
        peerGreeting = ZmtpGreeting.decode(in);
        if (!MECHANISM.equals(peerGreeting.mechanism())) {
          fail(ctx, "handshake: peer uses mechanism " + peerGreeting.mechanism() + " (expected: " + MECHANISM + ")",
              true);
          return;
        }
        state = State.READY;
        sendReady(ctx);
      }
      if (state == State.READY) {
        ByteBuf body = readCommandFrame(in);
        if (body == null) {
          return;
        }
        ZmtpCommand command = ZmtpCommand.decode(body);
        if (command instanceof ZmtpCommand.Error) {
          fail(ctx, "handshake: peer sent ERROR: " + ((ZmtpCommand.Error) command).reason(), false);
          return;
        }
        if (!(command instanceof ZmtpCommand.Ready)) {
          fail(ctx, "handshake: peer sent " + command.name() + " (expected: READY)", true);
          return;
        }
        accept(ctx, ((ZmtpCommand.Ready) command).metadata());
      }
    } catch (ZmtpException e) {
      fail(ctx, e.getMessage(), state == State.READY);
    } catch (RuntimeException e) {
      // onReady refused the peer in an unexpected way: still a failed handshake, never a hung one.
      fail(ctx, "handshake: " + e, false);
    }
  }

  /** Returns the body of a whole command frame, or null if more octets are needed. */
  private ByteBuf readCommandFrame(ByteBuf in) {
    if (in.readableBytes() < 2) {
      return null;
    }
    int at = in.readerIndex();
    int flags = in.getUnsignedByte(at);
    if ((flags & ~(ZmtpFrames.FLAG_COMMAND | ZmtpFrames.FLAG_LONG)) != 0
        || (flags & ZmtpFrames.FLAG_COMMAND) == 0) {
      throw new ZmtpException("handshake: frame flags " + Integer.toHexString(flags) + " (expected: a command)");
    }
    boolean isLong = (flags & ZmtpFrames.FLAG_LONG) != 0;
    int headerLength = isLong ? 9 : 2;
    if (in.readableBytes() < headerLength) {
      return null;
    }
    long size = isLong ? in.getLong(at + 1) : in.getUnsignedByte(at + 1);
    if (size < 0 || size > options.maxMetadataSize()) {
      throw new ZmtpException("handshake: READY of " + size + " octets is over the limit (maxMetadataSize "
          + options.maxMetadataSize() + ")");
    }
    if (in.readableBytes() < headerLength + size) {
      return null;
    }
    in.skipBytes(headerLength);
    return in.readSlice((int) size);
  }

  private void accept(ChannelHandlerContext ctx, ZmtpMetadata metadata) {
    String typeName = metadata.getString(ZmtpMetadata.SOCKET_TYPE);
    if (typeName == null) {
      throw new ZmtpException("handshake: READY without Socket-Type");
    }
    ZmtpSocketType peerType = ZmtpSocketType.fromWireName(typeName);
    if (!options.socketType().isCompatibleWith(peerType)) {
      throw new ZmtpException("handshake: Socket-Type " + peerType + " cannot talk to " + options.socketType());
    }
    ZmtpPeer peer = new ZmtpPeer(peerGreeting, peerType, metadata, peerGreeting.atLeast31());
    ZmtpFrameListener listener = onReady.apply(peer);
    state = State.DONE;
    timeout.cancel(false);
    ctx.pipeline().addAfter(ctx.name(), "zmtp-frames", new ZmtpFrameDecoder(listener, options.maxMessageSize()));
    promise.trySuccess(peer);
    // Removing this decoder passes any octets that followed READY to the frame decoder.
    ctx.pipeline().remove(this);
  }

  private void fail(ChannelHandlerContext ctx, String reason, boolean tellPeer) {
    if (state == State.DONE || state == State.FAILED) {
      return;
    }
    state = State.FAILED;
    if (timeout != null) {
      timeout.cancel(false);
    }
    promise.tryFailure(new ZmtpException(reason));
    if (tellPeer && ctx.channel().isActive()) {
      ByteBuf out = ctx.alloc().buffer();
      new ZmtpCommand.Error(reason.replaceAll("[^\\x20-\\x7e]", "?")).encode(out);
      ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    fail(ctx, "handshake: connection closed by peer", false);
    super.channelInactive(ctx);
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    if (timeout != null) {
      timeout.cancel(false);
    }
  }
}
