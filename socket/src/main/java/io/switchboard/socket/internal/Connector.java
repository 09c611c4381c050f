package io.switchboard.socket.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.socket.Endpoint;
import io.switchboard.socket.MonitorEvent;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one connected endpoint connected: dials, and after any failure or loss dials again after a delay that
 * doubles from {@code reconnectInterval} up to {@code reconnectIntervalMax}, with ±20% jitter so that many clients
 * do not come back in step. The delay starts over after a successful handshake. Its pipe lives as long as the
 * connector, so messages wait in it while the peer is away.
 */
final class Connector {
  private final SocketCore core;
  private final Endpoint target;
  private final String endpoint;
  private final NetPipe pipe;
  private final EventLoop loop;
  private int failures;
  private volatile boolean closed;
  private volatile Channel channel;
  private volatile ScheduledFuture<?> timer;

  Connector(SocketCore core, Endpoint target) {
    this.core = core;
    this.target = target;
    this.endpoint = target.toString();
    this.pipe = new NetPipe(core, endpoint);
    this.loop = core.context.transports().nextLoop();
  }

  NetPipe pipe() {
    return pipe;
  }

  String endpoint() {
    return endpoint;
  }

  void start() {
    loop.execute(this::dial);
  }

  /** A failed connect's cause as users read it: an {@link UnknownHostException}'s message is the host alone. */
  private static String describe(Throwable cause) {
    return cause instanceof UnknownHostException ? "unknown host " + cause.getMessage()
        : String.valueOf(cause.getMessage());
  }

  private void dial() {
    if (closed) {
      return;
    }
    ChannelFuture f;
    try {
      f = core.context.transports().connect(core, this, target, loop);
    } catch (RuntimeException e) {
      core.monitor(MonitorEvent.Type.CONNECT_FAILED, endpoint, describe(e));
      scheduleRedial();
      return;
    }
    channel = f.channel();
    f.addListener(done -> {
      if (!done.isSuccess()) {
        core.monitor(MonitorEvent.Type.CONNECT_FAILED, endpoint, describe(done.cause()));
        scheduleRedial();
      }
    });
  }

  /** The handshake succeeded: the next loss starts the backoff over. */
  void connected() {
    failures = 0;
  }

  /** The connection is gone. */
  void disconnected() {
    scheduleRedial();
  }

  private void scheduleRedial() {
    if (closed) {
      return;
    }
    long delay = delayMillis(failures++, core.options().reconnectInterval(), core.options().reconnectIntervalMax());
    core.monitor(new MonitorEvent(MonitorEvent.Type.RECONNECT_SCHEDULED, endpoint, "", Duration.ofMillis(delay)));
    timer = loop.schedule(this::dial, delay, TimeUnit.MILLISECONDS);
  }

  /** The delay before attempt {@code failures + 1}: doubled per failure, capped, with ±20% jitter. */
  static long delayMillis(int failures, Duration initial, Duration max) {
    long base = initial.toMillis() << Math.min(failures, 20);
    long capped = Math.min(max.toMillis(), base);
    double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
    return Math.max(1, Math.min(max.toMillis(), Math.round(capped * jitter)));
  }

  void close() {
    closed = true;
    ScheduledFuture<?> t = timer;
    if (t != null) {
      t.cancel(false);
    }
    Channel c = channel;
    if (c != null) {
      c.close();
    }
    pipe.close();
  }
}
