package io.switchboard.examples;

import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An example running in-process on a thread of its own, its output captured; {@link #close()} interrupts it. */
final class Running implements AutoCloseable {
  static final Duration DEADLINE = Duration.ofSeconds(20);

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final CompletableFuture<Integer> status = new CompletableFuture<>();
  private final Thread thread;

  private Running(String... args) {
    PrintWriter outWriter = new PrintWriter(out, true);
    PrintWriter errWriter = new PrintWriter(err, true);
    thread = new Thread(() -> {
      try {
        status.complete(ExamplesCommand.run(outWriter, errWriter, args));
      } catch (Throwable t) {
        status.completeExceptionally(t);
      }
    }, "example " + String.join(" ", args));
    thread.setDaemon(true);
  }

  static Running start(String... args) {
    Running running = new Running(args);
    running.thread.start();
    return running;
  }

  /** Runs an example to completion and returns it (with its output). */
  static Running run(String... args) {
    Running running = start(args);
    running.awaitExit();
    return running;
  }

  String out() {
    return out.toString();
  }

  String err() {
    return err.toString();
  }

  List<String> lines() {
    return out().lines().toList();
  }

  /** Waits for an output line matching {@code regex} and returns its first group (or the whole line). */
  String awaitLine(String regex) {
    Pattern pattern = Pattern.compile(regex);
    String[] found = new String[1];
    await().atMost(DEADLINE).pollInterval(Duration.ofMillis(20)).until(() -> {
      for (String line : lines()) {
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          found[0] = m.groupCount() > 0 ? m.group(1) : line;
          return true;
        }
      }
      return false;
    });
    return found[0];
  }

  /** The endpoint a server printed as "Listening ... on EP". */
  String boundEndpoint() {
    return awaitLine("on (tcp://\\S+?|ipc://\\S+?)(,|$)");
  }

  int awaitExit() {
    try {
      return status.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("example did not exit; out: " + out() + " err: " + err(), e);
    }
  }

  @Override
  public void close() {
    thread.interrupt();
    try {
      thread.join(DEADLINE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while stopping " + thread.getName(), e);
    }
    if (thread.isAlive()) {
      throw new AssertionError(thread.getName() + " did not stop when interrupted");
    }
  }
}
