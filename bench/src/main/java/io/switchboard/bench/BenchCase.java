package io.switchboard.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One case of the comparison: a pattern over a transport at a message size, with its message counts.
 *
 * @param pattern the messaging pattern
 * @param transport the transport
 * @param size the size of each message's only frame, in octets
 * @param count the messages (or round trips) measured
 * @param warmup the messages (or round trips) before the measurement, in the same process
 * @param curve whether the link is secured with CURVE (RFC 26): the receiver a CURVE server, the sender its client
 */
record BenchCase(Pattern pattern, Transport transport, int size, long count, long warmup, boolean curve) {
  /** The sizes of the throughput cases. */
  static final int[] THROUGHPUT_SIZES = {16, 128, 1024, 64 * 1024, 1024 * 1024};
  /** The high-water mark cap of the 1 MiB cases: 1000 queued 1 MiB messages per queue would not fit a 1 GiB heap. */
  static final int LARGE_MESSAGE_HIGH_WATER_MARK = 100;
  /** Sizes from which {@link #LARGE_MESSAGE_HIGH_WATER_MARK} applies. */
  static final int LARGE_MESSAGE_SIZE = 1024 * 1024;
  /** The size of the latency requests and replies. */
  static final int LATENCY_SIZE = 16;
  /** The sizes of the CURVE throughput cases (PUSH/PULL over tcp). */
  static final int[] CURVE_SIZES = {16, 1024};

  /** A case without security (NULL mechanism). */
  BenchCase(Pattern pattern, Transport transport, int size, long count, long warmup) {
    this(pattern, transport, size, count, warmup, false);
  }

  /** The messaging patterns. */
  enum Pattern {
    PUSH_PULL("push/pull", "pushpull"),
    PUB_SUB("pub/sub", "pubsub"),
    REQ_REP("req/rep", "reqrep");

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

  /** Every case, in report order, with counts sized for runs of about a second (a few hundred ms when quick). */
  static List<BenchCase> all(boolean quick) {
    List<BenchCase> cases = new ArrayList<>();
    for (Pattern pattern : new Pattern[] {Pattern.PUSH_PULL, Pattern.PUB_SUB}) {
      for (Transport transport : Transport.values()) {
        for (int size : THROUGHPUT_SIZES) {
          long count = throughputCount(size, transport, quick);
          cases.add(new BenchCase(pattern, transport, size, count, Math.max(1, count / 4)));
        }
      }
    }
    for (int size : CURVE_SIZES) {
      // Every frame is sealed and opened (XSalsa20-Poly1305): far fewer messages per second than NULL, and JeroMQ's
      // CURVE manages a few thousand (about 10 s a run); the time limit cuts a slower run short (marked partial).
      long count = (size <= 128 ? 100_000 : 40_000) / (quick ? 8 : 1);
      cases.add(new BenchCase(Pattern.PUSH_PULL, Transport.TCP, size, count, Math.max(1, count / 4), true));
    }
    cases.add(new BenchCase(Pattern.REQ_REP, Transport.TCP, LATENCY_SIZE, quick ? 10_000 : 50_000,
        quick ? 5_000 : 10_000));
    return cases;
  }

  private static long throughputCount(int size, Transport transport, boolean quick) {
    long count;
    // Sized for about a second per run in the slowest library, so that three runs of the whole matrix fit the time
    // budget of a full run (docs/bench.md).
    if (size <= 128) {
      count = 1_000_000;
    } else if (size <= 1024) {
      count = 500_000;
    } else if (size < LARGE_MESSAGE_SIZE) {
      count = 20_000;
    } else {
      count = 1_000;
    }
    if (transport == Transport.INPROC) {
      count *= 2;
    }
    return quick ? count / 8 : count;
  }

  /** Whether this is the REQ/REP latency case, measured in µs rather than messages per second. */
  boolean isLatency() {
    return pattern == Pattern.REQ_REP;
  }

  /** The name that {@code --only} matches, for example {@code push/pull tcp 16B} or {@code push/pull tcp 16B curve}. */
  String name() {
    return pattern.label() + " " + transport.label() + " " + sizeLabel(size).replace(" ", "") + (curve ? " curve" : "");
  }

  /** The metrics of this case's rows: one for throughput, p50, p99 and p99.9 for latency. */
  List<String> metrics() {
    return isLatency() ? List.of("p50", "p99", "p99.9") : List.of("msg/s");
  }

  /** The label of metric row {@code index} in the chart, for example {@code push/pull tcp 16 B} or {@code ... p99}. */
  String rowLabel(int index) {
    String label = pattern.label() + " " + transport.label() + " " + sizeLabel(size);
    return isLatency() ? label + " " + metrics().get(index) : label;
  }

  /** The high-water mark for this case when {@code --hwm} asks for {@code requested}: capped for 1 MiB messages. */
  int highWaterMark(int requested) {
    if (size >= LARGE_MESSAGE_SIZE && (requested == 0 || requested > LARGE_MESSAGE_HIGH_WATER_MARK)) {
      return LARGE_MESSAGE_HIGH_WATER_MARK;
    }
    return requested;
  }

  /** Whether {@code filter} is part of this case's name or of one of its row names. */
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
