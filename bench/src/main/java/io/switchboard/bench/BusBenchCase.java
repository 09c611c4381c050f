package io.switchboard.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One case of the bus benchmark: events from one publisher to {@code listeners} listeners through a node (or a
 * nats-server), or request/reply round trips through it, at one payload size; or the memory that {@code count} idle
 * clients cost the node (the server).
 *
 * @param kind events, requests or idle clients
 * @param size the payload of each event, request and reply, in octets; 0 for idle clients
 * @param listeners the listeners of an events case; 1 for requests (one requester, one handler); 0 for idle clients
 * @param count the events each listener measures, the round trips measured, or the idle clients
 * @param warmup the events (round trips) before the measurement, in the same processes; 0 for idle clients
 */
record BusBenchCase(Kind kind, int size, int listeners, long count, long warmup) implements NamedCase {
  /** The payload sizes. */
  static final int[] SIZES = {16, 1024};
  /** The listener counts of the events cases, by default. */
  static final int[] LISTENERS = {1, 2, 5, 10};
  /** The most listeners a case may have: each is a process. */
  static final int MAX_LISTENERS = 32;
  /** The idle clients of the idle case, and with {@code --quick}. */
  static final int IDLE_CLIENTS = 10_000;
  static final int QUICK_IDLE_CLIENTS = 1_000;
  /**
   * The most idle clients: each takes a file descriptor in the clients' process and one in the node's, and a
   * loopback port, and the case is sized for a limit of 20,000 descriptors.
   */
  static final int MAX_IDLE_CLIENTS = 18_000;

  /** What a case measures. */
  enum Kind {
    /** Events per second delivered from one publisher to every listener. */
    EVENTS,
    /** Request/reply round-trip latency: p50 and p99. */
    REQUESTS,
    /** The node's (server's) memory per idle client that joined the channel: heap, direct and resident set. */
    IDLE
  }

  /**
   * Every case in report order: the events cases by size and listeners, then the requests cases by size. Counts are
   * the same for the three systems, sized for 2 to 5 s a run of the Java clients (NATS's Go client takes under a
   * second, and has no JIT to warm up); an eighth of that when quick. Last, {@code idleClients} idle clients.
   */
  static List<BusBenchCase> all(boolean quick, int[] listenerCounts, int idleClients) {
    List<BusBenchCase> cases = new ArrayList<>();
    for (int size : SIZES) {
      // One listener takes in 300-450k events/s of 16 B on the Java clients here, about 100k of 1 KiB. A node sends
      // each event once per listener, and all listeners together take in more than one but far from N times more:
      // each listener's count shrinks as the square root of their number.
      long base = size <= 128 ? 1_500_000 : 400_000;
      for (int listeners : listenerCounts) {
        long count = Math.round(base / Math.sqrt(listeners) / 1000) * 1000 / (quick ? 8 : 1);
        // As many events of warm-up as measured, as the socket bench does: with a quarter, the measured seconds held
        // the JVMs' compilations (1.28 s of C2 in the publisher's node across nodes, JFR), and the 1 KiB row across
        // nodes read 0.87x NATS+Go where the same path, warm, reads 1.27x.
        cases.add(new BusBenchCase(Kind.EVENTS, size, listeners, count, count));
      }
    }
    for (int size : SIZES) {
      // Round trips take 200-600 µs here: 10,000 take 2 to 6 s.
      cases.add(new BusBenchCase(Kind.REQUESTS, size, 1, quick ? 2_000 : 10_000, quick ? 2_500 : 20_000));
    }
    cases.add(new BusBenchCase(Kind.IDLE, 0, 0, idleClients, 0));
    return cases;
  }

  /** The idle clients: {@code given} if positive, else {@link #IDLE_CLIENTS}, or {@link #QUICK_IDLE_CLIENTS}. */
  static int idleClients(boolean quick, int given) {
    return given > 0 ? given : quick ? QUICK_IDLE_CLIENTS : IDLE_CLIENTS;
  }

  /** The case column: {@code events 1:5}, {@code request/reply} or {@code idle clients 10000}. */
  String label() {
    return switch (kind) {
      case EVENTS -> "events 1:" + listeners;
      case REQUESTS -> "request/reply";
      case IDLE -> "idle clients " + count;
    };
  }

  /** The size column: the payload, or {@code -} for idle clients. */
  String sizeLabel() {
    return kind == Kind.IDLE ? "-" : BenchCase.sizeLabel(size);
  }

  /**
   * The name {@code --only} matches: {@code events 1:5 16B}, {@code request/reply 1KiB}, {@code idle clients 10000}.
   */
  @Override
  public String name() {
    return kind == Kind.IDLE ? label() : label() + " " + BenchCase.sizeLabel(size).replace(" ", "");
  }

  /** The metric rows: events/s; p50 and p99 round trips; or heap, direct and RSS per idle client. */
  @Override
  public List<String> metrics() {
    return switch (kind) {
      case EVENTS -> List.of("events/s");
      case REQUESTS -> List.of("p50", "p99");
      case IDLE -> List.of("heap", "direct", "RSS");
    };
  }

  /** The unit of the rows. */
  String unit() {
    return switch (kind) {
      case EVENTS -> "events/s";
      case REQUESTS -> "µs";
      case IDLE -> "KiB/client";
    };
  }

  /** The metric column of row {@code index} in bus.md: {@code events/s}, {@code p99 µs}, {@code RSS KiB/client}. */
  String metricLabel(int index) {
    return kind == Kind.EVENTS ? unit() : metrics().get(index) + " " + unit();
  }

  /** Whether lower figures are better (latency, memory): ratios are then other / Switchboard. */
  boolean lowerIsBetter() {
    return kind != Kind.EVENTS;
  }
}
