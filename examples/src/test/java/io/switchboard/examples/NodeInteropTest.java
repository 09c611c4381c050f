package io.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The book's programs on the npm {@code zeromq} package (6.x, with its own libzmq) against ours, each side binding
 * in turn. Skipped unless {@code node} is on the PATH and {@code npm ci} has run in {@code src/test/node}.
 */
class NodeInteropTest {
  private static final Path NODE_DIR = Path.of(System.getProperty("switchboard.node.dir", "src/test/node"));

  @BeforeAll
  static void nodeAndZeromqInstalled() throws Exception {
    assumeThat(Files.isDirectory(NODE_DIR.resolve("node_modules/zeromq")))
        .as("npm ci in " + NODE_DIR).isTrue();
    Process probe;
    try {
      probe = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
    } catch (IOException e) {
      assumeThat(e).as("node on the PATH").isNull();
      return;
    }
    assumeThat(probe.waitFor(20, TimeUnit.SECONDS) && probe.exitValue() == 0).as("node runs").isTrue();
  }

  @Test
  void ourWatcherPubBindsTheirSubConnects(@TempDir Path dir) throws Exception {
    Path target = Files.writeString(dir.resolve("target.txt"), "one");
    try (Running pub = Running.start("watcher-pub", target.toString(), "--endpoint", "tcp://127.0.0.1:*");
        Node sub = Node.start(dir, "watcher-sub.js", "connect", pub.boundEndpoint())) {
      await().atMost(Running.DEADLINE).pollInterval(Duration.ofMillis(200)).until(() -> {
        Files.writeString(target, "changed " + System.nanoTime());
        return sub.output().contains("File \"" + target + "\" changed at ");
      });
    }
  }

  @Test
  void theirWatcherPubBindsOurSubConnects(@TempDir Path dir) throws Exception {
    Path target = Files.writeString(dir.resolve("target.txt"), "one");
    try (Node pub = Node.start(dir, "watcher-pub.js", target.toString(), "bind", "tcp://127.0.0.1:*");
        Running sub = Running.start("watcher-sub", "--endpoint", pub.awaitLine("on (tcp://\\S+)"))) {
      await().atMost(Running.DEADLINE).pollInterval(Duration.ofMillis(200)).until(() -> {
        Files.writeString(target, "changed " + System.nanoTime());
        return sub.out().contains("File \"" + target + "\" changed at ");
      });
    }
  }

  @Test
  void ourFilerRepBindsTheirReqConnects(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("target.txt"), "from java");
    try (Running rep = Running.start("filer-rep", "--endpoint", "tcp://127.0.0.1:*", "--root", dir.toString())) {
      String ep = rep.boundEndpoint();
      try (Node req = Node.start(dir, "filer-req.js", "target.txt", "connect", ep)) {
        assertThat(req.awaitLine("Received response: (.*)"))
            .startsWith("{\"content\":\"from java\",\"timestamp\":")
            .contains("\"pid\":" + ProcessHandle.current().pid());
      }
      try (Node req = Node.start(dir, "filer-req.js", "../../etc/passwd", "connect", ep)) {
        assertThat(req.awaitLine("Received response: (.*)")).startsWith("{\"error\":").contains("outside");
      }
    }
  }

  @Test
  void theirFilerRepBindsOurReqConnects(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("target.txt"), "from node");
    try (Node rep = Node.start(dir, "filer-rep.js", "bind", "tcp://127.0.0.1:*")) {
      Running req = Running.run("filer-req", "target.txt", "--endpoint", rep.awaitLine("on (tcp://\\S+)"));
      assertThat(req.awaitExit()).as(req.err()).isZero();
      assertThat(req.awaitLine("Received response: (.*)"))
          .startsWith("{\"content\":\"from node\",\"timestamp\":")
          .contains("\"pid\":" + rep.process.pid());
    }
  }

  /** A Node.js program from {@code src/test/node}, its output (both streams) collected. */
  private static final class Node implements AutoCloseable {
    final Process process;
    private final List<String> lines = new ArrayList<>();

    private Node(Process process) {
      this.process = process;
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = in.readLine()) != null; ) {
            synchronized (lines) {
              lines.add(line);
            }
          }
        } catch (IOException ended) {
          // the process is gone
        }
      }, "node output");
      reader.setDaemon(true);
      reader.start();
    }

    static Node start(Path workingDirectory, String script, String... args) throws IOException {
      List<String> command = new ArrayList<>(List.of("node", NODE_DIR.resolve(script).toAbsolutePath().toString()));
      command.addAll(List.of(args));
      return new Node(new ProcessBuilder(command).directory(workingDirectory.toFile())
          .redirectErrorStream(true).start());
    }

    String output() {
      synchronized (lines) {
        return String.join("\n", lines);
      }
    }

    String awaitLine(String regex) {
      Pattern pattern = Pattern.compile(regex);
      String[] found = new String[1];
      await().atMost(Running.DEADLINE).pollInterval(Duration.ofMillis(20)).until(() -> {
        for (String line : output().lines().toList()) {
          Matcher m = pattern.matcher(line);
          if (m.find()) {
            found[0] = m.group(1);
            return true;
          }
        }
        return false;
      });
      return found[0];
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
