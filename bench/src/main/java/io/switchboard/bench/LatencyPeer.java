package io.switchboard.bench;

import io.switchboard.bench.PeerSupport.PeerException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * A REQ/REP latency peer, started by {@link BenchRunner}, like libzmq's {@code local_lat}/{@code remote_lat}.
 *
 * <ul>
 *   <li>{@code role=rep}: binds a REP, prints {@code ENDPOINT}, and echoes a message of the same size to every
 *       request until stopped.
 *   <li>{@code role=req}: connects a REQ, makes {@code warmup} round trips unmeasured, then times {@code count} round
 *       trips one by one (send to receive, {@link System#nanoTime()}), and prints {@code RESULT} with the median, 99th
 *       and 99.9th percentiles, mean and maximum in nanoseconds.
 * </ul>
 *
 * <p>Arguments ({@code key=value}): {@code role lib hwm size count warmup maxSeconds}, plus {@code bind} (rep),
 * {@code connect firstSeconds stallSeconds limitSeconds} (req), and {@code spin=true} (req, optional): the REQ
 * busy-spins while it waits for each reply ({@link Library#open(int, boolean)}); the REP blocks as usual.
 */
public final class LatencyPeer {
  private LatencyPeer() {}

  /** Runs one peer; see the class comment for the arguments. */
  public static void main(String[] argv) {
    PeerSupport.main(argv, LatencyPeer::run);
  }

  private static void run(PeerSupport peer) {
    boolean spin = Boolean.parseBoolean(peer.optionalArg("spin"));
    BenchContext context = peer.library().open(peer.intArg("hwm"), spin && peer.arg("role").equals("req"));
    int size = peer.intArg("size");
    byte[] payload = ThroughputPeer.payload(size);
    switch (peer.arg("role")) {
      case "rep": {
        BenchSocket socket = context.socket(SocketKind.REP);
        PeerSupport.emit("ENDPOINT " + socket.bind(peer.arg("bind")));
        Duration poll = Duration.ofMillis(200);
        while (!PeerSupport.stopped()) {
          int n = socket.receive(poll);
          if (n < 0) {
            continue;
          }
          if (n != size) {
            throw new PeerException("received a frame of " + n + " octets (expected: " + size + ")");
          }
          socket.send(payload);
        }
        PeerSupport.closeTimed("rep socket", socket);
        break;
      }
      case "req": {
        BenchSocket socket = context.socket(SocketKind.REQ);
        socket.connect(peer.arg("connect"));
        measure(peer, socket, payload);
        PeerSupport.closeTimed("req socket", socket);
        break;
      }
      default:
        throw new IllegalArgumentException("role: " + peer.arg("role") + " (expected: rep or req)");
    }
    PeerSupport.closeTimed("context", context);
  }

  private static void measure(PeerSupport peer, BenchSocket socket, byte[] payload) {
    long warmup = peer.longArg("warmup");
    int count = peer.intArg("count");
    Duration first = Duration.ofSeconds(peer.longArg("firstSeconds"));
    Duration stall = Duration.ofSeconds(peer.longArg("stallSeconds"));
    long limitNanos = TimeUnit.SECONDS.toNanos(peer.longArg("limitSeconds"));
    long begin = System.nanoTime();
    for (long i = 0; i < warmup; i++) {
      roundTrip(socket, payload, i == 0 ? first : stall, i);
      if ((i & 0xFF) == 0 && System.nanoTime() - begin > limitNanos) {
        throw new PeerException("too slow: only " + i + " of " + warmup + " warm-up round trips in "
            + TimeUnit.NANOSECONDS.toSeconds(limitNanos) + " s");
      }
    }
    long[] samples = new long[count];
    int n = 0;
    boolean partial = false;
    while (n < count) {
      long t0 = System.nanoTime();
      roundTrip(socket, payload, stall, warmup + n);
      long t1 = System.nanoTime();
      samples[n++] = t1 - t0;
      if ((n & 0xFF) == 0 && t1 - begin > limitNanos) {
        partial = true;
        break;
      }
    }
    Arrays.sort(samples, 0, n);
    long sum = 0;
    for (int i = 0; i < n; i++) {
      sum += samples[i];
    }
    PeerSupport.emit("RESULT samples=" + n + " p50=" + percentile(samples, n, 0.50) + " p99="
        + percentile(samples, n, 0.99) + " p999=" + percentile(samples, n, 0.999) + " mean=" + (sum / n) + " max=" + samples[n - 1] + " partial=" + partial);
  }

  private static void roundTrip(BenchSocket socket, byte[] payload, Duration timeout, long index) {
    socket.send(payload);
    int n = socket.receive(timeout);
    if (n < 0) {
      throw new PeerException("no reply within " + timeout.toSeconds() + " s to request " + (index + 1));
    }
    if (n != payload.length) {
      throw new PeerException("reply of " + n + " octets (expected: " + payload.length + ")");
    }
  }

  /** The nearest-rank percentile of the first {@code n} sorted samples. */
  static long percentile(long[] sorted, int n, double p) {
    int rank = (int) Math.ceil(p * n);
    return sorted[Math.max(0, Math.min(n - 1, rank - 1))];
  }
}
