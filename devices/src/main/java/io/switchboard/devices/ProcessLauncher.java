package io.switchboard.devices;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Starts each worker as an operating-system process running the same command. */
final class ProcessLauncher implements WorkerLauncher {
  private final List<String> command;
  private final Map<String, String> environment;
  private final Path directory;
  private final ProcessBuilder.Redirect output;

  ProcessLauncher(List<String> command, Map<String, String> environment, Path directory,
      ProcessBuilder.Redirect output) {
    this.command = List.copyOf(command);
    this.environment = Map.copyOf(environment);
    this.directory = directory;
    this.output = output;
  }

  @Override
  public Running start(int slot) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(output).redirectError(output);
    builder.environment().putAll(environment);
    if (directory != null) {
      builder.directory(directory.toFile());
    }
    Process process = builder.start();
    try {
      process.getOutputStream().close();
    } catch (IOException ignored) {
      // the worker has no use for standard input; a failure to close it harms nothing
    }
    return new RunningProcess(process);
  }

  @Override
  public boolean heartbeats() {
    return false;
  }

  private static final class RunningProcess implements Running {
    private final Process process;
    private final long started = System.nanoTime();
    private final CompletableFuture<Exit> exit;

    RunningProcess(Process process) {
      this.process = process;
      this.exit = process.onExit().thenApply(p -> new Exit(p.exitValue(), ""));
    }

    @Override
    public long pid() {
      return process.pid();
    }

    @Override
    public String name() {
      return "pid " + process.pid();
    }

    @Override
    public CompletableFuture<Exit> onExit() {
      return exit;
    }

    @Override
    public long lastHeartbeatNanos() {
      return started;
    }

    @Override
    public void stop() {
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
    }

    @Override
    public void kill() {
      if (process.isAlive()) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    }

    @Override
    public boolean isAlive() {
      return process.isAlive();
    }

    ProcessHandle handle() {
      return process.toHandle();
    }
  }

  /** The process handle of a worker this launcher started, or {@code null} for another kind. */
  static ProcessHandle handle(Running running) {
    return running instanceof RunningProcess p ? p.handle() : null;
  }
}
