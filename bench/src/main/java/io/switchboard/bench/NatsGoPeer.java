package io.switchboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The peer of NATS's Go client: {@code bench/src/main/go/nats_peer.go}, built with {@code go build} in GOPATH mode,
 * offline, against the nats.go sources of the Debian package {@code golang-github-nats-io-go-nats-dev} (in {@code
 * /usr/share/gocode}), into {@code bench/target/nats_peer}. It takes the same arguments and speaks the same line
 * protocol as {@link BusPeer} and {@link JnatsPeer}, so {@link Session} drives it like them.
 *
 * <p>{@link #locate} builds it when it is missing or older than its source, as {@link ZmqPeer} builds libzmq's peer,
 * and installs nothing: when Go or nats.go is missing it returns an unavailable {@link NativePeer} that says what is
 * missing ({@code bench/run.sh bus} installs both with apt-get first).
 */
final class NatsGoPeer {
  private static final String SOURCE = "src/main/go/nats_peer.go";
  private static final String BINARY = "target/nats_peer";
  /** Where Debian's Go library packages put their sources: a GOPATH. */
  static final Path DEBIAN_GOPATH = Path.of("/usr/share/gocode");
  private static final String NATS_GO = "src/github.com/nats-io/nats.go";
  private static final long BUILD_SECONDS = 300;

  private NatsGoPeer() {}

  /**
   * The peer at {@code given} if not null; otherwise {@code bench/target/nats_peer}, built first if it is missing or
   * older than its source. The peer's version is the client's ({@code nats.go 1.22.1}). Never throws.
   */
  static NativePeer locate(Path given) {
    if (given != null) {
      return NativePeer.at(given);
    }
    Path module = ZmqPeer.moduleDirectory();
    if (module == null || !Files.isRegularFile(module.resolve(SOURCE))) {
      return NativePeer.unavailable("cannot find the bench module's " + SOURCE + " from the class path (pass "
          + "--nats-go-peer PATH)");
    }
    Path source = module.resolve(SOURCE);
    Path executable = module.resolve(BINARY);
    String failure = NativePeer.buildIfStale(source, executable, () -> build(module, source, executable));
    return failure != null ? NativePeer.unavailable(failure) : NativePeer.probe(executable);
  }

  /** Builds {@code source} into {@code executable}; returns null or what went wrong. */
  private static String build(Path module, Path source, Path executable) {
    if (!Files.isDirectory(DEBIAN_GOPATH.resolve(NATS_GO))) {
      return "nats.go's sources are not in " + DEBIAN_GOPATH.resolve(NATS_GO) + " (Debian: "
          + "golang-github-nats-io-go-nats-dev; bench/run.sh bus installs it)";
    }
    // GOPATH mode, offline: the imports come from Debian's GOPATH, nothing from a module proxy.
    Map<String, String> environment = Map.of(
        "GOPATH", DEBIAN_GOPATH.toString(),
        "GO111MODULE", "off",
        "GOPROXY", "off",
        "GOFLAGS", "",
        "CGO_ENABLED", "0",
        "GOCACHE", module.resolve("target/go-cache").toString());
    NativePeer.Run run;
    try {
      run = NativePeer.run(List.of("go", "build", "-o", executable.toString(), source.toString()), BUILD_SECONDS,
          environment);
    } catch (IOException e) {
      return "go is not installed (or not on PATH), so the NATS Go peer cannot be built (Debian: golang-go; "
          + "bench/run.sh bus installs it): " + e.getMessage();
    }
    if (run.status() == 0) {
      return null;
    }
    return "go build failed (status " + run.status() + "): "
        + String.join(" | ", run.output().strip().lines().limit(6).toList());
  }
}
