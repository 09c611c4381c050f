package io.switchboard.bus.mesh.internal;

import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.socket.Endpoint;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Dials one endpoint until a peer answers there: after each failure it waits a delay that doubles from {@code
 * reconnectInterval} up to {@code reconnectIntervalMax}, with ±20% jitter, and gives up after {@code reconnectLimit}
 * failures in a row (if there is a limit). Runs on the peer's I/O thread.
 */
final class Dialer {
  final PeerCore core;
  final String uri;
  final Endpoint endpoint;
  final boolean keep;
  final CompletableFuture<String> result = new CompletableFuture<>();
  int failures;
  boolean closed;
  private ScheduledFuture<?> timer;
  private ChannelFuture connecting;

  Dialer(PeerCore core, String uri, Endpoint endpoint, boolean keep) {
    this.core = core;
    this.uri = uri;
    this.endpoint = endpoint;
    this.keep = keep;
  }

  void dial() {
    if (closed) {
      return;
    }
    connecting = core.connect(this);
    connecting.addListener(f -> {
      if (!f.isSuccess()) {
        failed(String.valueOf(f.cause().getMessage()));
      }
    });
  }

  /** An attempt failed (refused, or the link closed before the peers said HELLO): try again later, or give up. */
  void failed(String why) {
    if (closed || result.isDone()) {
      return;
    }
    failures++;
    int limit = core.config.reconnectLimit();
    if (limit > 0 && failures > limit) {
      core.gaveUp(this, "no peer at " + uri + " after " + failures + " attempts (last: " + why + ")");
      return;
    }
    timer = core.loop.schedule(this::dial, delayMillis(failures - 1), TimeUnit.MILLISECONDS);
  }

  long delayMillis(int failuresBefore) {
    long initial = core.config.reconnectInterval().toMillis();
    long max = core.config.reconnectIntervalMax().toMillis();
    long base = Math.min(max, initial << Math.min(failuresBefore, 20));
    double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
    return Math.max(1, Math.min(max, Math.round(base * jitter)));
  }

  void close() {
    closed = true;
    if (timer != null) {
      timer.cancel(false);
    }
    if (connecting != null && !connecting.isDone()) {
      connecting.cancel(false);
    }
  }
}
