package io.switchboard.bench;

import io.switchboard.bench.ChildProcess.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The peers (and servers) of one measurement. Waits for protocol lines with a deadline, turns any peer's ERROR line or
 * early exit into a {@link BenchException}, collects WARN lines, and on {@link #close()} stops every peer, killing
 * what does not exit in time, and deletes the measurement's ipc socket files ({@link #ipcPath()}).
 */
final class Session implements AutoCloseable {
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);
  private static final int TAIL_LINES = 12;

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final List<ChildProcess> children = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final List<Path> files = new ArrayList<>();
  private boolean measured;
  private boolean closed;

  /** Starts a peer with {@code command}: a peer JVM, or libzmq's native peer, followed by the arguments. */
  ChildProcess start(String label, List<String> command) throws BenchException {
    return start(label, command, false);
  }

  /**
   * Starts a {@linkplain ChildProcess#startLogging logging} child: a server whose log lines (standard error too) are
   * events for {@link #awaitLine}, and whose warnings and errors on its log ({@code [WRN]}, {@code [ERR]}) become
   * warnings of the measurement. It is stopped after every other child.
   */
  ChildProcess startLogging(String label, List<String> command) throws BenchException {
    return start(label, command, true);
  }

  private ChildProcess start(String label, List<String> command, boolean logging) throws BenchException {
    try {
      ChildProcess child = logging ? ChildProcess.startLogging(label, command, events)
          : ChildProcess.start(label, command, events);
      children.add(child);
      return child;
    } catch (IOException e) {
      throw new BenchException("could not start " + label + ": " + e, "");
    }
  }

  /**
   * Writes the command line {@code line} to the standard input of {@code to} (a peer that reads commands).
   *
   * @throws BenchException if {@code to} can no longer read it
   */
  void send(ChildProcess to, String line) throws BenchException {
    try {
      to.send(line);
    } catch (IOException e) {
      throw new BenchException("could not send " + line + " to " + to.label() + ": " + e, tails());
    }
  }

  /**
   * Waits for the line {@code <keyword> <rest>} (or {@code <keyword>} alone) from {@code from} and returns the rest.
   *
   * @throws BenchException if any peer reports an error or exits first, or {@code timeout} passes
   */
  String await(ChildProcess from, String keyword, Duration timeout) throws BenchException {
    return awaitAll(List.of(from), keyword, timeout).get(0);
  }

  /**
   * Waits for the line {@code <keyword> <rest>} (or {@code <keyword>} alone) from each of {@code from}, in any order,
   * and returns the rests (empty for a keyword alone) in the order of {@code from}.
   *
   * @throws BenchException if any peer reports an error or exits first, or {@code timeout} passes
   */
  List<String> awaitAll(List<ChildProcess> from, String keyword, Duration timeout) throws BenchException {
    String prefix = keyword + " ";
    String[] rests = new String[from.size()];
    int missing = from.size();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (missing > 0) {
      Event event = next(deadline, timeout, keyword, from.get(firstNull(rests)));
      int index = from.indexOf(event.source());
      String line = event.line();
      if (index >= 0 && rests[index] == null && (line.startsWith(prefix) || line.equals(keyword))) {
        rests[index] = line.substring(Math.min(prefix.length(), line.length())).trim();
        missing--;
      }
    }
    return List.of(rests);
  }

  /**
   * Waits for a line from {@code from} that {@code match} accepts, and returns it whole; {@code what} names it in
   * errors. Made for a logging child's log lines.
   *
   * @throws BenchException if any peer reports an error or exits first, or {@code timeout} passes
   */
  String awaitLine(ChildProcess from, String what, Predicate<String> match, Duration timeout) throws BenchException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (;;) {
      Event event = next(deadline, timeout, what, from);
      if (event.source() == from && match.test(event.line())) {
        return event.line();
      }
    }
  }

  private static int firstNull(String[] rests) {
    for (int i = 0; i < rests.length; i++) {
      if (rests[i] == null) {
        return i;
      }
    }
    return 0;
  }

  /**
   * The next line of any child before {@code deadline}, WARN lines (and a logging child's warnings) already taken
   * into {@link #warnings}.
   *
   * @throws BenchException on a deadline, a peer's ERROR line, or a child's end
   */
  private Event next(long deadline, Duration timeout, String what, ChildProcess awaited) throws BenchException {
    for (;;) {
      long remaining = deadline - System.nanoTime();
      Event event;
      try {
        event = remaining <= 0 ? null : events.poll(remaining, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BenchException("interrupted", "");
      }
      if (event == null) {
        throw new BenchException("timed out after " + timeout.toSeconds() + " s waiting for " + what + " from "
            + awaited.label(), tails());
      }
      String line = event.line();
      ChildProcess source = event.source();
      if (line == null) {
        Integer status = source.exitStatus(Duration.ofSeconds(2));
        throw new BenchException(source.label() + " exited" + (status == null ? "" : " with status " + status)
            + " before " + awaited.label() + " sent " + what, tails());
      }
      if (source.logging()) {
        if (isLogWarning(line)) {
          warnings.add(source.label() + ": " + line);
        }
        return event;
      }
      if (line.startsWith("ERROR ")) {
        source.exitStatus(Duration.ofSeconds(2));
        throw new BenchException(source.label() + ": " + line.substring(6), tails());
      }
      if (line.startsWith("WARN ")) {
        warnings.add(source.label() + ": " + line.substring(5));
        continue;
      }
      return event;
    }
  }

  /** Marks the measurement as done, so that peers slow to stop afterwards are reported as warnings. */
  void measured() {
    measured = true;
  }

  /** Warnings reported by the peers or seen while stopping them. */
  List<String> warnings() {
    return warnings;
  }

  /**
   * Stops the peers: asks all of them at once, the last started first (senders before receivers), then waits for
   * each in that order; then, the same way, the {@linkplain #startLogging logging} children (servers), so that the
   * peers close while their server is still there. Last, deletes the files of {@link #ipcPath()} and
   * {@link #deleteOnClose}. Idempotent; never throws.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop(false);
    stop(true);
    for (Event event; (event = events.poll()) != null; ) {
      String line = event.line();
      if (line != null && measured && event.source().logging() && isLogWarning(line)) {
        warnings.add(event.source().label() + ": " + line);
      } else if (line != null && line.startsWith("WARN ") && measured) {
        warnings.add(event.source().label() + ": " + line.substring(5));
      }
    }
    for (Path file : files) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // A stale file in the temporary directory is harmless.
      }
    }
  }

  private void stop(boolean logging) {
    for (int i = children.size() - 1; i >= 0; i--) {
      if (children.get(i).logging() == logging) {
        children.get(i).requestStop();
      }
    }
    for (int i = children.size() - 1; i >= 0; i--) {
      ChildProcess child = children.get(i);
      if (child.logging() == logging && !child.stop(STOP_GRACE) && measured) {
        warnings.add(child.label() + ": did not exit within " + STOP_GRACE.toSeconds()
            + " s of the stop (a hang in send or close?); killed");
      }
    }
  }

  /** Whether a logging child's line is a warning or worse, in nats-server's log format. */
  private static boolean isLogWarning(String line) {
    return line.contains("[WRN]") || line.contains("[ERR]") || line.contains("[FTL]");
  }

  private String tails() {
    StringBuilder sb = new StringBuilder();
    for (ChildProcess child : children) {
      String tail = child.stderrTail(TAIL_LINES);
      if (!tail.isBlank()) {
        sb.append("--- ").append(child.label()).append(" stderr (last lines) ---\n").append(tail).append('\n');
      }
    }
    return sb.toString();
  }

  /** A fresh path for an ipc socket file, in the temporary directory; the file is deleted on {@link #close()}. */
  Path ipcPath() {
    Path file = Path.of(System.getProperty("java.io.tmpdir"),
        "sb-bench-" + Long.toHexString(System.nanoTime() ^ Double.doubleToLongBits(Math.random())) + ".ipc");
    files.add(file);
    return file;
  }

  /** Deletes {@code file} on {@link #close()}, after the peers stopped: another ipc socket file of a peer's. */
  void deleteOnClose(Path file) {
    files.add(file);
  }
}
