package io.switchboard.bench;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * libzmq's peer: {@code bench/src/main/c/zmq_peer.c}, compiled with {@code gcc -O2} against the system's libzmq into
 * {@code bench/target/zmq_peer}. It takes the same arguments and speaks the same line protocol as
 * {@link ThroughputPeer} and {@link LatencyPeer}, so {@link Session} drives it like them.
 *
 * <p>{@link #locate} never installs anything: when gcc, {@code zmq.h} or the library is missing it returns an
 * unavailable {@link NativePeer} whose {@link NativePeer#unavailable() unavailable()} says what is missing, and the
 * runner shows libzmq as n/a.
 */
final class ZmqPeer {
  private static final String SOURCE = "src/main/c/zmq_peer.c";
  private static final String BINARY = "target/zmq_peer";
  private static final long COMPILE_SECONDS = 120;

  private ZmqPeer() {}

  /**
   * The peer at {@code given} if not null; otherwise {@code bench/target/zmq_peer}, compiled first if it is missing
   * or older than its source. The bench module is found from the runner's own class directory
   * ({@code bench/target/classes}). The peer's version is libzmq's (zmq_version).
   */
  static NativePeer locate(Path given) {
    if (given != null) {
      return NativePeer.at(given);
    }
    Path module = moduleDirectory();
    if (module == null) {
      return NativePeer.unavailable("cannot find the bench module from the class path (run from bench/target/classes, "
          + "or pass --zmq-peer PATH)");
    }
    Path source = module.resolve(SOURCE);
    Path executable = module.resolve(BINARY);
    if (!Files.isRegularFile(source)) {
      return NativePeer.unavailable("source " + source + " is missing");
    }
    String failure = NativePeer.buildIfStale(source, executable, () -> compile(source, executable));
    return failure != null ? NativePeer.unavailable(failure) : NativePeer.probe(executable);
  }

  /** Compiles {@code source} into {@code executable}; returns null or what went wrong. */
  private static String compile(Path source, Path executable) {
    List<String> gcc = List.of("gcc", "-O2", "-o", executable.toString(), source.toString(), "-lzmq", "-lpthread",
        "-lm");
    NativePeer.Run run;
    try {
      run = NativePeer.run(gcc, COMPILE_SECONDS);
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
}
