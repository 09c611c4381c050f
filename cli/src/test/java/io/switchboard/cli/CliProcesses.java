package io.switchboard.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The processes a test starts, stopped forcibly after it: hold one in an {@code @AutoClose} field (or close it in
 * {@code @AfterEach} where it must stop before something else closes).
 */
final class CliProcesses implements AutoCloseable {
  private final List<Process> processes = new ArrayList<>();

  /** Starts {@code switchboard} with these arguments in a process of its own ({@link CliProcess#command}). */
  Process start(String... args) throws IOException {
    return start(new ProcessBuilder(CliProcess.command(args)));
  }

  /** Starts a process as this builder says. */
  Process start(ProcessBuilder builder) throws IOException {
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  /** Stops every process started so far, in the order they started, without waiting for them to exit. */
  @Override
  public void close() {
    processes.forEach(Process::destroyForcibly);
    processes.clear();
  }
}
