package io.switchboard.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One peer JVM. Its standard output goes line by line to a shared event queue, its standard error to a short tail
 * kept for error reports. Every process started here is killed by a shutdown hook if the runner exits first.
 */
final class ChildProcess {
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
  private static final int STDERR_TAIL_LINES = 40;

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (Process process : LIVE) {
        process.destroyForcibly();
      }
    }, "bench-kill-children"));
  }

  /** A line of a child's standard output; {@code line == null} marks its end. */
  record Event(ChildProcess source, String line) {}

  private final String label;
  private final Process process;
  private final Deque<String> stderrTail = new ArrayDeque<>();
  private final Thread stderrReader;

  private ChildProcess(String label, Process process, BlockingQueue<Event> events) {
    this.label = label;
    this.process = process;
    daemon(label + "-stdout", () -> readLines(process.getInputStream(), line -> events.add(new Event(this, line))),
        () -> events.add(new Event(this, null)));
    this.stderrReader = daemon(label + "-stderr", () -> readLines(process.getErrorStream(), this::keepStderr), () -> {});
  }

  /** Starts {@code command}, labelled {@code label} in reports. */
  static ChildProcess start(String label, List<String> command, BlockingQueue<Event> events) throws IOException {
    Process process = new ProcessBuilder(command).start();
    LIVE.add(process);
    return new ChildProcess(label, process, events);
  }

  String label() {
    return label;
  }

  /**
   * Closes the child's standard input, which asks a peer to stop, and waits up to {@code grace} for it to exit; then
   * kills it if it has not. Returns whether it exited by itself.
   */
  boolean stop(Duration grace) {
    requestStop();
    boolean exited = waitFor(grace);
    if (!exited) {
      process.destroyForcibly();
      waitFor(Duration.ofSeconds(5));
    }
    LIVE.remove(process);
    return exited;
  }

  /** Closes the child's standard input, which asks a peer to stop; {@link #stop} then waits for it. Idempotent. */
  void requestStop() {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // Already gone.
    }
  }

  /** The exit status, waiting up to {@code wait} for it, or null if still running. */
  Integer exitStatus(Duration wait) {
    return waitFor(wait) ? process.exitValue() : null;
  }

  /** The last lines of standard error, after giving the reader a moment to catch up with an exited process. */
  String stderrTail(int lines) {
    if (!process.isAlive()) {
      try {
        stderrReader.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    List<String> copy;
    synchronized (stderrTail) {
      copy = new ArrayList<>(stderrTail);
    }
    return String.join("\n", copy.subList(Math.max(0, copy.size() - lines), copy.size()));
  }

  private boolean waitFor(Duration wait) {
    try {
      return process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  private void keepStderr(String line) {
    synchronized (stderrTail) {
      stderrTail.addLast(line);
      if (stderrTail.size() > STDERR_TAIL_LINES) {
        stderrTail.removeFirst();
      }
    }
  }

  private static void readLines(InputStream in, Consumer<String> sink) {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        sink.accept(line);
      }
    } catch (IOException e) {
      // The stream closes when the process dies.
    }
  }

  private static Thread daemon(String name, Runnable body, Runnable atEnd) {
    Thread thread = new Thread(() -> {
      try {
        body.run();
      } finally {
        atEnd.run();
      }
    }, "bench-" + name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
