package io.switchboard.zmtp.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.Future;
import io.switchboard.zmtp.ZmtpHandshakeHandler;
import io.switchboard.zmtp.ZmtpHandshakeOptions;
import io.switchboard.zmtp.ZmtpPeer;
import io.switchboard.zmtp.ZmtpSecurity;
import io.switchboard.zmtp.ZmtpSocketType;
import io.switchboard.zmtp.fuzz.FuzzSupport.Recorder;
import io.switchboard.zmtp.fuzz.FuzzSupport.Tail;
import io.switchboard.zmtp.fuzz.FuzzSupport.TrackingAllocator;
import java.time.Duration;

/**
 * One {@link ZmtpHandshakeHandler} on an {@link EmbeddedChannel} with frozen time (the timeout never fires), a
 * tracking allocator and a {@link Tail} that closes the channel on any exception, as the socket layer does. Feed it
 * octets, then {@link #finish} checks the invariants of {@link FuzzSupport}.
 */
final class HandshakeHarness {
  final TrackingAllocator alloc = new TrackingAllocator();
  final Tail tail = new Tail();
  final EmbeddedChannel channel = new EmbeddedChannel();
  final ZmtpHandshakeOptions options;
  final Recorder recorder;
  final ZmtpHandshakeHandler handler;
  private int fed;
  private int reads;

  HandshakeHarness(ZmtpSocketType type, long maxMessageSize, int maxMetadataSize, ZmtpSecurity security) {
    options = new ZmtpHandshakeOptions(type, FuzzSupport.ascii("id"), maxMessageSize, maxMetadataSize,
        Duration.ofSeconds(30), security);
    recorder = new Recorder(maxMessageSize);
    channel.config().setAllocator(alloc);
    channel.freezeTime();
    handler = new ZmtpHandshakeHandler(options, peer -> recorder);
    channel.pipeline().addLast("zmtp-handshake", handler);
    channel.pipeline().addLast("tail", tail);
  }

  Future<ZmtpPeer> future() {
    return handler.handshakeFuture();
  }

  /** The octets fed so far, and in how many reads. */
  FuzzSupport.Fed fed() {
    return new FuzzSupport.Fed(fed, reads);
  }

  /** Feeds one read's worth of octets. */
  void feed(byte[] octets) {
    fed += octets.length;
    reads++;
    int errors = tail.exceptions.size();
    FuzzSupport.writeInbound(channel, alloc, octets);
    if (tail.exceptions.size() > errors) {
      recorder.failed = true;
    }
  }

  /** Closes the channel and checks every invariant. */
  void finish() {
    for (Throwable t : tail.exceptions) {
      FuzzSupport.assertProtocolError(t);
    }
    assertThat(tail.strayMessages).as("messages that passed the frame decoder").isZero();
    Future<ZmtpPeer> future = future();
    if (future.isDone() && !future.isSuccess()) {
      FuzzSupport.assertHandshakeFailure(future.cause());
      assertThat(channel.isOpen()).as("channel open after a failed handshake").isFalse();
    }
    if (future.isSuccess()) {
      assertThat(options.socketType().isCompatibleWith(future.getNow().socketType())).isTrue();
      assertThat(channel.pipeline().get(ZmtpHandshakeHandler.class)).as("handshake handler still in place").isNull();
    }
    if (!tail.exceptions.isEmpty()) {
      assertThat(channel.isOpen()).as("channel open after a protocol error").isFalse();
    }
    assertThat(recorder.bodyOctets).as("body octets delivered").isLessThanOrEqualTo(fed);
    channel.finishAndReleaseAll();
    alloc.assertAllReleased();
    // The largest buffer the handlers asked for: a greeting, an ERROR, a handshake command, a MESSAGE (CURVE), or
    // the cumulation of what was fed, never a size the peer only claimed.
    long limit = Math.max(options.maxMessageSize(), options.maxMetadataSize()) + 1024L;
    assertThat((long) alloc.largestRequest()).as("largest buffer requested")
        .isLessThanOrEqualTo(Math.max(limit, 2L * fed + 1024));
  }
}
