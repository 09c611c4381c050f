package io.switchboard.bench;

import io.switchboard.bench.ChildProcess.Event;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The peers of one measurement. Waits for protocol lines with a deadline, turns any peer's ERROR line or early exit
 * into a {@link BenchException}, collects WARN lines, and on {@link #close()} stops every peer, killing what does not
 * exit in time.
 */
final class Session implements AutoCloseable {
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);
  private static final int TAIL_LINES = 12;

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final List<ChildProcess> children = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private boolean measured;
  private boolean closed;

  /** Starts a peer with {@code command}: a peer JVM, or libzmq's native peer, followed by the arguments. */
  ChildProcess start(String label, List<String> command) throws BenchException {
    try {
      ChildProcess child = ChildProcess.start(label, command, events);
      children.add(child);
      return child;
    } catch (IOException e) {
      throw new BenchException("could not start " + label + ": " + e, "");
    }
  }

  /**
   * Waits for the line {@code <keyword> <rest>} from {@code from} and returns the rest.
   *
   * @throws BenchException if any peer reports an error or exits first, or {@code timeout} passes
   */
  String await(ChildProcess from, String keyword, Duration timeout) throws BenchException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String prefix = keyword + " ";
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
        throw new BenchException("timed out after " + timeout.toSeconds() + " s waiting for " + keyword + " from "
            + from.label(), tails());
      }
      String line = event.line();
      ChildProcess source = event.source();
      if (line == null) {
        Integer status = source.exitStatus(Duration.ofSeconds(2));
        throw new BenchException(source.label() + " exited" + (status == null ? "" : " with status " + status)
            + " before " + from.label() + " sent " + keyword, tails());
      }
      if (line.startsWith("ERROR ")) {
        source.exitStatus(Duration.ofSeconds(2));
        throw new BenchException(source.label() + ": " + line.substring(6), tails());
      }
      if (line.startsWith("WARN ")) {
        warnings.add(source.label() + ": " + line.substring(5));
      } else if (source == from && line.startsWith(prefix)) {
        return line.substring(prefix.length()).trim();
      }
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
   * each in that order. Idempotent; never throws.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (int i = children.size() - 1; i >= 0; i--) {
      children.get(i).requestStop();
    }
    for (int i = children.size() - 1; i >= 0; i--) {
      ChildProcess child = children.get(i);
      if (!child.stop(STOP_GRACE) && measured) {
        warnings.add(child.label() + ": did not exit within " + STOP_GRACE.toSeconds()
            + " s of the stop (a hang in send or close?); killed");
      }
    }
    for (Event event; (event = events.poll()) != null; ) {
      String line = event.line();
      if (line != null && line.startsWith("WARN ") && measured) {
        warnings.add(event.source().label() + ": " + line.substring(5));
      }
    }
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

  /** A fresh path for an ipc socket file, in the temporary directory. */
  static Path ipcPath() {
    return Path.of(System.getProperty("java.io.tmpdir"),
        "sb-bench-" + Long.toHexString(System.nanoTime() ^ Double.doubleToLongBits(Math.random())) + ".ipc");
  }
}
