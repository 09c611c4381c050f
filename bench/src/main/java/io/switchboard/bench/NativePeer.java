package io.switchboard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A peer that is a native program of the bench module rather than a JVM: libzmq's C peer ({@link ZmqPeer}) or NATS's
 * Go client's peer ({@link NatsGoPeer}). It takes the same arguments and speaks the same line protocol as the Java
 * peers, so {@link Session} drives it like them, and {@code role=version} makes it print {@code VERSION <version>}.
 *
 * <p>What locating one has in common lives here: a path given on the command line ({@link #at}), building the program
 * from its source when that is newer ({@link #buildIfStale}), and asking it for its version ({@link #probe}). None of
 * it throws or installs anything: what is missing becomes an unavailable peer that says so.
 *
 * @param executable the peer, or null if unavailable
 * @param version the version of what it measures, as the peer reports it ({@code 4.3.4}, {@code nats.go 1.22.1}), or
 *     null
 * @param unavailable why there is no peer, or null
 */
record NativePeer(Path executable, String version, String unavailable) {
  private static final long VERSION_SECONDS = 10;

  /** A peer that is not there, for {@code reason}. */
  static NativePeer unavailable(String reason) {
    return new NativePeer(null, null, reason);
  }

  boolean available() {
    return executable != null;
  }

  /** The command that starts the peer with {@code args}. */
  List<String> command(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.addAll(args);
    return command;
  }

  /** The prebuilt peer at {@code executable}, as given on the command line: {@link #probe}d if it is executable. */
  static NativePeer at(Path executable) {
    if (!Files.isExecutable(executable)) {
      return unavailable(executable + " is not an executable file");
    }
    return probe(executable);
  }

  /** The peer at {@code executable} with the version its {@code role=version} prints; unavailable if that fails. */
  static NativePeer probe(Path executable) {
    try {
      Run run = run(List.of(executable.toString(), "role=version"), VERSION_SECONDS);
      String out = run.output().strip();
      if (run.status() != 0 || !out.startsWith("VERSION ")) {
        return unavailable(executable + " role=version failed (status " + run.status() + "): " + out);
      }
      return new NativePeer(executable, out.substring("VERSION ".length()).trim(), null);
    } catch (IOException e) {
      return unavailable("could not run " + executable + ": " + e.getMessage());
    }
  }

  /** How a peer is built: compiles it, and returns null or what went wrong. */
  @FunctionalInterface
  interface Build {
    String run() throws IOException;
  }

  /**
   * Builds {@code executable} from {@code source} with {@code build}, into its directory, unless it is already newer
   * than the source; returns null or what went wrong.
   */
  static String buildIfStale(Path source, Path executable, Build build) {
    try {
      if (Files.isExecutable(executable)
          && Files.getLastModifiedTime(executable).compareTo(Files.getLastModifiedTime(source)) >= 0) {
        return null;
      }
      Files.createDirectories(executable.getParent());
      return build.run();
    } catch (IOException e) {
      return "could not build " + executable + ": " + e.getMessage();
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
