package io.switchboard.bench;

import io.switchboard.bench.PeerSupport.PeerException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The requesting side of the latency cases, the same for REQ/REP ({@link LatencyPeer}, for Switchboard and JeroMQ)
 * and for the bus benchmark (Switchboard's bus and jnats; in Go, the NATS Go peer does the same): {@code warmup} round
 * trips unmeasured, then {@code count} round trips one at a time, each timed from the request to its reply.
 */
final class RoundTrips {
  private RoundTrips() {}

  /** One request and its reply, checked; {@code index} counts from 0 over warm-up and measurement. */
  @FunctionalInterface
  interface RoundTrip {
    void run(long index, Duration timeout) throws Exception;
  }

  /**
   * Makes the round trips and prints the RESULT line: {@code samples p50 p99 p999 mean max} in nanoseconds and
   * {@code partial}, true when {@code limitSeconds} ended the measurement early.
   */
  static void measure(PeerSupport peer, RoundTrip roundTrip) throws Exception {
    long warmup = peer.longArg("warmup");
    int count = peer.intArg("count");
    Duration first = Duration.ofSeconds(peer.longArg("firstSeconds"));
    Duration stall = Duration.ofSeconds(peer.longArg("stallSeconds"));
    long limitNanos = TimeUnit.SECONDS.toNanos(peer.longArg("limitSeconds"));
    long begin = System.nanoTime();
    for (long i = 0; i < warmup; i++) {
      roundTrip.run(i, i == 0 ? first : stall);
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
      roundTrip.run(warmup + n, stall);
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
    PeerSupport.emit("RESULT samples=" + n + " p50=" + percentile(samples, n, 0.50)
        + " p99=" + percentile(samples, n, 0.99) + " p999=" + percentile(samples, n, 0.999)
        + " mean=" + (sum / n) + " max=" + samples[n - 1] + " partial=" + partial);
  }

  /** The nearest-rank percentile of the first {@code n} sorted samples. */
  private static long percentile(long[] sorted, int n, double p) {
    int rank = (int) Math.ceil(p * n);
    return sorted[Math.max(0, Math.min(n - 1, rank - 1))];
  }
}
