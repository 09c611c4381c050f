package io.switchboard.bench;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * libzmq's peer: {@code bench/src/main/c/zmq_peer.c}, compiled with {@code gcc -O2} against the system's libzmq into
 * {@code bench/target/zmq_peer}. It takes the same arguments and speaks the same line protocol as
 * {@link ThroughputPeer} and {@link LatencyPeer}, so {@link Session} drives it like them.
 *
 * <p>{@link #locate} never installs anything: when gcc, {@code zmq.h} or the library is missing it returns an
 * unavailable peer whose {@link #unavailable()} says what is missing, and the runner shows libzmq as n/a.
 *
 * @param executable the compiled peer, or null if unavailable
 * @param version libzmq's version as the peer reports it (zmq_version), or null
 * @param unavailable why there is no peer, or null
 */
record ZmqPeer(Path executable, String version, String unavailable) {
  private static final String SOURCE = "src/main/c/zmq_peer.c";
  private static final String BINARY = "target/zmq_peer";
  private static final long COMPILE_SECONDS = 120;

  /** A peer that is not there, for {@code reason}. */
  static ZmqPeer unavailable(String reason) {
    return new ZmqPeer(null, null, reason);
  }

  boolean available() {
    return executable != null;
  }

  /**
   * The peer at {@code given} if not null; otherwise {@code bench/target/zmq_peer}, compiled first if it is missing
   * or older than its source. The bench module is found from the runner's own class directory
   * ({@code bench/target/classes}).
   */
  static ZmqPeer locate(Path given) {
    Path executable = given;
    if (executable == null) {
      Path module = moduleDirectory();
      if (module == null) {
        return unavailable("cannot find the bench module from the class path (run from bench/target/classes, or "
            + "pass --zmq-peer PATH)");
      }
      Path source = module.resolve(SOURCE);
      executable = module.resolve(BINARY);
      if (!Files.isRegularFile(source)) {
        return unavailable("source " + source + " is missing");
      }
      String failure = compileIfStale(source, executable);
      if (failure != null) {
        return unavailable(failure);
      }
    } else if (!Files.isExecutable(executable)) {
      return unavailable(executable + " is not an executable file");
    }
    try {
      Run run = run(List.of(executable.toString(), "role=version"), 10);
      String out = run.output().strip();
      if (run.status() != 0 || !out.startsWith("VERSION ")) {
        return unavailable(executable + " role=version failed (status " + run.status() + "): " + out);
      }
      return new ZmqPeer(executable, out.substring("VERSION ".length()).trim(), null);
    } catch (IOException e) {
      return unavailable("could not run " + executable + ": " + e.getMessage());
    }
  }

  /** The command that starts the peer with {@code args}. */
  List<String> command(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.addAll(args);
    return command;
  }

  /** Compiles {@code source} into {@code executable} unless that is newer; returns null or what went wrong. */
  private static String compileIfStale(Path source, Path executable) {
    try {
      if (Files.isExecutable(executable)
          && Files.getLastModifiedTime(executable).compareTo(Files.getLastModifiedTime(source)) >= 0) {
        return null;
      }
      Files.createDirectories(executable.getParent());
      List<String> gcc = List.of("gcc", "-O2", "-o", executable.toString(), source.toString(), "-lzmq", "-lpthread",
          "-lm");
      Run run;
      try {
        run = run(gcc, COMPILE_SECONDS);
      } catch (IOException e) {
        return "gcc is not installed (or not on PATH), so the libzmq peer cannot be built: " + e.getMessage();
      }
      if (run.status() == 0) {
        return null;
      }
      String output = run.output().strip();
      if (output.contains("zmq.h")) {
        return "zmq.h not found: install libzmq's headers (Debian: libzmq3-dev) to build the libzmq peer";
      }
      if (output.contains("-lzmq") || output.contains("cannot find -lzmq")) {
        return "libzmq not found by the linker (Debian: libzmq3-dev)";
      }
      return "gcc failed (status " + run.status() + "): " + String.join(" | ", output.lines().limit(6).toList());
    } catch (IOException e) {
      return "could not build " + executable + ": " + e.getMessage();
    }
  }

  /** The bench module's directory, found from the runner's class location; null if not found. */
  static Path moduleDirectory() {
    try {
      Path classes = Path.of(BenchRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      // bench/target/classes -> bench
      Path module = classes.getParent() == null ? null : classes.getParent().getParent();
      return module != null && Files.isRegularFile(module.resolve(SOURCE)) ? module : null;
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  /** A finished command: its exit status (-1 if it timed out) and its merged output. */
  record Run(int status, String output) {}

  /** Runs {@code command} with output and error merged, killing it after {@code seconds}. */
  static Run run(List<String> command, long seconds) throws IOException {
    return run(command, seconds, Map.of());
  }

  /** As {@link #run(List, long)}, with {@code environment} added to the command's environment. */
  static Run run(List<String> command, long seconds, Map<String, String> environment)
      throws IOException {
    Path log = Files.createTempFile("sb-bench-zmq-peer", ".log");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
          .redirectInput(ProcessBuilder.Redirect.PIPE);
      builder.environment().putAll(environment);
      Process process = builder.start();
      process.getOutputStream().close();
      boolean exited;
      try {
        exited = process.waitFor(seconds, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exited = false;
      }
      if (!exited) {
        process.destroyForcibly();
        return new Run(-1, "timed out after " + seconds + " s: " + String.join(" ", command));
      }
      return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
