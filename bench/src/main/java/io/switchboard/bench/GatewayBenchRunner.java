package io.switchboard.bench;

import io.switchboard.bus.BusClient;
import io.switchboard.gateway.ServiceClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway benchmark: requests per second and latency (p50, p99) of {@code GET /hello}, with wrk ({@code -t2
 * -c64}, keep-alive), side by side in one run:
 *
 * <ol>
 *   <li>nginx answering the same JSON from memory: the ceiling of HTTP on this machine;
 *   <li>the seed's design done properly: a Node.js http server relaying each request, with a request id, over one
 *       persistent TCP connection to a JSON-line service in another Node process ({@code src/main/node/gateway-relay});
 *   <li>Switchboard's gateway (with its node, in one JVM, as {@code switchboard gateway} runs them) calling the
 *       service in another JVM over the bus;
 *   <li>the same service called over the bus directly ({@link ServiceClient}, 64 calls in flight), without HTTP: the
 *       gateway's own overhead is the difference.
 * </ol>
 *
 * <p>Each HTTP system gets a warm-up run of wrk first, not counted, as long as the measured run by default: after 5 s
 * the gateway's JVM was still compiling (its C2 thread took 5 to 18 µs per request of the next 10 s, beside the 17
 * of its I/O threads; 1 to 9 after 10 s, under 1 after 30 s), so the measured seconds held JIT work. Results go to
 * standard output and to {@code gateway.md} and {@code gateway.csv} in the output directory. A system whose program is
 * missing (nginx, node, wrk) is reported as such; {@code bench/run.sh gateway} installs them from Debian's packages
 * first when it can.
 *
 * <p>The systems run in rounds ({@code --repeat}, 3 by default): every system once per round, each round started
 * afresh, so that a system's runs are spread over the whole benchmark as the machine's state changes. The table gives
 * each figure's median over the rounds with the spread of the rate, and judges the targets on the rounds' own ratios
 * (the gateway and the relay of one round ran a minute apart): the median ratio, and the rounds that met each target.
 *
 * <p>Options: {@code --duration SECONDS} (10), {@code --warmup SECONDS} (as {@code --duration}), {@code --repeat N}
 * (3; 1 with {@code --quick}), {@code --connections N} (64), {@code --threads N} (2), {@code --out DIR} (results),
 * {@code --relay-dir DIR} (the Node.js relay's scripts), {@code --quick} (3 s runs, 2 s warm-ups), {@code --jvm-opt
 * OPT} (repeatable, for the gateway's and the service's JVMs; on two cores or fewer they run the serial collector, as
 * the launcher runs them, unless an option names another).
 */
public final class GatewayBenchRunner {
  private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern PERCENTILE = Pattern.compile("^\\s*(50|99)(?:\\.0+)?%\\s+([0-9.]+)(us|ms|s)\\s*$");
  private static final Pattern ERRORS = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)|Socket errors:.*");
  private static final String BODY = "{\"greeting\":\"hello\",\"from\":\"bench\"}";

  /** One line of the table: a system, and what it did (or why it did not run). */
  record Row(String system, double rps, double p50Ms, double p99Ms, String note) {
    static Row missing(String system, String why) {
      return new Row(system, Double.NaN, Double.NaN, Double.NaN, why);
    }
  }

  private int duration = 10;
  /** The warm-up's length; by default (-1) the measured run's. */
  private int warmup = -1;
  /** Rounds; by default (0) {@link RunnerOptions#FULL_REPEAT}, or 1 when quick. */
  private int repeat;
  private boolean quick;
  private int connections = 64;
  private int threads = 2;
  private Path out = Path.of("results");
  private Path relayDir = Path.of("bench/src/main/node/gateway-relay");
  private final List<String> jvmOpts = new ArrayList<>();
  private final List<Process> live = new ArrayList<>();

  private GatewayBenchRunner() {}

  /** Runs the benchmark; see the class comment for the options. */
  public static void main(String[] args) throws Exception {
    GatewayBenchRunner r = new GatewayBenchRunner();
    r.parse(args);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> r.live.forEach(Process::destroyForcibly)));
    r.run();
  }

  private void parse(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--duration" -> duration = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--repeat" -> repeat = RunnerOptions.checkRepeat(Integer.parseInt(args[++i]));
        case "--connections" -> connections = Integer.parseInt(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--relay-dir" -> relayDir = Path.of(args[++i]);
        case "--jvm-opt" -> jvmOpts.add(args[++i]);
        case "--quick" -> {
          duration = 3;
          warmup = 2;
          quick = true;
        }
        default -> throw new IllegalArgumentException("unknown option " + a + " (expected: --duration, --warmup, "
            + "--repeat, --connections, --threads, --out, --relay-dir, --jvm-opt, --quick)");
      }
    }
    if (warmup < 0) {
      warmup = duration;
    }
    if (repeat == 0) {
      repeat = quick ? 1 : RunnerOptions.FULL_REPEAT;
    }
  }

  private void run() throws Exception {
    Path tmp = Files.createTempDirectory("switchboard-gateway-bench");
    String wrk = which("wrk");
    System.err.printf("gateway bench: wrk -t%d -c%d -d%ds --latency (after a %d s warm-up each), %d round(s)%n",
        threads, connections, duration, warmup, repeat);
    if (wrk == null) {
      System.err.println("gateway bench: wrk is missing (Debian: apt-get install wrk); only the bus is measured");
    }
    List<List<Row>> rounds = new ArrayList<>();
    for (int round = 1; round <= repeat; round++) {
      List<Row> rows = new ArrayList<>();
      rows.add(nginx(wrk, tmp));
      rows.add(nodeRelay(wrk));
      rows.addAll(gateway(wrk, tmp));
      rounds.add(rows);
      System.err.printf(Locale.ROOT, "gateway bench: round %d of %d: %s%n", round, repeat, String.join("; ",
          rows.stream().map(r -> r.system() + ": " + number(r.rps(), 0) + " req/s, p99 "
              + number(r.p99Ms(), 2) + " ms").toList()));
    }
    report(rounds);
  }

  // ---- the systems ----

  private Row nginx(String wrk, Path tmp) throws Exception {
    String system = "nginx, static JSON from memory (ceiling)";
    String nginx = which("nginx");
    if (nginx == null && Files.isExecutable(Path.of("/usr/sbin/nginx"))) {
      nginx = "/usr/sbin/nginx";
    }
    if (nginx == null || wrk == null) {
      return Row.missing(system, nginx == null ? "nginx missing (apt-get install nginx)" : "wrk missing");
    }
    int port = freePort();
    Path conf = tmp.resolve("nginx.conf");
    Path prefix = tmp.resolve("nginx");
    Files.createDirectories(prefix.resolve("logs"));
    Files.writeString(conf, String.join("\n",
        "worker_processes " + Math.max(1, Runtime.getRuntime().availableProcessors()) + ";",
        "daemon off;",
        "pid " + prefix.resolve("nginx.pid") + ";",
        "error_log " + prefix.resolve("logs/error.log") + " warn;",
        "events { worker_connections 4096; }",
        "http {",
        "  access_log off;",
        "  client_body_temp_path " + prefix.resolve("body") + ";",
        "  proxy_temp_path " + prefix.resolve("proxy") + ";",
        "  fastcgi_temp_path " + prefix.resolve("fastcgi") + ";",
        "  uwsgi_temp_path " + prefix.resolve("uwsgi") + ";",
        "  scgi_temp_path " + prefix.resolve("scgi") + ";",
        "  keepalive_requests 1000000;",
        "  server {",
        "    listen 127.0.0.1:" + port + ";",
        "    location /hello { default_type application/json; return 200 '" + BODY + "'; }",
        "  }",
        "}", ""));
    Process p = start(List.of(nginx, "-p", prefix.toString(), "-c", conf.toString()), false);
    try {
      awaitPort(port, p, "nginx");
      return wrk(system, wrk, "http://127.0.0.1:" + port + "/hello");
    } finally {
      stop(p);
    }
  }

  private Row nodeRelay(String wrk) throws Exception {
    String system = "Node.js http relay -> JSON-line service (the seed's design)";
    String node = which("node");
    if (node == null || wrk == null) {
      return Row.missing(system, node == null ? "node missing (apt-get install nodejs)" : "wrk missing");
    }
    Process service = start(List.of(node, relayDir.resolve("service.js").toString(), "0"), true);
    try {
      int servicePort = Integer.parseInt(readyLine(service, "Node.js service").split(" ")[1]);
      Process http = start(List.of(node, relayDir.resolve("http.js").toString(), "0",
          Integer.toString(servicePort)), true);
      try {
        int port = Integer.parseInt(readyLine(http, "Node.js relay").split(" ")[1]);
        return wrk(system, wrk, "http://127.0.0.1:" + port + "/hello");
      } finally {
        stop(http);
      }
    } finally {
      stop(service);
    }
  }

  private List<Row> gateway(String wrk, Path tmp) throws Exception {
    String ipc = tmp.resolve("node.sock").toString();
    Process gateway = start(javaCommand("gateway", ipc), true);
    List<Row> rows = new ArrayList<>();
    try {
      int port = Integer.parseInt(readyLine(gateway, "gateway").split(" ")[1]);
      Process service = start(javaCommand("service", ipc), true);
      try {
        readyLine(service, "service");
        rows.add(wrk == null ? Row.missing("Switchboard gateway -> service over the bus", "wrk missing")
            : wrk("Switchboard gateway -> service over the bus", wrk, "http://127.0.0.1:" + port + "/hello"));
        rows.add(busDirect("ipc://" + ipc));
      } finally {
        stop(service);
      }
    } finally {
      stop(gateway);
    }
    return rows;
  }

  /** The same calls without HTTP: {@code connections} calls in flight through one bus client, for the duration. */
  private Row busDirect(String endpoint) throws Exception {
    try (BusClient bus = BusClient.connect(endpoint)) {
      ServiceClient services = ServiceClient.of(bus);
      services.call("bench", "hello", null, Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS);
      load(services, warmup, null);
      long[] latencies = new long[4 * 1024 * 1024];
      AtomicLong count = new AtomicLong();
      long start = System.nanoTime();
      load(services, duration, (i, nanos) -> {
        long n = count.getAndIncrement();
        if (n < latencies.length) {
          latencies[(int) n] = nanos;
        }
      });
      double seconds = (System.nanoTime() - start) / 1e9;
      int n = (int) Math.min(count.get(), latencies.length);
      long[] sorted = Arrays.copyOf(latencies, n);
      Arrays.sort(sorted);
      return new Row("the service over the bus directly (ServiceClient, no HTTP)", count.get() / seconds,
          sorted[n / 2] / 1e6, sorted[(int) Math.min(n - 1, Math.ceil(n * 0.99) - 1)] / 1e6,
          connections + " calls in flight, one bus client");
    }
  }

  private interface Sample {
    void record(int slot, long nanos);
  }

  /** Keeps {@code connections} calls in flight for {@code seconds}, each slot sending its next when one returns. */
  private void load(ServiceClient services, int seconds, Sample sample) throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    List<CompletableFuture<Void>> slots = new ArrayList<>();
    for (int s = 0; s < connections; s++) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      slots.add(done);
      next(services, s, running, sample, done);
    }
    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));   // the measurement's length, not a synchronisation
    running.set(false);
    CompletableFuture.allOf(slots.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
  }

  private static void next(ServiceClient services, int slot, AtomicBoolean running, Sample sample,
      CompletableFuture<Void> done) {
    if (!running.get()) {
      done.complete(null);
      return;
    }
    long t0 = System.nanoTime();
    services.call("bench", "hello", null, Duration.ofSeconds(10)).whenComplete((r, e) -> {
      if (e != null) {
        done.completeExceptionally(e);
        return;
      }
      if (sample != null) {
        sample.record(slot, System.nanoTime() - t0);
      }
      next(services, slot, running, sample, done);
    });
  }

  // ---- wrk ----

  private Row wrk(String system, String wrk, String url) throws Exception {
    String body = fetch(url);
    if (!body.contains("\"greeting\":\"hello\"")) {
      return Row.missing(system, "answered " + body + " instead of " + BODY);
    }
    runWrk(wrk, url, warmup);
    return parseWrk(system, runWrk(wrk, url, duration));
  }

  /** A row from wrk's output with {@code --latency}: requests/sec, the 50% and 99% lines, errors if any. */
  static Row parseWrk(String system, String output) {
    Matcher rps = RPS.matcher(output);
    double p50 = Double.NaN;
    double p99 = Double.NaN;
    for (String line : output.split("\n")) {
      Matcher m = PERCENTILE.matcher(line);
      if (m.matches()) {
        double value = Double.parseDouble(m.group(2)) * switch (m.group(3)) {
          case "us" -> 1e-3;
          case "s" -> 1e3;
          default -> 1.0;
        };
        if (m.group(1).equals("50")) {
          p50 = value;
        } else {
          p99 = value;
        }
      }
    }
    Matcher errors = ERRORS.matcher(output);
    String note = errors.find() ? errors.group().trim() : "";
    return new Row(system, rps.find() ? Double.parseDouble(rps.group(1)) : Double.NaN, p50, p99, note);
  }

  private String runWrk(String wrk, String url, int seconds) throws Exception {
    Process p = new ProcessBuilder(wrk, "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--latency", url)
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("wrk failed on " + url + ":\n" + output);
    }
    return output;
  }

  /** One GET, to check what a system answers before measuring it. */
  private static String fetch(String url) throws IOException {
    java.net.URI uri = java.net.URI.create(url);
    try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(("GET " + uri.getPath() + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  // ---- processes ----

  private List<String> javaCommand(String role, String ipc) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    boolean collectorChosen = jvmOpts.stream().anyMatch(o -> o.startsWith("-XX:+Use") && o.endsWith("GC"));
    if (!collectorChosen && Runtime.getRuntime().availableProcessors() <= 2) {
      command.add("-XX:+UseSerialGC");   // as the launcher runs `switchboard gateway` and `service` on two cores
    }
    command.addAll(jvmOpts);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), GatewayBenchPeer.class.getName(), role, ipc));
    return command;
  }

  private Process start(List<String> command, boolean pipeOut) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    if (!pipeOut) {
      pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }
    Process p = pb.start();
    live.add(p);
    return p;
  }

  private static String readyLine(Process p, String what) throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.startsWith("ready")) {
        return line;
      }
    }
    throw new IOException(what + " exited before it was ready");
  }

  private void stop(Process p) throws InterruptedException {
    try {
      p.getOutputStream().close();
    } catch (IOException e) {
      // gone already
    }
    p.destroy();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    live.remove(p);
  }

  private static void awaitPort(int port, Process p, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IOException(what + " exited with status " + p.exitValue());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        p.waitFor(50, TimeUnit.MILLISECONDS);   // until the next attempt, or its exit
      }
    }
    throw new IOException(what + " did not listen on " + port + " within 20 s");
  }

  /** A port free now, for servers that cannot bind port 0 and say which they got (nginx). */
  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String which(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, program);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }

  // ---- the report ----

  /**
   * Writes the table: per system, the medians over the rounds (the rate with its spread), its ratio to the relay (the
   * median of the rounds' ratios), then the targets, judged on the rounds' ratios, and the gateway's overhead.
   */
  private void report(List<List<Row>> rounds) throws IOException {
    int systems = rounds.get(0).size();
    List<Row> medians = new ArrayList<>();
    List<double[]> ratios = new ArrayList<>();
    for (int i = 0; i < systems; i++) {
      medians.add(median(column(rounds, i)));
      int system = i;
      ratios.add(rounds.stream().mapToDouble(r -> r.get(system).rps() / r.get(1).rps()).toArray());
    }
    String how = rounds.size() == 1 ? "one round"
        : rounds.size() + " rounds: medians, the rate's spread (half its range), the median of the rounds' ratios";
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "GET /hello, wrk -t%d -c%d -d%ds (keep-alive), %d processors, %s%n%n",
        threads, connections, duration, Runtime.getRuntime().availableProcessors(), how));
    md.append("| System | req/s | p50 ms | p99 ms | vs Node.js relay | Note |\n|---|---:|---:|---:|---:|---|\n");
    StringBuilder csv = new StringBuilder("round,system,rps,p50_ms,p99_ms,note\n");
    for (int i = 0; i < systems; i++) {
      Row m = medians.get(i);
      double ratio = Outcome.median(ratios.get(i));
      md.append(String.format(Locale.ROOT, "| %s | %s%s | %s | %s | %s | %s |%n", m.system(), number(m.rps(), 0),
          spread(column(rounds, i)), number(m.p50Ms(), 2), number(m.p99Ms(), 2),
          Double.isNaN(ratio) ? "" : number(ratio, 2) + "x", m.note()));
    }
    for (int round = 0; round <= rounds.size(); round++) {
      List<Row> rows = round < rounds.size() ? rounds.get(round) : medians;
      String name = round < rounds.size() ? Integer.toString(round + 1) : "median";
      for (Row r : rows) {
        csv.append(String.format(Locale.ROOT, "%s,\"%s\",%s,%s,%s,\"%s\"%n", name, r.system(), plain(r.rps(), 1),
            plain(r.p50Ms(), 3), plain(r.p99Ms(), 3), r.note().replace("\"", "'")));
      }
    }
    Row node = medians.get(1);
    Row gateway = medians.get(2);
    Row direct = medians.get(3);
    double[] gatewayRatios = ratios.get(2);
    double ratio = Outcome.median(gatewayRatios);
    if (!Double.isNaN(ratio)) {
      long fastRounds = Arrays.stream(gatewayRatios).filter(r -> r >= 2).count();
      long tailRounds = rounds.stream().filter(r -> r.get(2).p99Ms() < r.get(1).p99Ms()).count();
      md.append(String.format(Locale.ROOT, "%nTarget, at least 2x the Node.js relay's throughput: %s (%sx; %d of %d "
          + "rounds at 2x or more: %s); a lower p99: %s (%s ms against %s ms; lower in %d of %d rounds).%n",
          ratio >= 2 ? "met" : "NOT met", number(ratio, 2), fastRounds, rounds.size(),
          String.join(", ", Arrays.stream(gatewayRatios).mapToObj(r -> number(r, 2) + "x").toList()),
          gateway.p99Ms() < node.p99Ms() ? "met" : "NOT met", number(gateway.p99Ms(), 2), number(node.p99Ms(), 2),
          tailRounds, rounds.size()));
    }
    if (!Double.isNaN(gateway.p50Ms()) && !Double.isNaN(direct.p50Ms())) {
      md.append(String.format(Locale.ROOT, "The gateway's own overhead (HTTP in front of the bus): p50 +%s ms, "
          + "p99 +%s ms; throughput %s of the bus's direct.%n", number(gateway.p50Ms() - direct.p50Ms(), 2),
          number(gateway.p99Ms() - direct.p99Ms(), 2), number(gateway.rps() / direct.rps() * 100, 0) + "%"));
    }
    System.out.print(md);
    Files.createDirectories(out);
    Files.writeString(out.resolve("gateway.md"), md);
    Files.writeString(out.resolve("gateway.csv"), csv);
    System.err.println("gateway bench: wrote " + out.resolve("gateway.md") + " and " + out.resolve("gateway.csv"));
  }

  /** System {@code index}'s row of every round. */
  private static List<Row> column(List<List<Row>> rounds, int index) {
    return rounds.stream().map(r -> r.get(index)).toList();
  }

  /** One system's rounds as one row: the median of each figure, and each distinct note. */
  static Row median(List<Row> rows) {
    return new Row(rows.get(0).system(), Outcome.median(rows.stream().mapToDouble(Row::rps).toArray()),
        Outcome.median(rows.stream().mapToDouble(Row::p50Ms).toArray()),
        Outcome.median(rows.stream().mapToDouble(Row::p99Ms).toArray()),
        String.join("; ", rows.stream().map(Row::note).filter(n -> !n.isEmpty()).distinct().toList()));
  }

  /**
   * " ±8%": half the range of the rates over the rounds, relative to their median, as the socket bench writes it
   * ({@link ReportFormat#spread}); empty for fewer than two measured rounds.
   */
  private static String spread(List<Row> rows) {
    List<Outcome> rounds = rows.stream().filter(r -> !Double.isNaN(r.rps()))
        .map(r -> Outcome.measured(new double[] {r.rps()}, false, 0, List.of())).toList();
    return rounds.isEmpty() ? "" : ReportFormat.spread(Outcome.combine(rounds), 0);
  }

  private static String number(double v, int decimals) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%,." + decimals + "f", v);
  }

  /** A number for the CSV file: no grouping separators, which would split the field. */
  private static String plain(double v, int decimals) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }
}
