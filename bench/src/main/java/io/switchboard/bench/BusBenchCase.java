package io.switchboard.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One case of the bus benchmark: events from one publisher to {@code listeners} listeners through a node (or a
 * nats-server), or request/reply round trips through it, at one payload size.
 *
 * @param kind events or requests
 * @param size the payload of each event, request and reply, in octets
 * @param listeners the listeners of an events case; 1 for requests (one requester, one handler)
 * @param count the events each listener measures, or the round trips measured
 * @param warmup the events (round trips) before the measurement, in the same processes
 */
record BusBenchCase(Kind kind, int size, int listeners, long count, long warmup) {
  /** The payload sizes. */
  static final int[] SIZES = {16, 1024};
  /** The listener counts of the events cases, by default. */
  static final int[] LISTENERS = {1, 2, 5, 10};
  /** The most listeners a case may have: each is a process. */
  static final int MAX_LISTENERS = 32;

  /** What a case measures. */
  enum Kind {
    /** Events per second delivered from one publisher to every listener. */
    EVENTS,
    /** Request/reply round-trip latency: p50 and p99. */
    REQUESTS
  }

  /**
   * Every case in report order: the events cases by size and listeners, then the requests cases by size. Counts are
   * the same for the three systems, sized for 2 to 5 s a run of the Java clients (NATS's Go client takes under a
   * second, and has no JIT to warm up); an eighth of that when quick.
   */
  static List<BusBenchCase> all(boolean quick, int[] listenerCounts) {
    List<BusBenchCase> cases = new ArrayList<>();
    for (int size : SIZES) {
      // One listener takes in 300-450k events/s of 16 B on the Java clients here, about 100k of 1 KiB. A node sends
      // each event once per listener, and all listeners together take in more than one but far from N times more:
      // each listener's count shrinks as the square root of their number.
      long base = size <= 128 ? 1_500_000 : 400_000;
      for (int listeners : listenerCounts) {
        long count = Math.round(base / Math.sqrt(listeners) / 1000) * 1000 / (quick ? 8 : 1);
        cases.add(new BusBenchCase(Kind.EVENTS, size, listeners, count, Math.max(1, count / 4)));
      }
    }
    for (int size : SIZES) {
      // Round trips take 200-600 µs here: 10,000 take 2 to 6 s.
      cases.add(new BusBenchCase(Kind.REQUESTS, size, 1, quick ? 2_000 : 10_000, quick ? 500 : 2_000));
    }
    return cases;
  }

  /** The case column: {@code events 1:5} or {@code request/reply}. */
  String label() {
    return kind == Kind.EVENTS ? "events 1:" + listeners : "request/reply";
  }

  /** The name {@code --only} matches: {@code events 1:5 16B}, {@code request/reply 1KiB}. */
  String name() {
    return label() + " " + BenchCase.sizeLabel(size).replace(" ", "");
  }

  /** The metric rows: events/s; or p50 and p99 round trips. */
  List<String> metrics() {
    return kind == Kind.EVENTS ? List.of("events/s") : List.of("p50", "p99");
  }

  /** The unit of the rows. */
  String unit() {
    return kind == Kind.EVENTS ? "events/s" : "µs";
  }

  /** Whether lower figures are better (latency): ratios are then other / Switchboard. */
  boolean lowerIsBetter() {
    return kind == Kind.REQUESTS;
  }

  /** Whether {@code filter} is part of this case's name or of one of its rows' names ({@code ... p99}). */
  boolean matches(String filter) {
    if (name().contains(filter)) {
      return true;
    }
    for (String metric : metrics()) {
      if ((name() + " " + metric).contains(filter)) {
        return true;
      }
    }
    return false;
  }
}
