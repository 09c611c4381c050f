package io.switchboard.bench;

import static io.switchboard.bench.RunnerSupport.with;

import io.nats.client.Nats;
import io.switchboard.bench.BusBenchCase.Kind;
import io.switchboard.bench.BusReport.Result;
import io.switchboard.bus.NodeConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs Switchboard's bus and NATS side by side: events per second from one publisher to 1 to 10 listeners through a
 * node (a nats-server), and request/reply round trips through it, at 16 B and 1 KiB; NATS once with its Go client and
 * once with jnats. One row per case with the three figures and Switchboard's ratio to each NATS client. Last, the
 * memory that 10,000 idle clients cost the node and the server ({@link IdleBusClients}, {@link IdleNatsClients}).
 *
 * <pre>
 * bench/run.sh bus [--quick] [--only NAME]... [--repeat N] [--listeners 1,2,5,10] [--idle-clients N]
 *                  [--transport tcp|ipc] [--out DIR] [--jvm-opt OPT]... [--nats-server PATH] [--nats-go-peer PATH]
 *                  [--no-nats] [--list]
 * </pre>
 *
 * <p>Every system runs each case in fresh processes. Switchboard: a node process ({@link BusPeer} {@code role=node},
 * a {@link io.switchboard.bus.BusNode} listening on tcp or ipc), then N listener processes, then a publisher process
 * (all {@link io.switchboard.bus.BusClient}s); or a handler and a requester. NATS: a {@code nats-server} on a port of
 * its choosing ({@link NatsServer}), then the same client processes, either {@link JnatsPeer}s or the Go client's peer
 * ({@link NatsGoPeer}). Each process says when it is ready on its standard output ({@code ENDPOINT}, {@code READY}),
 * and the runner starts the next one only then; the publisher starts when every listener is ready.
 *
 * <p>The idle case starts the node with {@code memory=true}, then one process of idle clients that join the channel;
 * once they all have, it asks the node for a {@link MemoryUse} sample ({@code SAMPLE} on the node's standard input).
 * For NATS, it reads the resident set of the nats-server process before and after the idle clients connected and
 * subscribed; that measurement is the same for both NATS clients, and their two cells show it.
 *
 * <p>Results go to {@code DIR/bus.md} and {@code DIR/bus.csv}. The exit status is 1 if any cell failed, 2 for bad
 * options. See docs/bench.md, section Bus.
 */
public final class BusBenchRunner {
  private static final String USAGE = String.join("\n",
      "usage: bench/run.sh bus [--quick] [--only NAME]... [--repeat N] [--listeners LIST] [--idle-clients N]",
      "                        [--transport tcp|ipc] [--out DIR] [--jvm-opt OPT]... [--nats-server PATH]",
      "                        [--nats-go-peer PATH] [--no-nats] [--nodes N] [--list]",
      "  --quick          an eighth of the events and round trips, " + BusBenchCase.QUICK_IDLE_CLIENTS
          + " idle clients, one run (a smoke test, not",
      "                   a measurement)",
      "  --repeat N       runs per case and system, each in fresh processes; the table shows the median and",
      "                   ±half the range (default: " + RunnerOptions.FULL_REPEAT + "; 1 with --quick)",
      "  --only NAME      the cases whose name contains NAME ('events 1:5', '1KiB', 'request/reply', 'p99',",
      "                   'idle'); repeatable",
      "  --listeners LIST the listener counts of the events cases, comma-separated (default: 1,2,5,10; at most "
          + BusBenchCase.MAX_LISTENERS + ")",
      "  --idle-clients N the clients of the idle case (default: " + BusBenchCase.IDLE_CLIENTS + "; "
          + BusBenchCase.QUICK_IDLE_CLIENTS + " with --quick;",
      "                   each takes a file descriptor in two processes)",
      "  --transport T    the node's endpoint for Switchboard's clients: tcp (default; NATS's only one) or ipc",
      "  --out DIR        where bus.md and bus.csv go (default: results)",
      "  --jvm-opt OPT    an extra option for every peer JVM (default: -Xms1g -Xmx1g only); repeatable",
      "  --nats-server PATH   nats-server to run (default: on the PATH or in /usr/sbin)",
      "  --nats-go-peer PATH  the NATS Go client's peer, prebuilt (default: bench/target/nats_peer, built when stale)",
      "  --no-nats        leave NATS out (its cells show n/a)",
      "  --nodes N        N more nodes, joined by the mesh (NATS: nats-servers joined by routes): the publisher",
      "                   (requester) on the first, the listeners (the handler) on the others in turn (default: 0)",
      "  --list           print the case names and exit");

  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  /** The most other nodes of --nodes: each is a process. */
  static final int MAX_NODES = 8;
  /** Listener JVMs start together, several per core: they get longer to say READY. */
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  private static final int FIRST_SECONDS = 30;
  private static final int QUIET_SECONDS = 2;
  private static final int STALL_SECONDS = 10;
  /** How long idle clients may take to connect and join, beyond a millisecond per client. */
  private static final Duration IDLE_JOIN_TIMEOUT = Duration.ofSeconds(60);
  /** The NATS subjects of the events and the requests. */
  static final String EVENTS_SUBJECT = "bench.events";
  static final String REQUESTS_SUBJECT = "bench.echo";

  private final Options options;
  private final PrintStream out;
  private NatsServer natsServer;
  private NativePeer goPeer;

  private BusBenchRunner(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** Runs the benchmark; see the class comment for the options. */
  public static void main(String[] args) {
    RunnerSupport.main(args, "bench bus", USAGE, new Options(),
        options -> BusBenchCase.all(options.quick, options.listeners,
            BusBenchCase.idleClients(options.quick, options.idleClients)),
        (options, cases, out) -> new BusBenchRunner(options, out).run(cases));
  }

  private int run(List<BusBenchCase> cases) {
    natsServer = options.noNats ? NatsServer.unavailable("left out (--no-nats)") : NatsServer.locate(options.natsServer);
    goPeer = natsServer.available() ? NatsGoPeer.locate(options.goPeer) : NativePeer.unavailable("no nats-server");
    if (!natsServer.available()) {
      System.err.println("bench bus: NATS is not measured: " + natsServer.unavailable());
    } else if (!goPeer.available()) {
      System.err.println("bench bus: NATS's Go client is not measured: " + goPeer.unavailable());
    }
    BusReport report = new BusReport(environment(), natsServer, goPeer, Nats.CLIENT_VERSION);
    report.consoleHeader().forEach(out::println);
    int repeat = options.repeat();
    // The idle case measures nats-server once for both NATS columns.
    int measurements = cases.stream().mapToInt(c -> c.kind() == Kind.IDLE ? 2 : 3).sum() * repeat;
    Progress progress = new Progress(measurements);
    List<Result> results = new ArrayList<>();
    boolean failed = false;
    long began = System.nanoTime();
    for (BusBenchCase c : cases) {
      long caseBegan = System.nanoTime();
      Map<BusSystem, List<Outcome>> runs = new EnumMap<>(BusSystem.class);
      // Runs interleave the systems, so that a slow spell of the machine hits all three rather than one.
      for (int run = 1; run <= repeat; run++) {
        for (BusSystem system : BusSystem.values()) {
          Outcome outcome;
          if (c.kind() == Kind.IDLE && system == BusSystem.NATS_JNATS) {
            // nats-server's memory per connection, whichever library connected: the NATS+Go run's measurement.
            outcome = runs.get(BusSystem.NATS_GO).get(run - 1);
          } else {
            progress.show(c.name(), c.kind() == Kind.IDLE && system == BusSystem.NATS_GO ? "NATS"
                : system.displayName(), run, repeat);
            outcome = runCase(c, system);
          }
          runs.computeIfAbsent(system, s -> new ArrayList<>()).add(outcome);
        }
      }
      progress.clear();
      Map<BusSystem, Outcome> outcomes = new EnumMap<>(BusSystem.class);
      for (BusSystem system : BusSystem.values()) {
        Outcome o = Outcome.combine(runs.get(system));
        failed |= o.error() != null || o.failedRuns() > 0;
        outcomes.put(system, o);
      }
      Result result = new Result(c, outcomes, (System.nanoTime() - caseBegan) / 1e9);
      results.add(result);
      report.consoleRows(result).forEach(out::println);
    }
    report.consoleFooter(results).forEach(out::println);
    out.printf(Locale.ROOT, "%d cases, %d measurements (%d run(s) of each case), in %.0f s%n", cases.size(),
        measurements, repeat, (System.nanoTime() - began) / 1e9);
    try {
      Files.createDirectories(options.out);
      report.writeMarkdown(options.out.resolve("bus.md"), results);
      report.writeCsv(options.out.resolve("bus.csv"), results);
      out.println("Wrote " + options.out.resolve("bus.md") + " and " + options.out.resolve("bus.csv"));
    } catch (IOException e) {
      System.err.println("bench bus: could not write results to " + options.out + ": " + e);
      return 1;
    }
    return failed ? 1 : 0;
  }

  /** Runs one case on one system in fresh processes; never throws, never hangs. */
  private Outcome runCase(BusBenchCase c, BusSystem system) {
    if (system != BusSystem.SWITCHBOARD && !natsServer.available()) {
      return Outcome.notApplicable(natsServer.unavailable());
    }
    if (c.kind() == Kind.IDLE) {
      return runIdle(c, system);
    }
    if (system == BusSystem.NATS_GO && !goPeer.available()) {
      return Outcome.notApplicable(goPeer.unavailable());
    }
    int limitSeconds = options.quick ? 10 : 30;
    Duration resultTimeout = Duration.ofSeconds(FIRST_SECONDS + limitSeconds + QUIET_SECONDS + STALL_SECONDS + 15);
    long maxSeconds = START_TIMEOUT.toSeconds() + READY_TIMEOUT.toSeconds() + resultTimeout.toSeconds() + 30;
    return RunnerSupport.measure(session -> startClients(session, c, system, limitSeconds, resultTimeout, maxSeconds),
        (results, warnings) -> parseResults(c, results, warnings), results -> "RESULT line(s) " + results);
  }

  /**
   * Starts the node (or nats-server) and the clients of {@code c} on {@code system} in {@code session}, each once the
   * ones before are ready, and returns the rests of the RESULT lines that measure it.
   */
  private List<String> startClients(Session session, BusBenchCase c, BusSystem system, int limitSeconds,
      Duration resultTimeout, long maxSeconds) throws BenchException {
    String label = system.displayName();
    List<Server> servers = options.nodes > 0 ? startCluster(session, system, maxSeconds)
        : List.of(startServer(session, system, false, maxSeconds));
    String endpoint = servers.get(0).endpoint();
    List<String> common = List.of(
        "size=" + c.size(),
        "count=" + c.count(),
        "warmup=" + c.warmup(),
        "maxSeconds=" + maxSeconds,
        "firstSeconds=" + FIRST_SECONDS,
        "quietSeconds=" + QUIET_SECONDS,
        "stallSeconds=" + STALL_SECONDS,
        "limitSeconds=" + limitSeconds);
    if (c.kind() == Kind.EVENTS) {
      List<ChildProcess> listeners = new ArrayList<>();
      for (int i = 1; i <= c.listeners(); i++) {
        // with other nodes, the listeners are on them, in turn; the publisher is on the first node
        String at = servers.size() == 1 ? endpoint : servers.get(1 + (i - 1) % (servers.size() - 1)).endpoint();
        listeners.add(session.start(label + " listener " + i,
            peerCommand(system, with(common, "connect=" + at, "role=listen", "subject=" + EVENTS_SUBJECT))));
      }
      session.awaitAll(listeners, "READY", READY_TIMEOUT);
      awaitInterest(session, system, servers, Math.min(servers.size() - 1, c.listeners()), "listeners");
      session.start(label + " publisher", peerCommand(system, with(common, "connect=" + endpoint, "role=publish",
          "subject=" + EVENTS_SUBJECT)));
      return session.awaitAll(listeners, "RESULT", resultTimeout);
    } else {
      String at = servers.size() == 1 ? endpoint : servers.get(1).endpoint();
      ChildProcess handler = session.start(label + " handler", peerCommand(system, with(common, "connect=" + at,
          "role=handle", "subject=" + REQUESTS_SUBJECT)));
      session.await(handler, "READY", READY_TIMEOUT);
      awaitInterest(session, system, servers, servers.size() - 1 > 0 ? 1 : 0, "handlers");
      ChildProcess requester = session.start(label + " requester", peerCommand(system, with(common,
          "connect=" + endpoint, "role=request", "subject=" + REQUESTS_SUBJECT)));
      return List.of(session.await(requester, "RESULT", resultTimeout));
    }
  }

  /**
   * With other nodes, waits until the first node knows that {@code n} of them have listeners (handlers): the mesh
   * tells it. NATS propagates a subscription over its routes as it is made and has no such question; its warm-up
   * events cover the moment.
   */
  private static void awaitInterest(Session session, BusSystem system, List<Server> servers, int n, String what)
      throws BenchException {
    if (n > 0 && system == BusSystem.SWITCHBOARD) {
      session.send(servers.get(0).process(), "AWAIT " + n + " " + what);
      session.await(servers.get(0).process(), "AWAITED", READY_TIMEOUT);
    }
  }

  /**
   * Starts {@code 1 + --nodes} nodes of {@code system}, each once the one before is ready: Switchboard nodes joined by
   * the mesh (each dials the first and learns the rest from it), or nats-servers joined by routes into one cluster.
   */
  private List<Server> startCluster(Session session, BusSystem system, long maxSeconds) throws BenchException {
    List<Server> servers = new ArrayList<>();
    String seed = null;
    for (int i = 0; i <= options.nodes; i++) {
      if (system == BusSystem.SWITCHBOARD) {
        List<String> args = new ArrayList<>(List.of("role=node", "transport=" + options.transport,
            "ipc=" + session.ipcPath(), "meshId=n" + i, "firstSeconds=" + FIRST_SECONDS, "maxSeconds=" + maxSeconds));
        if (seed != null) {
          args.add("meshPeer=" + seed);
        }
        ChildProcess node = session.start("Switchboard node " + i, javaCommand(BusPeer.class, args));
        String mesh = session.await(node, "MESH", START_TIMEOUT);
        seed = seed == null ? mesh : seed;
        servers.add(new Server(node, session.await(node, "ENDPOINT", START_TIMEOUT)));
        continue;
      }
      Path conf;
      try {
        conf = Files.createTempFile("sb-bench-nats-", ".conf");
        Files.writeString(conf, "cluster { name: bench, listen: \"127.0.0.1:-1\""
            + (seed == null ? "" : ", routes: [\"" + seed + "\"]") + " }\n");
      } catch (IOException e) {
        throw new BenchException("cannot write a nats-server configuration: " + e, "");
      }
      session.deleteOnClose(conf);
      ChildProcess server = session.startLogging("nats-server " + i, natsServer.command(List.of("-c", conf.toString())));
      String line = session.awaitLine(server, "the line naming its client port", l -> NatsServer.port(l).isPresent(),
          START_TIMEOUT);
      String endpoint = "nats://127.0.0.1:" + NatsServer.port(line).getAsInt();
      session.awaitLine(server, "'" + NatsServer.READY + "'", l -> l.contains(NatsServer.READY), START_TIMEOUT);
      String routes = session.awaitLine(server, "the line naming its route port",
          l -> NatsServer.routePort(l).isPresent(), START_TIMEOUT);
      if (seed == null) {
        seed = "nats://127.0.0.1:" + NatsServer.routePort(routes).getAsInt();
      } else {
        session.awaitLine(server, "its route to the first server", l -> l.contains("Route connection created"),
            START_TIMEOUT);
      }
      servers.add(new Server(server, endpoint));
    }
    return servers;
  }

  /**
   * Measures what {@code c.count()} idle clients cost the node, or nats-server: starts it, samples its memory, starts
   * the idle clients' process, and once every client has joined (subscribed), samples it again. Never throws, never
   * hangs.
   */
  private Outcome runIdle(BusBenchCase c, BusSystem system) {
    int n = (int) c.count();
    Duration joinTimeout = IDLE_JOIN_TIMEOUT.plusMillis(n);
    long maxSeconds = START_TIMEOUT.toSeconds() * 2 + joinTimeout.toSeconds() + 30;
    return RunnerSupport.measure(session -> sampleIdle(session, system, n, joinTimeout, maxSeconds),
        (line, warnings) -> parseIdle(c, line, warnings), line -> "memory sample " + line);
  }

  /**
   * The samples of {@link #runIdle} in {@code session}: the node's {@code MEMORY} line, or nats-server's resident set
   * before and after as {@code rssBefore=… rssAfter=…}.
   */
  private String sampleIdle(Session session, BusSystem system, int n, Duration joinTimeout, long maxSeconds)
      throws BenchException {
    List<String> clientArgs = List.of("n=" + n, "firstSeconds=" + FIRST_SECONDS, "maxSeconds=" + maxSeconds);
    Server server = startServer(session, system, true, maxSeconds);
    if (system == BusSystem.SWITCHBOARD) {
      ChildProcess clients = session.start("Switchboard idle clients", javaCommand(IdleBusClients.class,
          with(clientArgs, "connect=" + server.endpoint()), false));
      session.await(clients, "JOINED", joinTimeout);
      session.send(server.process(), "SAMPLE");
      return session.await(server.process(), "MEMORY", START_TIMEOUT);
    } else {
      List<Long> pids = server.process().processIds("nats-server");
      if (pids.size() != 1) {
        throw new BenchException("found " + pids.size() + " nats-server processes under the wrapper (expected: 1)",
            "");
      }
      long pid = pids.get(0);
      long before = MemoryUse.residentSet(pid);
      ChildProcess clients = session.start("NATS idle clients", javaCommand(IdleNatsClients.class,
          with(clientArgs, "connect=" + server.endpoint(), "subject=" + EVENTS_SUBJECT), false));
      session.await(clients, "CONNECTED", joinTimeout);
      long after = MemoryUse.residentSet(pid);
      if (before < 0 || after < 0) {
        throw new BenchException("could not read nats-server's resident set from /proc/" + pid + "/status", "");
      }
      return "rssBefore=" + before + " rssAfter=" + after;
    }
  }

  /** A started node or nats-server, and the endpoint its clients connect to. */
  private record Server(ChildProcess process, String endpoint) {}

  /**
   * Starts the node of {@code system} in {@code session}, and waits until it is ready: a Switchboard node process
   * ({@link BusPeer} {@code role=node}, sampling its memory on request if {@code memory}), or a nats-server.
   */
  private Server startServer(Session session, BusSystem system, boolean memory, long maxSeconds)
      throws BenchException {
    if (system == BusSystem.SWITCHBOARD) {
      List<String> args = new ArrayList<>(List.of("role=node", "transport=" + options.transport,
          "ipc=" + session.ipcPath()));
      if (memory) {
        args.add("memory=true");
      }
      args.add("maxSeconds=" + maxSeconds);
      ChildProcess node = session.start("Switchboard node", javaCommand(BusPeer.class, args, !memory));
      return new Server(node, session.await(node, "ENDPOINT", START_TIMEOUT));
    }
    ChildProcess server = session.startLogging("nats-server", natsServer.command());
    String line = session.awaitLine(server, "the line naming its client port", l -> NatsServer.port(l).isPresent(),
        START_TIMEOUT);
    String endpoint = "nats://127.0.0.1:" + NatsServer.port(line).getAsInt();
    session.awaitLine(server, "'" + NatsServer.READY + "'", l -> l.contains(NatsServer.READY), START_TIMEOUT);
    return new Server(server, endpoint);
  }

  /**
   * The outcome of one idle run: KiB per idle client of the heap in use after a collection, of direct memory and of
   * the resident set, from the {@code <name>Before} and {@code <name>After} fields of {@code line}; NaN for a figure
   * that is absent (nats-server has only a resident set) or could not be read.
   */
  static Outcome parseIdle(BusBenchCase c, String line, List<String> warnings) {
    Map<String, String> fields = RunnerSupport.fields(line);
    double[] perClient = new double[c.metrics().size()];
    String[] names = {"heap", "direct", "rss"};
    for (int i = 0; i < names.length; i++) {
      perClient[i] = RunnerSupport.kibPer(fields, names[i], c.count());
    }
    return Outcome.measured(perClient, false, c.count(), warnings);
  }

  /**
   * The outcome of one run. Events: the events all listeners received after their warm-up, over the slowest
   * listener's time, and the fraction of all events sent to them that did not arrive. Requests: p50 and p99 in µs.
   */
  static Outcome parseResults(BusBenchCase c, List<String> lines, List<String> warnings) {
    if (c.kind() == Kind.REQUESTS) {
      Map<String, String> fields = RunnerSupport.fields(lines.get(0));
      double p50 = Long.parseLong(fields.get("p50")) / 1000.0;
      double p99 = Long.parseLong(fields.get("p99")) / 1000.0;
      return Outcome.measured(new double[] {p50, p99}, Boolean.parseBoolean(fields.get("partial")),
          Long.parseLong(fields.get("samples")), warnings);
    }
    long received = 0;
    long lost = 0;
    long slowest = 0;
    boolean partial = false;
    for (String line : lines) {
      Map<String, String> fields = RunnerSupport.fields(line);
      received += Long.parseLong(fields.get("received"));
      lost += Long.parseLong(fields.get("lost"));
      slowest = Math.max(slowest, Long.parseLong(fields.get("nanos")));
      partial |= Boolean.parseBoolean(fields.get("partial"));
    }
    double rate = slowest <= 0 ? Double.NaN : received * 1e9 / slowest;
    double lostFraction = (double) lost / (lines.size() * (c.count() + c.warmup()));
    List<String> all = new ArrayList<>(warnings);
    if (lost > 0) {
      all.add(String.format(Locale.ROOT, "%,d of %,d events (%.2f%%) did not reach their listener", lost,
          lines.size() * (c.count() + c.warmup()), lostFraction * 100));
    }
    return Outcome.measured(new double[] {rate, lostFraction}, partial, received, all);
  }

  /** The command of a client peer of {@code system}: a JVM running {@link BusPeer} or {@link JnatsPeer}, or Go's. */
  private List<String> peerCommand(BusSystem system, List<String> args) {
    switch (system) {
      case SWITCHBOARD:
        return javaCommand(BusPeer.class, args);
      case NATS_JNATS:
        return javaCommand(JnatsPeer.class, args);
      case NATS_GO:
        return goPeer.command(args);
      default:
        throw new IllegalArgumentException("system: " + system);
    }
  }

  /**
   * A peer JVM with this JVM's class path running {@code main} with {@code args}, its heap touched at start
   * ({@link RunnerSupport#PRETOUCH}) unless it is a node or client of the idle case, whose resident set is the measure.
   */
  private List<String> javaCommand(Class<?> main, List<String> args) {
    return javaCommand(main, args, true);
  }

  private List<String> javaCommand(Class<?> main, List<String> args, boolean pretouch) {
    List<String> command = RunnerSupport.javaBase(options.jvmOptions);
    if (pretouch) {
      command.add(RunnerSupport.PRETOUCH);
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(args);
    return command;
  }

  private String environment() {
    List<String> jvm = RunnerSupport.javaBase(options.jvmOptions);
    return String.format(Locale.ROOT, "%s run, %d run(s) per cell (median, ±half the range), %s | %s | Switchboard's "
            + "clients on %s to the node (clientQueue %d and clientQueueBytes %d, the defaults) | peer JVM options: %s "
            + "(and " + RunnerSupport.PRETOUCH + " but for the idle case)",
        options.quick ? "quick" : "full", options.repeat(), Instant.now().truncatedTo(ChronoUnit.SECONDS),
        RunnerSupport.platform(), options.transport, NodeConfig.DEFAULT_CLIENT_QUEUE,
        NodeConfig.DEFAULT_CLIENT_QUEUE_BYTES,
        String.join(" ", jvm.subList(1, jvm.size())))
        + (options.nodes == 0 ? "" : " | across " + (1 + options.nodes) + " nodes: the publisher (requester) on "
            + "one, the listeners (handler) on the others; Switchboard's nodes joined by the mesh, NATS's servers by "
            + "routes");
  }

  /** The command-line options: those of both runners ({@link RunnerOptions}), and this runner's own. */
  private static final class Options extends RunnerOptions {
    boolean noNats;
    Path natsServer;
    Path goPeer;
    String transport = "tcp";
    int[] listeners = BusBenchCase.LISTENERS;
    /** --idle-clients, or 0 for the default. */
    int idleClients;
    /** --nodes: other nodes (nats-servers) besides the publisher's, joined by the mesh (routes); 0 for one node. */
    int nodes;

    @Override
    int parseOption(String[] args, int i) {
      String arg = args[i];
      switch (arg) {
        case "--repeat" -> repeat = checkRepeat(integer(value(args, ++i, arg), arg));
        case "--listeners" -> listeners = listeners(value(args, ++i, arg));
        case "--idle-clients" -> {
          idleClients = integer(value(args, ++i, arg), arg);
          if (idleClients < 1 || idleClients > BusBenchCase.MAX_IDLE_CLIENTS) {
            throw new IllegalArgumentException("--idle-clients: " + idleClients + " (expected: 1 to "
                + BusBenchCase.MAX_IDLE_CLIENTS + ")");
          }
        }
        case "--transport" -> {
          transport = value(args, ++i, arg);
          if (!transport.equals("tcp") && !transport.equals("ipc")) {
            throw new IllegalArgumentException("--transport: " + transport + " (expected: tcp or ipc)");
          }
        }
        case "--nats-server" -> natsServer = Path.of(value(args, ++i, arg));
        case "--nats-go-peer" -> goPeer = Path.of(value(args, ++i, arg));
        case "--no-nats" -> noNats = true;
        case "--nodes" -> {
          nodes = integer(value(args, ++i, arg), arg);
          if (nodes < 0 || nodes > MAX_NODES) {
            throw new IllegalArgumentException("--nodes: " + nodes + " (expected: 0 to " + MAX_NODES + ")");
          }
        }
        default -> throw new IllegalArgumentException("unknown option: " + arg);
      }
      return i;
    }

    private static int[] listeners(String list) {
      int[] counts;
      try {
        counts = Arrays.stream(list.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--listeners: " + list + " (expected: counts separated by commas)");
      }
      for (int n : counts) {
        if (n < 1 || n > BusBenchCase.MAX_LISTENERS) {
          throw new IllegalArgumentException("--listeners: " + n + " (expected: 1 to " + BusBenchCase.MAX_LISTENERS
              + ")");
        }
      }
      return counts;
    }

    private static int integer(String value, String option) {
      try {
        return Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + ": " + value + " (expected: an integer)");
      }
    }
  }
}
