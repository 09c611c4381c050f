package io.switchboard.zmtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs the ZMTP 3.x handshake on a new connection (the greeting, then the NULL, PLAIN or CURVE mechanism that
 * {@link ZmtpHandshakeOptions#security()} names), then replaces itself with a {@link ZmtpFrameDecoder}.
 *
 * <pre>
 *   us                                   peer
 *   greeting (3.1, mechanism)     ───►
 *                                 ◄───   greeting
 *   check signature, version, mechanism
 *   mechanism commands            ◄──►   NULL: READY both ways; PLAIN: HELLO WELCOME INITIATE READY;
 *                                        CURVE: HELLO WELCOME INITIATE READY, boxed
 *   check Socket-Type; complete handshakeFuture(); install the frame decoder (for CURVE behind a MESSAGE codec)
 * </pre>
 *
 * <p>Our greeting goes out as soon as the channel is active, our first command once the peer's greeting is checked,
 * as libzmq does. The peer's version decides the protocol revision: 3.0 if it announces 3.0, 3.1 otherwise. Every
 * handshake command is size-checked on its header (the metadata limit plus the mechanism's fixed overhead) before
 * its body is read, and the whole handshake is bounded by the timeout, whatever the mechanism.
 *
 * <p>On any violation (no ZMTP 3 signature, an old version, another mechanism, a malformed or oversized command, a
 * box that does not open, an authenticator's refusal, an incompatible Socket-Type, the handshake timeout) the
 * handler sends ERROR where the peer can read it, closes the connection and fails {@link #handshakeFuture()} with a
 * {@link ZmtpException} ({@link ZmtpAuthenticationException} for a refusal).
 */
public final class ZmtpHandshakeHandler extends ByteToMessageDecoder {
  private enum State { GREETING, MECHANISM, DONE, FAILED }

  private final ZmtpHandshakeOptions options;
  private final Function<ZmtpPeer, ZmtpFrameListener> onReady;
  private final ZmtpMechanism mechanism;
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
    this.mechanism = ZmtpMechanism.of(options);
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
        () -> fail(ctx, "handshake: not complete after " + millis + " ms (waiting for the peer's "
            + (state == State.GREETING ? "GREETING" : mechanism.expecting()) + ", " + received
            + " octets received)", false), millis, TimeUnit.MILLISECONDS);
    ByteBuf out = ctx.alloc().buffer(ZmtpGreeting.LENGTH);
    ZmtpGreeting.ours(options.security().mechanism(), options.security().asServer()).encode(out);
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
        String ours = options.security().mechanism();
        if (!ours.equals(peerGreeting.mechanism())) {
          fail(ctx, "handshake: peer uses mechanism " + peerGreeting.mechanism() + " (expected: " + ours + ")",
              true);
          return;
        }
        // The peer's as-server flag is not checked: libzmq 4.3 sends 0 even from a PLAIN or CURVE server, and the
        // mechanisms' own commands already fail when both sides take the same role.
        state = State.MECHANISM;
        mechanism.start(ctx);
      }
      while (state == State.MECHANISM) {
        ByteBuf body = readCommandFrame(in);
        if (body == null) {
          return;
        }
        int start = body.readerIndex();
        String mangled = libzmqErrorReason(body);
        if (mangled != null) {
          fail(ctx, "handshake: peer sent ERROR: " + mangled + (isZapStatus(mangled)
              ? " (the peer's authenticator refused us)" : ""), false);
          return;
        }
        String name = ZmtpMechanism.readName(body);
        if ("ERROR".equals(name)) {
          String reason = ((ZmtpCommand.Error) ZmtpCommand.decode(body.readerIndex(start))).reason();
          fail(ctx, "handshake: peer sent ERROR: " + reason + (isZapStatus(reason)
              ? " (the peer's authenticator refused us)" : ""), false);
          return;
        }
        ZmtpMetadata metadata = mechanism.onCommand(ctx, name, body);
        if (metadata != null) {
          accept(ctx, metadata);
        }
      }
    } catch (ZmtpAuthenticationException e) {
      fail(ctx, new ZmtpAuthenticationException("handshake: " + e.getMessage(), e.statusCode()), e.statusCode());
    } catch (ZmtpException e) {
      fail(ctx, e.getMessage(), state == State.MECHANISM);
    } catch (RuntimeException e) {
      // onReady or an authenticator refused the peer in an unexpected way: still a failed handshake, never a hung one.
      fail(ctx, "handshake: " + e, false);
    }
  }

  /**
   * The reason of the malformed ERROR that libzmq 4.3.4 sends when its ZAP handler refuses us, or null. Its body
   * lacks the name's length octet: {@code '^' "RROR" reason-size:1 reason}, e.g. {@code 5e 52 52 4f 52 03 "400"}.
   */
  private static String libzmqErrorReason(ByteBuf body) {
    int at = body.readerIndex();
    if (body.readableBytes() < 6 || body.getByte(at) == 5
        || !"RROR".equals(body.toString(at + 1, 4, java.nio.charset.StandardCharsets.US_ASCII))) {
      return null;
    }
    int length = body.getUnsignedByte(at + 5);
    if (body.readableBytes() != 6 + length) {
      return null;
    }
    return body.toString(at + 6, length, java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** Whether an ERROR reason is a ZAP status code (RFC 27: 300, 400 or 500), as libzmq and we send on refusal. */
  private static boolean isZapStatus(String reason) {
    return reason.length() == 3 && reason.charAt(0) >= '3' && reason.charAt(0) <= '5' && reason.endsWith("00");
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
    if (size < 0 || size > mechanism.maxCommandSize(options.maxMetadataSize())) {
      throw new ZmtpException("handshake: " + mechanism.expecting() + " of " + size
          + " octets is over the limit (maxMetadataSize " + options.maxMetadataSize() + ")");
    }
    if (in.readableBytes() < headerLength + size) {
      return null;
    }
    in.skipBytes(headerLength);
    return in.readSlice((int) size);
  }

  /** {@code host:port} for an inet peer, as libzmq's Peer-Address; empty for Unix domain sockets and the like. */
  private static String peerAddress(SocketAddress address) {
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      String host = inet.getAddress().getHostAddress();
      return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
    }
    return "";
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
    ZmtpPeer peer = new ZmtpPeer(peerGreeting, peerType, metadata, peerGreeting.atLeast31(), mechanism.userId(),
        peerAddress(ctx.channel().remoteAddress()));
    // CURVE's MESSAGE codec goes in first, so that anything onReady writes is already sealed.
    mechanism.installCodec(ctx);
    ZmtpFrameListener listener;
    try {
      listener = onReady.apply(peer);
    } catch (RuntimeException e) {
      mechanism.removeCodec(ctx);
      throw e;
    }
    state = State.DONE;
    timeout.cancel(false);
    // For CURVE: handshake → CURVE decoder → CURVE encoder (outbound only) → frame decoder → the listener.
    String after = ctx.pipeline().get(ZmtpCurveMessageEncoder.NAME) != null ? ZmtpCurveMessageEncoder.NAME
        : ctx.name();
    ctx.pipeline().addAfter(after, "zmtp-frames", new ZmtpFrameDecoder(listener, options.maxMessageSize()));
    promise.trySuccess(peer);
    // Removing this decoder passes any octets that followed READY to the frame decoder.
    ctx.pipeline().remove(this);
  }

  private void fail(ChannelHandlerContext ctx, String reason, boolean tellPeer) {
    fail(ctx, new ZmtpException(reason), tellPeer ? reason : null);
  }

  /** Fails the handshake; {@code peerReason}, if not null, goes to the peer in an ERROR command. */
  private void fail(ChannelHandlerContext ctx, ZmtpException failure, String peerReason) {
    if (state == State.DONE || state == State.FAILED) {
      return;
    }
    state = State.FAILED;
    if (timeout != null) {
      timeout.cancel(false);
    }
    promise.tryFailure(failure);
    if (peerReason != null && ctx.channel().isActive()) {
      ByteBuf out = ctx.alloc().buffer();
      new ZmtpCommand.Error(peerReason.replaceAll("[^\\x20-\\x7e]", "?")).encode(out);
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
