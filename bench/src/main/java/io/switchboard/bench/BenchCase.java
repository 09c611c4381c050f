package io.switchboard.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One case of the comparison: a pattern over a transport at a message size, with its message counts and, for the
 * sweeps, its number of peers.
 *
 * @param pattern the messaging pattern
 * @param transport the transport
 * @param size the size of each message's only frame, in octets
 * @param count the messages (or round trips) measured
 * @param warmup the messages (or round trips) before the measurement, in the same process
 * @param curve whether the link is secured with CURVE (RFC 26): the receiver a CURVE server, the sender its client
 * @param peers subscribers (PUB/SUB fan-out), DEALER sockets (ROUTER/DEALER) or connections (connections sweep); 1
 *     otherwise
 */
record BenchCase(Pattern pattern, Transport transport, int size, long count, long warmup, boolean curve, int peers)
    implements NamedCase {
  /** The sizes of the throughput cases. */
  static final int[] THROUGHPUT_SIZES = {16, 128, 1024, 64 * 1024, 1024 * 1024};
  /** The high-water mark cap of the 1 MiB cases: 1000 queued 1 MiB messages per queue would not fit a 1 GiB heap. */
  static final int LARGE_MESSAGE_HIGH_WATER_MARK = 100;
  /** Octets that the full queues of all subscribers in one fan-out receiver may hold; caps their high-water mark. */
  static final long FAN_OUT_QUEUE_BUDGET = 128L << 20;
  /** The fan-out cap never goes below this. */
  static final int MIN_FAN_OUT_HIGH_WATER_MARK = 10;
  /** Sizes from which {@link #LARGE_MESSAGE_HIGH_WATER_MARK} applies. */
  static final int LARGE_MESSAGE_SIZE = 1024 * 1024;
  /** The size of the latency requests and replies. */
  static final int LATENCY_SIZE = 16;
  /** The sizes of the CURVE throughput cases (PUSH/PULL over tcp). */
  static final int[] CURVE_SIZES = {16, 1024};
  /** The subscribers of the PUB/SUB fan-out rows of the matrix. */
  static final int FAN_OUT = 8;
  /** The subscriber sweep at tcp 16 B (1 and {@link #FAN_OUT} are in the matrix). */
  static final int[] SUBSCRIBER_SWEEP = {2, 4, 16, 32, 64};
  /** The DEALER sockets of the ROUTER/DEALER rows. */
  static final int[] DEALER_SWEEP = {1, 2, 4, 8, 16};
  /** The connections of the connections sweep: one active, the rest idle. */
  static final int[] CONNECTION_SWEEP = {1, 10, 100, 1000, 10_000};
  /** From this many connections on, the connections rows also show the memory per idle connection. */
  static final int MEMORY_CONNECTIONS = 1000;

  /** A case without security (NULL mechanism) and with one peer. */
  BenchCase(Pattern pattern, Transport transport, int size, long count, long warmup) {
    this(pattern, transport, size, count, warmup, false, 1);
  }

  /** A case with one peer, with or without CURVE. */
  BenchCase(Pattern pattern, Transport transport, int size, long count, long warmup, boolean curve) {
    this(pattern, transport, size, count, warmup, curve, 1);
  }

  /** A case without security and with {@code peers} peers. */
  BenchCase(Pattern pattern, Transport transport, int size, long count, long warmup, int peers) {
    this(pattern, transport, size, count, warmup, false, peers);
  }

  /** The messaging patterns. */
  enum Pattern {
    PUSH_PULL("push/pull", "pushpull"),
    PUB_SUB("pub/sub", "pubsub"),
    REQ_REP("req/rep", "reqrep"),
    /** REQ/REP with the REQ side busy-spinning in receive (Switchboard's spinReceive; the others poll). */
    REQ_REP_SPIN("req/rep spin", "reqrep"),
    /** N DEALER sockets in one process, each with requests in flight, to a ROUTER that echoes them. */
    ROUTER_DEALER("router/dealer", "routerdealer"),
    /** PUSH/PULL with one active connection and the rest idle (connections sweep, memory per connection). */
    CONNECTIONS("connections", "pushpull");

    private final String label;
    private final String argument;

    Pattern(String label, String argument) {
      this.label = label;
      this.argument = argument;
    }

    String label() {
      return label;
    }

    String argument() {
      return argument;
    }
  }

  /** The transports. */
  enum Transport {
    TCP,
    IPC,
    INPROC;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Every case, in report order, with counts sized for runs of about a second (a few hundred ms when quick). A
   * fan-out counts the messages of all its subscribers together, as many as one subscriber's: it used to take a
   * fraction of them (a 32nd at 1:64), and those runs, over in 20 to 200 ms, ended before the JVMs' JIT had compiled
   * the path (a Switchboard 1:8 receiver: 584,000 messages/s within its first 156,000, 2.07 million over a million).
   */
  static List<BenchCase> all(boolean quick) {
    List<BenchCase> cases = new ArrayList<>();
    Pattern[] patterns = {Pattern.PUSH_PULL, Pattern.PUB_SUB, Pattern.PUB_SUB};
    int[] peerCounts = {1, 1, FAN_OUT};
    for (int p = 0; p < patterns.length; p++) {
      Pattern pattern = patterns[p];
      int peers = peerCounts[p];
      for (Transport transport : Transport.values()) {
        for (int size : THROUGHPUT_SIZES) {
          long count = throughputCount(size, transport, quick);
          cases.add(new BenchCase(pattern, transport, size, count, throughputWarmup(size, transport, count, quick),
              peers));
        }
      }
    }
    for (int size : CURVE_SIZES) {
      // Every frame is sealed and opened (XSalsa20-Poly1305): fewer messages per second than NULL, JeroMQ's about
      // 250,000 at 16 B and 25,000 at 1 KiB (some 15 and 24 s a run with the warm-up); the time limit cuts a slower
      // run short (marked partial). With a tenth of these counts the JVMs' runs ended before the JIT had compiled the
      // cipher: a Switchboard 16 B run measured 303,000 messages/s after 100,000 of warm-up and 1.42 to 1.63 million
      // after 3 million; 1 KiB 76,000/s after 40,000 and 166,000 after 400,000.
      long count = (size <= 128 ? 2_000_000 : 300_000) / (quick ? 8 : 1);
      cases.add(new BenchCase(Pattern.PUSH_PULL, Transport.TCP, size, count, count, true));
    }
    for (Pattern pattern : new Pattern[] {Pattern.REQ_REP, Pattern.REQ_REP_SPIN}) {
      cases.add(new BenchCase(pattern, Transport.TCP, LATENCY_SIZE, quick ? 10_000 : 50_000, quick ? 5_000 : 10_000));
    }
    // The sweeps warm up as the matrix does, for as many messages as they measure: with a quarter, pub/sub 1:16 to
    // 1:64 measured JVMs still compiling their path beside a 1:8 row of the matrix that did not.
    long small = throughputCount(LATENCY_SIZE, Transport.TCP, quick);
    for (int subscribers : SUBSCRIBER_SWEEP) {
      cases.add(new BenchCase(Pattern.PUB_SUB, Transport.TCP, LATENCY_SIZE, small, small, subscribers));
    }
    // As many round trips of warm-up as measured: with a quarter of 200,000, the JVMs measured the JIT (a Switchboard
    // 16:1 ran at 385,000 replies/s after 50,000 of warm-up, at 1.28 million after 500,000). 500,000 after 500,000
    // still did, over in under a second: a Switchboard 8:1 took 0.81 to 1.78 million replies/s, the C2 compiler a
    // third of each JVM's CPU; 2.02 to 2.33 million over 2 million after 2 million (libzmq 1.22 to 1.63 million).
    long requests = quick ? 250_000 : 2_000_000;
    for (int dealers : DEALER_SWEEP) {
      cases.add(new BenchCase(Pattern.ROUTER_DEALER, Transport.TCP, LATENCY_SIZE, requests, requests, dealers));
    }
    long connectionCount = small / 2;
    for (int connections : CONNECTION_SWEEP) {
      cases.add(new BenchCase(Pattern.CONNECTIONS, Transport.TCP, LATENCY_SIZE, connectionCount, connectionCount,
          connections));
    }
    return cases;
  }

  private static long throughputCount(int size, Transport transport, boolean quick) {
    long count;
    // Sized for about a second per run in the slowest library, so that three runs of the whole matrix fit the time
    // budget of a full run (docs/bench.md). Over inproc all three libraries hand a message over by reference, so its
    // size costs nothing and every size gets the small messages' count: sized by bytes, a 1 MiB run measured about
    // a thousand messages, ended in a few milliseconds, before the JIT had compiled the path it measures.
    if (transport == Transport.INPROC) {
      count = 2_000_000;
    } else if (size <= 128) {
      // A million ran a Switchboard PUSH/PULL tcp 16 B in about a third of a second, and the runner's figures for it
      // spread from 1.5 to 6.7 million messages/s where runs of 20 million read 8 to 10 million.
      count = 4_000_000;
    } else if (size <= 1024) {
      count = 500_000;
    } else if (size < LARGE_MESSAGE_SIZE) {
      count = 10_000;
    } else {
      // 500 were over in a tenth of a second: a Switchboard PUSH/PULL tcp read 1,965 messages/s over them and 3,900 to
      // 4,600 over 20,000, libzmq 3,489 and 3,200 to 4,900
      count = 4_000;
    }
    return quick ? count / 8 : count;
  }

  /**
   * The warm-up of a throughput case, unmeasured, for every library alike: as many messages as the count, and over
   * tcp and ipc at least {@value #LARGE_WARMUP} of 64 KiB (an eighth when quick). It was a quarter of the count, which
   * ended before the JVMs' JIT had compiled the path: a Switchboard PUSH/PULL at 16 B ran at 3.2 million messages/s
   * after 250,000 of warm-up and at 4.7 million after a million, and at 64 KiB, where the per-message path runs once
   * for tens of kilobytes, at about 8,000 messages/s within its first 12,500 and 28,000 to 34,000 once warm.
   */
  private static long throughputWarmup(int size, Transport transport, long count, boolean quick) {
    if (transport == Transport.INPROC || size < LARGE_WARMUP_SIZE || size >= LARGE_MESSAGE_SIZE) {
      return count;
    }
    return Math.max(count, quick ? LARGE_WARMUP / 8 : LARGE_WARMUP);
  }

  /** Sizes from which {@link #throughputWarmup} may give more than the count over tcp and ipc. */
  static final int LARGE_WARMUP_SIZE = 64 * 1024;
  /** The warm-up messages of the 64 KiB cases over tcp and ipc. */
  static final long LARGE_WARMUP = 20_000;

  /** Whether this is a REQ/REP latency case, measured in µs rather than messages per second. */
  boolean isLatency() {
    return pattern == Pattern.REQ_REP || pattern == Pattern.REQ_REP_SPIN;
  }

  /**
   * Whether this case is a point of a sweep (subscribers beyond the matrix's 1:1 and 1:{@value #FAN_OUT}, DEALERs,
   * connections): a full run repeats those once by default, the matrix {@code --repeat} times.
   */
  boolean isSweep() {
    return pattern == Pattern.ROUTER_DEALER || pattern == Pattern.CONNECTIONS
        || pattern == Pattern.PUB_SUB && peers != 1 && peers != FAN_OUT;
  }

  /** Whether this case has memory rows: a connections sweep point with many idle connections. */
  boolean hasMemory() {
    return pattern == Pattern.CONNECTIONS && peers >= MEMORY_CONNECTIONS;
  }

  /**
   * The case column: the pattern with its peers, for example {@code pub/sub 1:8} or {@code router/dealer 4:1}, and
   * {@code curve} for CURVE cases.
   */
  String label() {
    return patternLabel() + (curve ? " curve" : "");
  }

  private String patternLabel() {
    switch (pattern) {
      case PUB_SUB:
        return peers == 1 ? pattern.label() : pattern.label() + " 1:" + peers;
      case ROUTER_DEALER:
        return pattern.label() + " " + peers + ":1";
      case CONNECTIONS:
        return pattern.label() + " " + peers;
      default:
        return pattern.label();
    }
  }

  /**
   * The name that {@code --only} matches, for example {@code push/pull tcp 16B}, {@code pub/sub 1:8 ipc 1KiB} or
   * {@code push/pull tcp 16B curve}.
   */
  @Override
  public String name() {
    return patternLabel() + " " + transport.label() + " " + sizeLabel(size).replace(" ", "") + (curve ? " curve" : "");
  }

  /**
   * The metrics of this case's rows: msg/s for throughput; p50, p99 and p99.9 for latency; for connections with
   * memory rows, also the resident set and the JVM's heap plus direct memory per idle connection.
   */
  @Override
  public List<String> metrics() {
    if (isLatency()) {
      return List.of("p50", "p99", "p99.9");
    }
    if (hasMemory()) {
      return List.of("msg/s", "RSS/conn", "heap+direct/conn");
    }
    return List.of("msg/s");
  }

  /** Whether metric row {@code index} is better when lower (latency, memory): its ratio is then other / Switchboard. */
  boolean lowerIsBetter(int index) {
    return isLatency() || index > 0;
  }

  /** The unit of metric row {@code index}: msg/s, µs or KiB. */
  String unit(int index) {
    if (isLatency()) {
      return "µs";
    }
    return index == 0 ? "msg/s" : "KiB";
  }

  /** The label of metric row {@code index} in the chart, for example {@code push/pull tcp 16 B} or {@code ... p99}. */
  String rowLabel(int index) {
    String label = label() + " " + transport.label() + " " + sizeLabel(size);
    return metrics().size() > 1 ? label + " " + metrics().get(index) : label;
  }

  /** The high-water mark for this case when {@code --hwm} asks for {@code requested}: capped for 1 MiB messages. */
  int highWaterMark(int requested) {
    int cap = Integer.MAX_VALUE;
    if (size >= LARGE_MESSAGE_SIZE) {
      cap = LARGE_MESSAGE_HIGH_WATER_MARK;
    }
    if (peers > 1 && pattern == Pattern.PUB_SUB) {
      // A subscriber process holds a full queue per SUB socket: keep them all within FAN_OUT_QUEUE_BUDGET.
      cap = (int) Math.min(cap, Math.max(MIN_FAN_OUT_HIGH_WATER_MARK, FAN_OUT_QUEUE_BUDGET / ((long) peers * size)));
    }
    if (requested == 0 || requested > cap) {
      return cap == Integer.MAX_VALUE ? requested : cap;
    }
    return requested;
  }

  /** 16 B, 1 KiB, 64 KiB, 1 MiB. */
  static String sizeLabel(int size) {
    if (size >= 1024 * 1024 && size % (1024 * 1024) == 0) {
      return (size / (1024 * 1024)) + " MiB";
    }
    if (size >= 1024 && size % 1024 == 0) {
      return (size / 1024) + " KiB";
    }
    return size + " B";
  }
}
