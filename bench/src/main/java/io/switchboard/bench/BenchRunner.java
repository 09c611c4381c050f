package io.switchboard.bench;

import static io.switchboard.bench.RunnerSupport.with;

import io.switchboard.bench.BenchCase.Pattern;
import io.switchboard.bench.BenchCase.Transport;
import io.switchboard.bench.Report.Result;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.security.CurveKeyPair;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Runs Switchboard, JeroMQ and libzmq side by side and prints one row per case with the three figures and
 * Switchboard's ratios to the other two.
 *
 * <pre>
 * java -cp bench/target/classes:$(cat bench/target/classpath.txt) io.switchboard.bench.BenchRunner \
 *     [--quick] [--only NAME]... [--out DIR] [--hwm N] [--jvm-opt OPT]... [--zmq-peer PATH] [--no-libzmq] [--list]
 * </pre>
 *
 * <p>Cases: PUSH/PULL and PUB/SUB throughput at 16 B, 128 B, 1 KiB, 64 KiB and 1 MiB over tcp, ipc and inproc, and
 * REQ/REP round-trip latency (p50, p99, p99.9) over tcp, and PUSH/PULL over tcp secured with CURVE at 16 B and
 * 1 KiB ({@code --only curve}; the receiver is the CURVE server, keys are fresh per case). Each library runs each
 * case in fresh processes with the same topology, the same high-water mark and one I/O thread: for tcp and ipc a
 * receiver process that binds and a sender process that connects ({@link ThroughputPeer}, {@link LatencyPeer}, or
 * for libzmq the C peer of {@link ZmqPeer}, which speaks the same protocol); for inproc one process with two
 * threads.
 *
 * <p>Every step has a deadline and every child is killed when the runner exits, so the runner never hangs; a case
 * that fails shows "ERROR" in its cell, with the reason below the row and the peers' standard error in
 * {@code bench.md}. The results go to {@code DIR/bench.md}, {@code DIR/bench.csv} and a chart of the ratios,
 * {@code DIR/bench.svg} ({@link RatioChart}). The exit status is 1 if any
 * cell failed, 2 for bad options.
 */
public final class BenchRunner {
  private static final String USAGE = String.join("\n",
      "usage: BenchRunner [--quick] [--only NAME]... [--repeat N] [--out DIR] [--hwm N] [--jvm-opt OPT]...",
      "                   [--zmq-peer PATH] [--no-libzmq] [--no-cds] [--list]",
      "  --quick        fewer messages per case and one run (a smoke test, not a measurement)",
      "  --repeat N     runs per case and library, each in fresh processes; the table shows the median and",
      "                 ±half the range (default: " + RunnerOptions.FULL_REPEAT + " for the matrix and 1 for the",
      "                 sweeps; 1 with --quick)",
      "  --only NAME    run the cases whose name contains NAME, e.g. 'push/pull tcp', '64KiB', 'p99', 'curve';",
      "                 repeat to add more",
      "  --out DIR      where bench.md, bench.csv and bench.svg go (default: results)",
      "  --hwm N        high-water mark of every socket, all libraries (default: "
          + SocketOptions.DEFAULT_HIGH_WATER_MARK + "; at most " + BenchCase.LARGE_MESSAGE_HIGH_WATER_MARK
          + " for 1 MiB)",
      "  --jvm-opt OPT  an extra option for every peer JVM (default: -Xms1g -Xmx1g only); repeatable",
      "  --zmq-peer PATH  libzmq's peer, prebuilt; default: bench/target/zmq_peer, built with gcc when stale",
      "  --no-libzmq    leave libzmq out (its cells show n/a)",
      "  --no-cds       start peer JVMs without the class-data archive built for them (slower starts, same figures)",
      "  --list         print the case names and exit");

  private static final Duration ENDPOINT_TIMEOUT = Duration.ofSeconds(30);
  /** Why JeroMQ has no busy-spin row. */
  static final String SPIN_NOT_APPLICABLE = "JeroMQ 0.6.0 has no busy-spin receive; receiving with ZMQ.DONTWAIT in a "
      + "loop was tried and ran slower than blocking (a few ms per round trip), so it is left out";
  /** How long the idle connections of the connections sweep may take to connect and complete their handshakes. */
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(120);
  private static final int FIRST_MESSAGE_SECONDS = 30;
  private static final int STALL_SECONDS = 10;

  private final Options options;
  private final PrintStream out;
  private NativePeer zmqPeer;
  private ClassDataArchive classData = new ClassDataArchive(null, "no class-data archive (--no-cds)");

  private BenchRunner(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** Runs the benchmark; see the class comment for the options. */
  public static void main(String[] args) {
    RunnerSupport.main(args, "bench", USAGE, new Options(), options -> BenchCase.all(options.quick),
        (options, cases, out) -> new BenchRunner(options, out).run(cases));
  }

  private int run(List<BenchCase> cases) {
    zmqPeer = options.noLibzmq ? NativePeer.unavailable("left out (--no-libzmq)") : ZmqPeer.locate(options.zmqPeer);
    if (!zmqPeer.available()) {
      System.err.println("bench: libzmq is not measured: " + zmqPeer.unavailable());
    }
    if (!options.noCds) {
      classData = ClassDataArchive.prepare(RunnerSupport.javaBase(options.jvmOptions),
          System.getProperty("java.class.path"));
      System.err.println("bench: " + classData.note());
    }
    Report report = new Report(environment(), jeromqVersion(), zmqPeer);
    report.consoleHeader().forEach(out::println);
    List<Result> results = new ArrayList<>();
    boolean failed = false;
    int repeat = options.repeat();
    int measurements = 0;
    for (BenchCase c : cases) {
      measurements += options.repeat(c) * Library.values().length;
    }
    Progress progress = new Progress(measurements);
    long began = System.nanoTime();
    for (BenchCase c : cases) {
      long caseBegan = System.nanoTime();
      Map<Library, List<Outcome>> runs = new EnumMap<>(Library.class);
      int runsOfCase = options.repeat(c);
      // Runs interleave the libraries, so that a slow spell of the machine hits all three rather than one.
      for (int run = 1; run <= runsOfCase; run++) {
        for (Library library : Library.values()) {
          progress.show(c.name(), library.displayName(), run, runsOfCase);
          runs.computeIfAbsent(library, l -> new ArrayList<>()).add(runCase(c, library));
        }
      }
      progress.clear();
      Outcome switchboard = Outcome.combine(runs.get(Library.SWITCHBOARD));
      Outcome jeromq = Outcome.combine(runs.get(Library.JEROMQ));
      Outcome libzmq = Outcome.combine(runs.get(Library.LIBZMQ));
      for (Outcome o : List.of(switchboard, jeromq, libzmq)) {
        failed |= o.error() != null || o.failedRuns() > 0;
      }
      Result result = new Result(c, switchboard, jeromq, libzmq, (System.nanoTime() - caseBegan) / 1e9);
      results.add(result);
      report.consoleRows(result).forEach(out::println);
    }
    report.consoleFooter(results).forEach(out::println);
    out.printf(Locale.ROOT, "%d cases, %d measurements (%d run(s) of each case%s), in %.0f s%n", cases.size(),
        measurements, repeat, options.repeat == 0 && repeat > 1 ? ", sweeps once" : "",
        (System.nanoTime() - began) / 1e9);
    try {
      Files.createDirectories(options.out);
      report.writeMarkdown(options.out.resolve("bench.md"), results);
      report.writeCsv(options.out.resolve("bench.csv"), results);
      report.writeSvg(options.out.resolve("bench.svg"), results);
      out.println("Wrote " + options.out.resolve("bench.md") + ", " + options.out.resolve("bench.csv") + " and "
          + options.out.resolve("bench.svg"));
    } catch (IOException e) {
      System.err.println("bench: could not write results to " + options.out + ": " + e);
      return 1;
    }
    return failed ? 1 : 0;
  }

  /** Runs one case for one library in fresh peer processes; never throws, never hangs. */
  private Outcome runCase(BenchCase c, Library library) {
    if (library == Library.LIBZMQ && !zmqPeer.available()) {
      return Outcome.notApplicable(zmqPeer.unavailable());
    }
    if (library == Library.JEROMQ && c.pattern() == Pattern.REQ_REP_SPIN) {
      return Outcome.notApplicable(SPIN_NOT_APPLICABLE);
    }
    int limitSeconds = options.quick ? 10 : 30;
    // The connections sweep first waits for the idle connections; its receiver waits that much longer.
    int firstSeconds = FIRST_MESSAGE_SECONDS
        + (c.pattern() == Pattern.CONNECTIONS ? (int) CONNECT_TIMEOUT.toSeconds() : 0);
    Duration resultTimeout = Duration.ofSeconds(firstSeconds + limitSeconds + STALL_SECONDS + 15);
    long maxSeconds = ENDPOINT_TIMEOUT.toSeconds() + CONNECT_TIMEOUT.toSeconds() + resultTimeout.toSeconds() + 30;
    List<String> common = List.of(
        "lib=" + library.argument(),
        "hwm=" + c.highWaterMark(options.hwm),
        "size=" + c.size(),
        "count=" + c.count(),
        "warmup=" + c.warmup(),
        "maxSeconds=" + maxSeconds,
        "firstSeconds=" + firstSeconds,
        "stallSeconds=" + STALL_SECONDS,
        "limitSeconds=" + limitSeconds);
    return RunnerSupport.measure(session -> startPeers(session, c, library, common, resultTimeout, maxSeconds),
        (line, warnings) -> parseResult(c, line, warnings), line -> "RESULT line '" + line + "'",
        (e, warnings) -> library == Library.JEROMQ && c.transport() == Transport.IPC
            ? Outcome.notApplicable("JeroMQ could not run ipc: " + e.getMessage())
            : Outcome.failed(e.getMessage(), e.detail(), warnings));
  }

  /**
   * Starts the peers of {@code c} for {@code library} in {@code session}, each once the one before is ready, and
   * returns the rest of the RESULT line that measures it.
   */
  private String startPeers(Session session, BenchCase c, Library library, List<String> common,
      Duration resultTimeout, long maxSeconds) throws BenchException {
    String label = library.displayName();
    if (c.isLatency()) {
      ChildProcess rep = session.start(label + " rep", command(library, LatencyPeer.class,
          with(common, "role=rep", "bind=tcp://127.0.0.1:0")));
      String endpoint = session.await(rep, "ENDPOINT", ENDPOINT_TIMEOUT);
      ChildProcess req = session.start(label + " req", command(library, LatencyPeer.class,
          with(common, "role=req", "connect=" + endpoint, "spin=" + (c.pattern() == Pattern.REQ_REP_SPIN))));
      return session.await(req, "RESULT", resultTimeout);
    } else if (c.pattern() == Pattern.ROUTER_DEALER) {
      ChildProcess router = session.start(label + " router", command(library, RouterDealerPeer.class,
          with(common, "role=router", "bind=tcp://127.0.0.1:0")));
      String endpoint = session.await(router, "ENDPOINT", ENDPOINT_TIMEOUT);
      ChildProcess dealers = session.start(label + " dealers", command(library, RouterDealerPeer.class,
          with(common, "role=dealer", "connect=" + endpoint, "dealers=" + c.peers(),
              "window=" + RouterDealerPeer.window(c.highWaterMark(options.hwm)))));
      return session.await(dealers, "RESULT", resultTimeout);
    } else if (c.pattern() == Pattern.CONNECTIONS) {
      ChildProcess receiver = session.start(label + " receiver", command(library, ThroughputPeer.class,
          with(common, "role=receive", "pattern=pushpull", "bind=tcp://127.0.0.1:0", "memory=" + c.hasMemory()),
          !c.hasMemory()));
      String endpoint = session.await(receiver, "ENDPOINT", ENDPOINT_TIMEOUT);
      if (c.peers() > 1) {
        // The idle side is the same plain program for every library: only the receiver's side is measured.
        List<String> idle = javaCommand();
        idle.add(IdleConnections.class.getName());
        idle.addAll(List.of("connect=" + endpoint, "n=" + (c.peers() - 1), "maxSeconds=" + maxSeconds));
        ChildProcess idler = session.start("idle connections", idle);
        session.await(idler, "CONNECTED", CONNECT_TIMEOUT);
      }
      session.start(label + " sender", command(library, ThroughputPeer.class,
          with(common, "role=send", "pattern=pushpull", "connect=" + endpoint)));
      return session.await(receiver, "RESULT", resultTimeout);
    } else if (c.transport() == Transport.INPROC) {
      ChildProcess peer = session.start(label + " inproc", command(library, ThroughputPeer.class,
          with(common, "role=inproc", "pattern=" + c.pattern().argument(), "subscribers=" + c.peers())));
      return session.await(peer, "RESULT", resultTimeout);
    } else {
      String bind;
      if (c.transport() == Transport.TCP) {
        bind = "tcp://127.0.0.1:0";
      } else {
        Path ipcFile = session.ipcPath();
        // Fan-out receivers bind one file each, <file>-<index> (ThroughputPeer.endpoint).
        for (int i = 0; i < c.peers() && c.peers() > 1; i++) {
          session.deleteOnClose(Path.of(ipcFile + "-" + i));
        }
        bind = "ipc://" + ipcFile;
      }
      List<String> receiverArgs = with(common, "role=receive", "pattern=" + c.pattern().argument(), "bind=" + bind,
          "subscribers=" + c.peers());
      List<String> senderArgs = with(common, "role=send", "pattern=" + c.pattern().argument());
      if (c.curve()) {
        CurveKeyPair server = CurveKeyPair.generate();
        receiverArgs.add("curveSecret=" + server.secretKeyZ85());
        senderArgs.add("curveSecret=" + CurveKeyPair.generate().secretKeyZ85());
        senderArgs.add("curveServerKey=" + server.publicKeyZ85());
      }
      ChildProcess receiver = session.start(label + " receiver", command(library, ThroughputPeer.class,
          receiverArgs));
      String endpoint = session.await(receiver, "ENDPOINT", ENDPOINT_TIMEOUT);
      senderArgs.add("connect=" + endpoint);
      session.start(label + " sender", command(library, ThroughputPeer.class, senderArgs));
      return session.await(receiver, "RESULT", resultTimeout);
    }
  }

  private static Outcome parseResult(BenchCase c, String line, List<String> warnings) {
    Map<String, String> fields = RunnerSupport.fields(line);
    boolean partial = Boolean.parseBoolean(fields.get("partial"));
    if (c.isLatency()) {
      double p50 = Long.parseLong(fields.get("p50")) / 1000.0;
      double p99 = Long.parseLong(fields.get("p99")) / 1000.0;
      double p999 = Long.parseLong(fields.get("p999")) / 1000.0;
      return Outcome.measured(new double[] {p50, p99, p999}, partial, Long.parseLong(fields.get("samples")), warnings);
    }
    long messages = Long.parseLong(fields.get("messages"));
    long nanos = Long.parseLong(fields.get("nanos"));
    double rate = nanos <= 0 ? Double.NaN : messages * 1e9 / nanos;
    if (!c.hasMemory()) {
      return Outcome.measured(new double[] {rate}, partial, messages, warnings);
    }
    int idle = c.peers() - 1;
    double rss = RunnerSupport.kibPer(fields, "rss", idle);
    double jvm = RunnerSupport.kibPer(fields, "heap", idle) + RunnerSupport.kibPer(fields, "direct", idle);
    return Outcome.measured(new double[] {rate, rss, jvm}, partial, messages, warnings);
  }

  /**
   * The command that starts {@code library}'s peer: a JVM running {@code javaPeer}, its heap touched at start
   * ({@link RunnerSupport#PRETOUCH}), or libzmq's C peer.
   */
  private List<String> command(Library library, Class<?> javaPeer, List<String> args) {
    return command(library, javaPeer, args, true);
  }

  /** As {@link #command(Library, Class, List)}; a JVM whose resident set is measured does not touch its heap. */
  private List<String> command(Library library, Class<?> javaPeer, List<String> args, boolean pretouch) {
    if (library == Library.LIBZMQ) {
      return zmqPeer.command(args);
    }
    List<String> command = javaCommand();
    if (pretouch) {
      command.add(1, RunnerSupport.PRETOUCH);
    }
    command.add(javaPeer.getName());
    command.addAll(args);
    return command;
  }

  /** The command that starts a peer JVM with this JVM's class path; the main class and arguments follow. */
  private List<String> javaCommand() {
    List<String> command = RunnerSupport.javaBase(options.jvmOptions);
    command.addAll(classData.jvmOptions());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    return command;
  }

  private String environment() {
    return String.format("%s run, %d run(s) per cell%s (median, ±half the range), %s | %s | high-water mark %d both "
            + "(at most " + BenchCase.LARGE_MESSAGE_HIGH_WATER_MARK + " for 1 MiB), linger 1 s, 1 I/O thread | peer "
            + "JVM options: %s (and " + RunnerSupport.PRETOUCH + " but for the receivers whose memory is measured)",
        options.quick ? "quick" : "full", options.repeat(),
        options.repeat == 0 && options.repeat() > 1 ? " (1 for the sweeps)" : "",
        Instant.now().truncatedTo(ChronoUnit.SECONDS), RunnerSupport.platform(), options.hwm,
        String.join(" ", javaCommand().subList(1, javaCommand().indexOf("-cp"))));
  }

  private static String jeromqVersion() {
    try (InputStream in = BenchRunner.class.getResourceAsStream("/META-INF/maven/org.zeromq/jeromq/pom.properties")) {
      if (in != null) {
        Properties properties = new Properties();
        properties.load(in);
        return properties.getProperty("version", "?");
      }
    } catch (IOException e) {
      // Fall through.
    }
    return "?";
  }

  /** The command-line options: those of both runners ({@link RunnerOptions}), and this runner's own. */
  private static final class Options extends RunnerOptions {
    boolean noLibzmq;
    boolean noCds;
    Path zmqPeer;
    int hwm = SocketOptions.DEFAULT_HIGH_WATER_MARK;

    @Override
    int parseOption(String[] args, int i) {
      String arg = args[i];
      switch (arg) {
        case "--hwm" -> {
          hwm = Integer.parseInt(value(args, ++i, arg));
          if (hwm < 0) {
            throw new IllegalArgumentException("--hwm: " + hwm + " (expected: >= 0)");
          }
        }
        case "--repeat" -> repeat = checkRepeat(Integer.parseInt(value(args, ++i, arg)));
        case "--zmq-peer" -> zmqPeer = Path.of(value(args, ++i, arg));
        case "--no-libzmq" -> noLibzmq = true;
        case "--no-cds" -> noCds = true;
        default -> throw new IllegalArgumentException("unknown option: " + arg);
      }
      return i;
    }

    /**
     * The runs of {@code c}: {@link #repeat()}, except that without {@code --repeat} the sweeps run once, which
     * keeps a full run within its time budget (docs/bench.md).
     */
    int repeat(BenchCase c) {
      return repeat == 0 && c.isSweep() ? 1 : repeat();
    }
  }
}
