package io.switchboard.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What every peer process shares: its arguments, the line protocol to the runner, and the guards that make sure it
 * ends.
 *
 * <p>Protocol: a peer writes lines to standard output. {@code ENDPOINT <endpoint>} once bound, {@code RESULT k=v ...}
 * when it has measured, {@code WARN <text>} for anything the runner should report, {@code ERROR <text>} when it
 * fails. Every other line is ignored. The runner stops a peer by closing the peer's standard input; end of input
 * also arrives when the runner dies, so a peer never outlives it. Before that, the runner may write command lines to
 * a peer's standard input ({@code SAMPLE}); a peer that expects them takes them with {@link #nextCommand()}, the
 * others ignore them.
 *
 * <p>Guards: after the stop, a peer has {@link #STOP_GRACE_SECONDS} to exit by itself before it halts; and it halts
 * after {@code maxSeconds} whatever happens.
 */
final class PeerSupport {
  /** Seconds between the stop and a forced halt. */
  static final int STOP_GRACE_SECONDS = 10;

  private static final CountDownLatch STOP = new CountDownLatch(1);
  /** The command lines read from standard input, then an empty one once it ends. */
  private static final BlockingQueue<Optional<String>> COMMANDS = new LinkedBlockingQueue<>();

  private final Map<String, String> args;

  private PeerSupport(Map<String, String> args) {
    this.args = args;
  }

  /** What a peer does once its arguments are parsed and its guards run. */
  @FunctionalInterface
  interface Body {
    void run(PeerSupport peer) throws Exception;
  }

  /**
   * The whole life of a peer process: parses {@code argv}, starts the guards, runs {@code body}, and exits at once;
   * any failure becomes one {@code ERROR} line and a halt with status 2.
   */
  static void main(String[] argv, Body body) {
    try {
      body.run(start(argv));
      exit();
    } catch (Throwable t) {
      fail(t);
    }
  }

  /** Parses {@code key=value} arguments and starts the guards. */
  static PeerSupport start(String[] argv) {
    Map<String, String> args = new HashMap<>();
    for (String arg : argv) {
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("argument: " + arg + " (expected: key=value)");
      }
      args.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    PeerSupport peer = new PeerSupport(args);
    long maxSeconds = peer.longArg("maxSeconds");
    daemon("stdin-watch", () -> watchStdin(System.in));
    daemon("deadline", () -> {
      sleepSeconds(maxSeconds);
      emit("ERROR peer still running after its limit of " + maxSeconds + " s; halting");
      Runtime.getRuntime().halt(4);
    });
    return peer;
  }

  /** Whether the runner has asked this peer to stop. */
  static boolean stopped() {
    return STOP.getCount() == 0;
  }

  /** Waits until the runner asks this peer to stop (the deadline guard bounds the wait). */
  static void awaitStop() throws InterruptedException {
    STOP.await();
  }

  /**
   * Waits for the next command line from the runner (blank lines are skipped), and returns it trimmed; or null once
   * the runner has asked this peer to stop, and on every call after that. The deadline guard bounds the wait.
   */
  static String nextCommand() throws InterruptedException {
    Optional<String> line = COMMANDS.take();
    if (line.isEmpty()) {
      COMMANDS.add(line);
    }
    return line.orElse(null);
  }

  /** Writes one protocol line. */
  static synchronized void emit(String line) {
    System.out.println(line);
    System.out.flush();
  }

  /** Reports a failure as one ERROR line (stack trace to standard error) and halts. */
  static void fail(Throwable t) {
    StringWriter trace = new StringWriter();
    t.printStackTrace(new PrintWriter(trace));
    System.err.print(trace);
    System.err.flush();
    String message = t.getMessage() == null ? "" : ": " + t.getMessage();
    emit("ERROR " + (t instanceof PeerException ? t.getMessage() : t.getClass().getName() + message));
    Runtime.getRuntime().halt(2);
  }

  /**
   * Exits at once with status 0, after flushing. Library threads are not waited for. With {@code
   * -Dbench.normalExit=true} it runs the shutdown hooks first, so that a flight recording started by {@code
   * -XX:StartFlightRecording=filename=...} is written (docs/bench.md, "Profiling a peer").
   */
  static void exit() {
    System.out.flush();
    System.err.flush();
    if (Boolean.getBoolean("bench.normalExit")) {
      System.exit(0);
    }
    Runtime.getRuntime().halt(0);
  }

  /** Closes {@code closeable}, and reports a WARN line if that took more than two seconds. */
  static void closeTimed(String what, AutoCloseable closeable) {
    long start = System.nanoTime();
    try {
      closeable.close();
    } catch (Exception e) {
      emit("WARN " + what + ".close() threw " + e);
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    if (millis > 2000) {
      emit("WARN " + what + ".close() took " + millis + " ms");
    }
  }

  String arg(String key) {
    String value = args.get(key);
    if (value == null) {
      throw new IllegalArgumentException("missing argument " + key + "=...");
    }
    return value;
  }

  /** The argument {@code key}, or null if it was not given. */
  String optionalArg(String key) {
    return args.get(key);
  }

  int intArg(String key) {
    return Integer.parseInt(arg(key));
  }

  long longArg(String key) {
    return Long.parseLong(arg(key));
  }

  Library library() {
    return Library.fromArgument(arg("lib"));
  }

  private static void watchStdin(InputStream in) {
    try {
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = reader.readLine()) != null; ) {
        if (!line.isBlank()) {
          COMMANDS.add(Optional.of(line.trim()));
        }
      }
    } catch (IOException e) {
      // Treated as end of input.
    }
    COMMANDS.add(Optional.empty());
    STOP.countDown();
    sleepSeconds(STOP_GRACE_SECONDS);
    emit("ERROR peer did not exit within " + STOP_GRACE_SECONDS + " s of the stop; halting");
    Runtime.getRuntime().halt(3);
  }

  private static void daemon(String name, Runnable body) {
    Thread thread = new Thread(body, "bench-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  private static void sleepSeconds(long seconds) {
    try {
      Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A failure that the peer describes itself; its message becomes the ERROR line as it is. */
  static final class PeerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PeerException(String message) {
      super(message);
    }
  }
}
