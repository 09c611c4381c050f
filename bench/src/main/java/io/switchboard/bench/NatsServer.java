package io.switchboard.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code nats-server} executable the bus benchmark runs NATS's side on (Debian: package {@code nats-server}, in
 * {@code /usr/sbin}), one fresh server per measurement.
 *
 * <p>A server is started on {@code 127.0.0.1} with {@code -p -1}, which makes nats-server pick a free port itself; it
 * names it on its log ({@code Listening for client connections on 127.0.0.1:PORT}, {@link #port}) and says {@code
 * Server is ready} when it accepts clients. It runs under a small {@code sh} wrapper ({@link #command}) that stops it
 * (SIGTERM) when the wrapper's standard input ends, so that it stops the way the peers do: when the runner closes that
 * input, and also when the runner dies.
 *
 * @param executable nats-server, or null if unavailable
 * @param version its version ({@code v2.9.10}), or null
 * @param unavailable why there is none, or null
 */
record NatsServer(Path executable, String version, String unavailable) {
  /** The log line that names the client port. */
  private static final Pattern LISTENING =
      Pattern.compile("Listening for client connections on ([0-9.]+|\\[[0-9a-fA-F:]+\\]):(\\d+)");
  /** The log line after which the server accepts clients. */
  static final String READY = "Server is ready";
  /** Where nats-server may be besides the PATH: Debian's package puts it in /usr/sbin, often not on a user's PATH. */
  private static final List<Path> PLACES = List.of(Path.of("/usr/sbin"), Path.of("/usr/local/sbin"),
      Path.of("/usr/local/bin"));
  /**
   * Runs {@code "$0" "$@"} (the server and its arguments) in the background, keeps the wrapper's standard input on
   * descriptor 3 for a watcher that kills the server when that input ends, and waits for the server.
   */
  private static final String WRAPPER = String.join("\n",
      "exec 3<&0",
      "\"$0\" \"$@\" </dev/null 3<&- &",
      "pid=$!",
      "( cat <&3 >/dev/null 2>&1; kill \"$pid\" 2>/dev/null ) </dev/null >/dev/null 2>&1 &",
      "exec 3<&-",
      "wait \"$pid\"");

  /** No server, for {@code reason}. */
  static NatsServer unavailable(String reason) {
    return new NatsServer(null, null, reason);
  }

  boolean available() {
    return executable != null;
  }

  /** The server at {@code given} if not null; otherwise nats-server on the PATH or in /usr/sbin. Never throws. */
  static NatsServer locate(Path given) {
    Path executable = given != null ? given : find();
    if (executable == null) {
      return unavailable("nats-server is not installed (Debian: nats-server; bench/run.sh bus installs it)");
    }
    if (!Files.isExecutable(executable)) {
      return unavailable(executable + " is not an executable file");
    }
    try {
      NativePeer.Run run = NativePeer.run(List.of(executable.toString(), "--version"), 10);
      String out = run.output().strip();
      if (run.status() != 0 || out.isEmpty()) {
        return unavailable(executable + " --version failed (status " + run.status() + "): " + out);
      }
      // "nats-server: v2.9.10"
      String version = out.lines().findFirst().orElse(out);
      int colon = version.indexOf(':');
      return new NatsServer(executable, colon >= 0 ? version.substring(colon + 1).trim() : version, null);
    } catch (IOException e) {
      return unavailable("could not run " + executable + ": " + e.getMessage());
    }
  }

  private static Path find() {
    List<Path> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (!dir.isEmpty()) {
          dirs.add(Path.of(dir));
        }
      }
    }
    dirs.addAll(PLACES);
    for (Path dir : dirs) {
      Path candidate = dir.resolve("nats-server");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** The command that starts a server on 127.0.0.1 and a port of its choosing, stopped when its input ends. */
  List<String> command() {
    return List.of("/bin/sh", "-c", WRAPPER, executable.toString(), "-a", "127.0.0.1", "-p", "-1");
  }

  /** As {@link #command()}, with more arguments for the server (a configuration file: {@code -c FILE}). */
  List<String> command(List<String> extra) {
    List<String> command = new java.util.ArrayList<>(command());
    command.addAll(extra);
    return command;
  }

  /** The log line that names the route (cluster) port. */
  private static final Pattern ROUTES = Pattern.compile("Listening for route connections on [^ ]*:(\\d+)");

  /** The route port that a log line names, if it is the "Listening for route connections" line. */
  static OptionalInt routePort(String line) {
    Matcher m = ROUTES.matcher(line);
    return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
  }

  /** The client port that a log line names, if it is the "Listening for client connections" line. */
  static OptionalInt port(String line) {
    Matcher m = LISTENING.matcher(line);
    return m.find() ? OptionalInt.of(Integer.parseInt(m.group(2))) : OptionalInt.empty();
  }
}
