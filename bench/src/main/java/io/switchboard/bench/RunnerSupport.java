package io.switchboard.bench;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What both runners, {@link BenchRunner} and {@link BusBenchRunner}, share: the life of the process from the command
 * line to the exit status, one measurement in fresh peer processes, the peer JVMs' command, and reading the
 * {@code key=value} lines that peers report.
 */
final class RunnerSupport {
  private RunnerSupport() {}

  /** What a runner does once its options are parsed and its cases selected; returns the exit status. */
  @FunctionalInterface
  interface Runner<O extends RunnerOptions, C extends NamedCase> {
    int run(O options, List<C> cases, PrintStream out);
  }

  /**
   * The whole life of a runner process. Parses {@code args} into {@code options}: a bad option is said on standard
   * error with {@code usage}, and the exit status is 2; {@code --help} prints {@code usage}. Then selects the cases of
   * {@code all} that {@code --only} asks for: if there are none, says so (status 2); with {@code --list}, prints
   * their names (status 0). Otherwise exits with the status that {@code runner} returns.
   *
   * @param name the runner's name at the start of its messages on standard error ({@code bench}, {@code bench bus})
   */
  static <O extends RunnerOptions, C extends NamedCase> void main(String[] args, String name, String usage, O options,
      Function<O, List<C>> all, Runner<O, C> runner) {
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    try {
      options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(name + ": " + e.getMessage());
      System.err.println(usage);
      System.exit(2);
      return;
    }
    if (options.help) {
      out.println(usage);
      return;
    }
    List<C> cases = NamedCase.select(all.apply(options), options.only);
    if (cases.isEmpty()) {
      System.err.println(name + ": no case matches " + options.only + "; --list shows the names");
      System.exit(2);
      return;
    }
    if (options.list) {
      cases.forEach(c -> out.println(c.name()));
      System.exit(0);
      return;
    }
    System.exit(runner.run(options, cases, out));
  }

  /**
   * The option with which every measured JVM peer (Switchboard's, JeroMQ's, jnats's) touches its heap before it
   * starts, but where its resident set is the measure: the kernel zeroes a fresh page on its first use, at about 2 s
   * of CPU per GiB on the development machine, and a run of a second or a few would otherwise measure that, where a
   * long-running process pays it once (PUSH/PULL tcp 16 B, 2 million messages after 2 million: 3.2 to 3.8 million
   * a second without, 6.0 to 10.7 with; 11 to 13 million after 20 million either way). docs/bench.md, "Bus".
   */
  static final String PRETOUCH = "-XX:+AlwaysPreTouch";

  /** {@code java} with the peer JVMs' heap and {@code --jvm-opt} options; the class path and main class follow. */
  static List<String> javaBase(List<String> jvmOptions) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xms1g");
    command.add("-Xmx1g");
    command.addAll(jvmOptions);
    return command;
  }

  /** A peer's arguments: {@code common}, then {@code more}. */
  static List<String> with(List<String> common, String... more) {
    List<String> args = new ArrayList<>(common);
    args.addAll(List.of(more));
    return args;
  }

  /** The {@code key=value} fields of a peer's line ({@code RESULT}, {@code MEMORY}); other words are skipped. */
  static Map<String, String> fields(String line) {
    Map<String, String> fields = new HashMap<>();
    for (String field : line.split("\\s+")) {
      int eq = field.indexOf('=');
      if (eq > 0) {
        fields.put(field.substring(0, eq), field.substring(eq + 1));
      }
    }
    return fields;
  }

  /**
   * KiB per idle connection (or client) from the {@code <name>Before} and {@code <name>After} fields, over
   * {@code idle} of them; NaN if either is absent or negative (could not be read).
   */
  static double kibPer(Map<String, String> fields, String name, long idle) {
    String before = fields.get(name + "Before");
    String after = fields.get(name + "After");
    if (before == null || after == null || Long.parseLong(before) < 0 || Long.parseLong(after) < 0) {
      return Double.NaN;
    }
    return (Long.parseLong(after) - Long.parseLong(before)) / 1024.0 / idle;
  }

  /** The machine in the environment line: {@code Java 17.0.9 (OpenJDK 64-Bit Server VM) | Linux 6.1 amd64 | 2 CPUs}. */
  static String platform() {
    return String.format(Locale.ROOT, "Java %s (%s) | %s %s %s | %d CPUs", System.getProperty("java.version"),
        System.getProperty("java.vm.name"), System.getProperty("os.name"), System.getProperty("os.version"),
        System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors());
  }

  /** What one measurement does in its session: starts the peers and returns what they report. */
  @FunctionalInterface
  interface Measurement<T> {
    T run(Session session) throws BenchException;
  }

  /** Reads what the peers of a measurement reported, with the session's warnings, into its outcome. */
  @FunctionalInterface
  interface Reading<T> {
    /**
     * The outcome of {@code reported}.
     *
     * @throws RuntimeException if {@code reported} is malformed
     */
    Outcome read(T reported, List<String> warnings);
  }

  /**
   * Runs one measurement in fresh peer processes: {@code measurement} in a new {@link Session}, which is closed
   * afterwards whatever happens (every peer stopped, its files deleted), and then {@code reading} of what the peers
   * reported. Never throws, never hangs: a {@link BenchException} (a peer's error or early exit, a deadline) becomes
   * a failed outcome, and so does a report that {@code reading} cannot read ({@code unreadable <what>: …}, with
   * {@code what} from {@code described}).
   */
  static <T> Outcome measure(Measurement<T> measurement, Reading<T> reading, Function<T, String> described) {
    return measure(measurement, reading, described, (e, warnings) -> Outcome.failed(e.getMessage(), e.detail(),
        warnings));
  }

  /**
   * As {@link #measure(Measurement, Reading, Function)}, with {@code failure} making the outcome of a
   * {@link BenchException} from the exception and the session's warnings.
   */
  static <T> Outcome measure(Measurement<T> measurement, Reading<T> reading, Function<T, String> described,
      BiFunction<BenchException, List<String>, Outcome> failure) {
    Session session = new Session();
    T reported;
    try {
      reported = measurement.run(session);
      session.measured();
    } catch (BenchException e) {
      session.close();
      return failure.apply(e, session.warnings());
    } finally {
      session.close();
    }
    try {
      return reading.read(reported, session.warnings());
    } catch (RuntimeException e) {
      return Outcome.failed("unreadable " + described.apply(reported) + ": " + e, "", session.warnings());
    }
  }
}
