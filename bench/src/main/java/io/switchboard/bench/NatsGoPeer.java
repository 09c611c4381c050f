package io.switchboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The peer of NATS's Go client: {@code bench/src/main/go/nats_peer.go}, built with {@code go build} in GOPATH mode,
 * offline, against the nats.go sources of the Debian package {@code golang-github-nats-io-go-nats-dev} (in {@code
 * /usr/share/gocode}), into {@code bench/target/nats_peer}. It takes the same arguments and speaks the same line
 * protocol as {@link BusPeer} and {@link JnatsPeer}, so {@link Session} drives it like them.
 *
 * <p>{@link #locate} builds it when it is missing or older than its source, as {@link ZmqPeer} builds libzmq's peer,
 * and installs nothing: when Go or nats.go is missing it returns an unavailable peer that says what is missing
 * ({@code bench/run.sh bus} installs both with apt-get first).
 *
 * @param executable the built peer, or null if unavailable
 * @param version the client's version as the peer reports it ({@code nats.go 1.22.1}), or null
 * @param unavailable why there is no peer, or null
 */
record NatsGoPeer(Path executable, String version, String unavailable) {
  private static final String SOURCE = "src/main/go/nats_peer.go";
  private static final String BINARY = "target/nats_peer";
  /** Where Debian's Go library packages put their sources: a GOPATH. */
  static final Path DEBIAN_GOPATH = Path.of("/usr/share/gocode");
  private static final String NATS_GO = "src/github.com/nats-io/nats.go";
  private static final long BUILD_SECONDS = 300;

  /** A peer that is not there, for {@code reason}. */
  static NatsGoPeer unavailable(String reason) {
    return new NatsGoPeer(null, null, reason);
  }

  boolean available() {
    return executable != null;
  }

  /**
   * The peer at {@code given} if not null; otherwise {@code bench/target/nats_peer}, built first if it is missing or
   * older than its source. Never throws.
   */
  static NatsGoPeer locate(Path given) {
    Path executable = given;
    if (executable == null) {
      Path module = ZmqPeer.moduleDirectory();
      if (module == null || !Files.isRegularFile(module.resolve(SOURCE))) {
        return unavailable("cannot find the bench module's " + SOURCE + " from the class path (pass --nats-go-peer "
            + "PATH)");
      }
      executable = module.resolve(BINARY);
      String failure = buildIfStale(module, module.resolve(SOURCE), executable);
      if (failure != null) {
        return unavailable(failure);
      }
    } else if (!Files.isExecutable(executable)) {
      return unavailable(executable + " is not an executable file");
    }
    try {
      ZmqPeer.Run run = ZmqPeer.run(List.of(executable.toString(), "role=version"), 10);
      String out = run.output().strip();
      if (run.status() != 0 || !out.startsWith("VERSION ")) {
        return unavailable(executable + " role=version failed (status " + run.status() + "): " + out);
      }
      return new NatsGoPeer(executable, out.substring("VERSION ".length()).trim(), null);
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

  /** Builds {@code source} into {@code executable} unless that is newer; returns null or what went wrong. */
  private static String buildIfStale(Path module, Path source, Path executable) {
    try {
      if (Files.isExecutable(executable)
          && Files.getLastModifiedTime(executable).compareTo(Files.getLastModifiedTime(source)) >= 0) {
        return null;
      }
      if (!Files.isDirectory(DEBIAN_GOPATH.resolve(NATS_GO))) {
        return "nats.go's sources are not in " + DEBIAN_GOPATH.resolve(NATS_GO) + " (Debian: "
            + "golang-github-nats-io-go-nats-dev; bench/run.sh bus installs it)";
      }
      Files.createDirectories(executable.getParent());
      // GOPATH mode, offline: the imports come from Debian's GOPATH, nothing from a module proxy.
      Map<String, String> environment = Map.of(
          "GOPATH", DEBIAN_GOPATH.toString(),
          "GO111MODULE", "off",
          "GOPROXY", "off",
          "GOFLAGS", "",
          "CGO_ENABLED", "0",
          "GOCACHE", module.resolve("target/go-cache").toString());
      ZmqPeer.Run run;
      try {
        run = ZmqPeer.run(List.of("go", "build", "-o", executable.toString(), source.toString()), BUILD_SECONDS,
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
    } catch (IOException e) {
      return "could not build " + executable + ": " + e.getMessage();
    }
  }
}
