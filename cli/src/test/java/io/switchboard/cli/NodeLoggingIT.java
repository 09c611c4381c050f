package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code switchboard node --log-format json --log-level ...}: JSON lines on standard error, at the level asked. */
class NodeLoggingIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stopAll() {
    processes.forEach(Process::destroyForcibly);
  }

  private Process start(String... args) throws Exception {
    Process p = new ProcessBuilder(CliProcess.command(args)).start();
    processes.add(p);
    return p;
  }

  @Test
  void jsonLinesAtDebugShowEachConnection() throws Exception {
    Path socket = dir.resolve("node.sock");
    Process node = start("node", "--ipc", socket.toString(), "--log-format", "json",
        "--log-level", "io.switchboard.socket=debug");
    assertThat(CliProcess.reader(node.getInputStream()).readLine()).startsWith("switchboard node n-");
    BufferedReader err = CliProcess.reader(node.getErrorStream());
    JsonNode listening = JSON.readTree(err.readLine());
    assertThat(listening.path("level").asText()).isEqualTo("DEBUG");
    assertThat(listening.path("loggerName").asText()).isEqualTo("io.switchboard.socket.internal.SocketCore");
    assertThat(listening.path("formattedMessage").asText()).contains("LISTENING ipc://" + socket);

    Process emit = start("bus", "emit", "A", "log", "\"x\"", "--node", "ipc://" + socket);
    assertThat(CliProcess.exitCode(emit, WAIT)).isZero();
    JsonNode accepted = null;
    for (String line = err.readLine(); line != null && accepted == null; line = err.readLine()) {
      JsonNode entry = JSON.readTree(line); // every line is JSON
      if (entry.path("formattedMessage").asText().contains("ACCEPTED")) {
        accepted = entry;
      }
    }
    assertThat(accepted).isNotNull();
    assertThat(accepted.has("timestamp")).isTrue();
  }

  @Test
  void aBadLevelIsAUsageError() throws Exception {
    Process node = start("node", "--ipc", dir.resolve("node.sock").toString(), "--log-level", "loud");
    assertThat(CliProcess.exitCode(node, WAIT)).isEqualTo(2);
    assertThat(CliProcess.reader(node.getErrorStream()).readLine()).contains("--log-level: loud (expected:");
  }
}
