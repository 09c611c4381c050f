package io.switchboard.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One peer process. Its standard output goes line by line to a shared event queue, its standard error to a short tail
 * kept for error reports (and, for a {@linkplain #startLogging logging} child such as a server that logs there, to the
 * queue as well). Every process started here is killed by a shutdown hook if the runner exits first.
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
  private final boolean logging;
  private final Deque<String> stderrTail = new ArrayDeque<>();
  private final Thread stderrReader;

  private ChildProcess(String label, Process process, BlockingQueue<Event> events, boolean logging) {
    this.label = label;
    this.process = process;
    this.logging = logging;
    daemon(label + "-stdout", () -> readLines(process.getInputStream(), line -> events.add(new Event(this, line))),
        () -> events.add(new Event(this, null)));
    Consumer<String> stderr = logging
        ? line -> {
            keepStderr(line);
            events.add(new Event(this, line));
          }
        : this::keepStderr;
    this.stderrReader = daemon(label + "-stderr", () -> readLines(process.getErrorStream(), stderr), () -> {});
  }

  /** Starts {@code command}, labelled {@code label} in reports. */
  static ChildProcess start(String label, List<String> command, BlockingQueue<Event> events) throws IOException {
    return start(label, command, events, false);
  }

  /**
   * Starts {@code command} as {@link #start} does, and also queues each line of its standard error as an event: for
   * a server that logs there and says on its log when it listens (nats-server). Such a child is a {@link #logging()}
   * one.
   */
  static ChildProcess startLogging(String label, List<String> command, BlockingQueue<Event> events)
      throws IOException {
    return start(label, command, events, true);
  }

  private static ChildProcess start(String label, List<String> command, BlockingQueue<Event> events, boolean logging)
      throws IOException {
    Process process = new ProcessBuilder(command).start();
    LIVE.add(process);
    return new ChildProcess(label, process, events, logging);
  }

  String label() {
    return label;
  }

  /** Whether its standard error lines are events too ({@link #startLogging}). */
  boolean logging() {
    return logging;
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

  /**
   * Writes {@code line} to the child's standard input: a command for a peer that reads them
   * ({@link PeerSupport#nextCommand()}).
   *
   * @throws IOException if the child's input is closed (it exited, or was asked to stop)
   */
  void send(String line) throws IOException {
    OutputStream in = process.getOutputStream();
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  /**
   * The process ids of the child and of its descendants whose executable's file name is {@code name}: the server a
   * wrapper script runs, for its memory use ({@link MemoryUse#residentSet}).
   */
  List<Long> processIds(String name) {
    List<Long> ids = new ArrayList<>();
    List<ProcessHandle> all = new ArrayList<>();
    all.add(process.toHandle());
    process.descendants().forEach(all::add);
    for (ProcessHandle handle : all) {
      Optional<String> command = handle.info().command();
      if (command.isPresent() && Path.of(command.get()).getFileName().toString().equals(name)) {
        ids.add(handle.pid());
      }
    }
    return ids;
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
