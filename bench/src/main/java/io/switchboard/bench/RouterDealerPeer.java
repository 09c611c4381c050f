package io.switchboard.bench;

import io.switchboard.bench.PeerSupport.PeerException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A ROUTER/DEALER peer, started by {@link BenchRunner}: request-reply throughput with several clients in flight.
 *
 * <ul>
 *   <li>{@code role=router}: binds a ROUTER, prints {@code ENDPOINT}, and echoes every message (routing id and
 *       body) back to the DEALER it came from, until stopped. One thread: fair-queueing in, routing by id out.
 *   <li>{@code role=dealer}: connects {@code dealers} DEALER sockets, sends {@code window} requests on each, then
 *       visits them in turn on one thread: take one reply, send one request. It counts replies: {@code warmup}
 *       unmeasured, then {@code count}, and prints {@code RESULT} in {@link ThroughputPeer}'s form (replies per
 *       second over all DEALERs).
 * </ul>
 *
 * <p>The window stays below the high-water mark, so a ROUTER never has to drop a reply. Arguments ({@code key=value}):
 * {@code role lib hwm size count warmup maxSeconds}, plus {@code bind} (router), {@code connect dealers window
 * firstSeconds stallSeconds limitSeconds} (dealer). libzmq's peer ({@code zmq_peer.c}) has the same roles.
 */
public final class RouterDealerPeer {
  /** Requests in flight per DEALER when the high-water mark allows. */
  static final int DEFAULT_WINDOW = 100;
  /** The most DEALER sockets in one peer. */
  static final int MAX_DEALERS = 1024;

  private RouterDealerPeer() {}

  /** Runs one peer; see the class comment for the arguments. */
  public static void main(String[] argv) {
    PeerSupport.main(argv, RouterDealerPeer::run);
  }

  /** The requests in flight per DEALER: {@link #DEFAULT_WINDOW}, or less to stay below half the high-water mark. */
  static int window(int highWaterMark) {
    return highWaterMark == 0 ? DEFAULT_WINDOW : Math.max(1, Math.min(DEFAULT_WINDOW, highWaterMark / 2));
  }

  private static void run(PeerSupport peer) {
    BenchContext context = peer.library().open(peer.intArg("hwm"));
    int size = peer.intArg("size");
    switch (peer.arg("role")) {
      case "router": {
        BenchSocket router = context.socket(SocketKind.ROUTER);
        PeerSupport.emit("ENDPOINT " + router.bind(peer.arg("bind")));
        Duration poll = Duration.ofMillis(200);
        while (!PeerSupport.stopped()) {
          int n = router.echo(poll);
          if (n >= 0 && n != size) {
            throw new PeerException("received a frame of " + n + " octets (expected: " + size + ")");
          }
        }
        PeerSupport.closeTimed("router socket", router);
        break;
      }
      case "dealer":
        dealers(peer, context, size);
        break;
      default:
        throw new IllegalArgumentException("role: " + peer.arg("role") + " (expected: router or dealer)");
    }
    PeerSupport.closeTimed("context", context);
  }

  private static void dealers(PeerSupport peer, BenchContext context, int size) {
    int n = peer.intArg("dealers");
    if (n < 1 || n > MAX_DEALERS) {
      throw new IllegalArgumentException("dealers: " + n + " (expected: 1 to " + MAX_DEALERS + ")");
    }
    int window = peer.intArg("window");
    long warmup = peer.longArg("warmup");
    long count = peer.longArg("count");
    Duration first = Duration.ofSeconds(peer.longArg("firstSeconds"));
    Duration stall = Duration.ofSeconds(peer.longArg("stallSeconds"));
    long limitNanos = TimeUnit.SECONDS.toNanos(peer.longArg("limitSeconds"));
    byte[] payload = ThroughputPeer.payload(size);
    List<BenchSocket> sockets = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      BenchSocket dealer = context.socket(SocketKind.DEALER);
      dealer.connect(peer.arg("connect"));
      sockets.add(dealer);
    }
    for (BenchSocket dealer : sockets) {
      for (int i = 0; i < window; i++) {
        dealer.send(payload);
      }
    }
    long total = warmup + count;
    long received = 0;
    long firstAt = 0;
    long start = 0;
    boolean partial = false;
    Duration timeout = first;
    while (received < total) {
      BenchSocket dealer = sockets.get((int) (received % n));
      int got = dealer.receive(timeout);
      if (got < 0) {
        throw new PeerException(received == 0 ? "no reply within " + first.toSeconds() + " s"
            : "stalled: no reply for " + stall.toSeconds() + " s after " + received + " of " + total);
      }
      if (got != size) {
        throw new PeerException("reply of " + got + " octets (expected: " + size + ")");
      }
      dealer.send(payload);
      received++;
      long now = 0;
      if (received == 1) {
        now = System.nanoTime();
        firstAt = now;
      }
      if (received == n) {
        timeout = stall;
      }
      if (received == warmup) {
        start = now == 0 ? System.nanoTime() : now;
      }
      if ((received & 0xFF) == 0 && System.nanoTime() - firstAt > limitNanos) {
        if (received <= warmup) {
          throw new PeerException("too slow: only " + received + " of " + warmup + " warm-up replies in "
              + TimeUnit.NANOSECONDS.toSeconds(limitNanos) + " s");
        }
        partial = true;
        break;
      }
    }
    long end = System.nanoTime();
    PeerSupport.emit("RESULT messages=" + (received - warmup) + " nanos=" + (end - start) + " partial=" + partial
        + " warmupNanos=" + (start - firstAt));
    for (BenchSocket dealer : sockets) {
      PeerSupport.closeTimed("dealer socket", dealer);
    }
  }
}
