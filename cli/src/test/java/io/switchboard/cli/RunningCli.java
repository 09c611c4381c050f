package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@code switchboard} command line running in-process on its own thread, with standard input from a pipe the
 * test writes to (or from a fixed text) and standard output and error captured.
 */
final class RunningCli implements AutoCloseable {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();
  private final OutputStream stdin;
  private final Thread thread;

  private RunningCli(InputStream in, OutputStream stdin, String... args) {
    this.stdin = stdin;
    this.thread = new Thread(() -> {
      try {
        exit.complete(Main.run(in, new PrintWriter(out, true), new PrintWriter(err, true), args));
      } catch (Throwable t) {
        exit.completeExceptionally(t);
      }
    }, "cli " + String.join(" ", args));
    thread.start();
  }

  /** Starts a command whose standard input stays open until {@link #write}s end with {@link #closeStdin()}. */
  static RunningCli interactive(String... args) {
    try {
      Pipe pipe = Pipe.open();
      return new RunningCli(Channels.newInputStream(pipe.source()), Channels.newOutputStream(pipe.sink()), args);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a command with this standard input, already at its end. */
  static RunningCli start(String input, String... args) {
    return new RunningCli(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), null, args);
  }

  /** Runs a command with this standard input to its end. */
  static RunningCli run(String input, String... args) {
    RunningCli cli = start(input, args);
    cli.exitCode();
    return cli;
  }

  /** Writes to standard input. */
  void write(String text) {
    try {
      stdin.write(text.getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ends standard input. */
  void closeStdin() {
    try {
      if (stdin != null) {
        stdin.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the command has returned. */
  boolean isDone() {
    return exit.isDone();
  }

  /**
   * Waits (30 s at most) for the command to return and gives its exit status. A command that does not return fails
   * the test with what it printed and where every thread of this JVM stood, so that a hang can be told from the
   * report alone.
   */
  int exitCode() {
    try {
      return exit.get(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      StringBuilder threads = new StringBuilder();
      for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
        threads.append(t.getThreadName()).append(' ').append(t.getThreadState()).append('\n');
        for (StackTraceElement frame : t.getStackTrace()) {
          threads.append("    at ").append(frame).append('\n');
        }
      }
      throw new AssertionError(thread.getName() + " did not return within 30 s; its output: " + out + "; errors: "
          + err + "\nthreads:\n" + threads, e);
    } catch (ExecutionException e) {
      throw new AssertionError(thread.getName() + " failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The lines printed so far on standard output (only whole lines). */
  List<String> lines() {
    return lines(out.toString());
  }

  /** Everything printed so far on standard output. */
  String output() {
    return out.toString();
  }

  /** The lines printed so far on standard error. */
  List<String> errLines() {
    return lines(err.toString());
  }

  private static List<String> lines(String text) {
    int end = text.lastIndexOf('\n');
    return end < 0 ? List.of() : Arrays.asList(text.substring(0, end).split("\n", -1));
  }

  /** Ends standard input, and interrupts the command if it still runs. */
  @Override
  public void close() {
    closeStdin();
    if (!isDone()) {
      thread.interrupt();
    }
    try {
      thread.join(TimeUnit.SECONDS.toMillis(15));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while closing " + thread.getName(), e);
    }
    assertThat(thread.isAlive()).as("%s still runs", thread.getName()).isFalse();
  }
}
