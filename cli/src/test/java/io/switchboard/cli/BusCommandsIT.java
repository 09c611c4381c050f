package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code switchboard node}, {@code bus} and {@code ctl}, each a process of its own, as a user runs them. */
class BusCommandsIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  @AutoClose private final CliProcesses processes = new CliProcesses();
  private String endpoint;
  private Process node;

  @BeforeEach
  void startNode() throws IOException {
    Path socket = dir.resolve("node.sock");
    node = start("node", "--ipc", socket.toString());
    BufferedReader out = reader(node.getInputStream());
    String first = out.readLine();
    assertThat(first).startsWith("switchboard node n-").endsWith("listening on ipc://" + socket);
    assertThat(out.readLine()).isEqualTo("channels: control, A (copies to /^B$/), B (copies to /^A$/)");
    endpoint = "ipc://" + socket;
  }

  @Test
  void emitAndListenAcrossChannels() throws Exception {
    Process listen = start("bus", "listen", "B", "--node", endpoint, "-n", "3", "--timeout", "15s");
    assertThat(reader(listen.getErrorStream()).readLine()).startsWith("listening to B (>) at " + endpoint);
    assertThat(exitCode(start("bus", "emit", "A", "log", "\"TESTE\"", "--node", endpoint))).isZero();
    Process lines = start("bus", "emit", "A", "numbers", "--node", endpoint);
    try (OutputStream in = lines.getOutputStream()) {
      in.write("1\n{\"a\":2}\n".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(exitCode(lines)).isZero();
    BufferedReader out = reader(listen.getInputStream());
    List<JsonNode> events = new ArrayList<>();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      events.add(JSON.readTree(line));
    }
    assertThat(exitCode(listen)).isZero();
    assertThat(events).extracting(e -> e.get("channel").asText()).containsOnly("B");
    assertThat(events).extracting(e -> e.get("event").asText()).containsExactly("log", "numbers", "numbers");
    assertThat(events).extracting(e -> e.get("data").toString()).containsExactly("\"TESTE\"", "1", "{\"a\":2}");
    assertThat(events.get(0).get("from").asText()).startsWith("c-");
  }

  @Test
  void requestAndHandle() throws Exception {
    Process handle = start("bus", "handle", "A", "echo", "--node", endpoint, "-n", "1");
    assertThat(reader(handle.getErrorStream()).readLine()).startsWith("handling echo on A");
    Process request = start("bus", "request", "A", "echo", "{\"n\":1}", "--node", endpoint);
    assertThat(reader(request.getInputStream()).readLine()).isEqualTo("{\"n\":1}");
    assertThat(exitCode(request)).isZero();
    assertThat(exitCode(handle)).isZero();

    Process none = start("bus", "request", "A", "nobody", "1", "--node", endpoint, "--timeout", "2s");
    assertThat(exitCode(none)).isEqualTo(1);
    assertThat(reader(none.getErrorStream()).readLine()).contains("no handler for \"nobody\"");
  }

  @Test
  void ctlAnswersInJsonAndTheReplTakesNetclusterForms() throws Exception {
    Process stats = start("ctl", "--node", endpoint, "stats");
    JsonNode reply = JSON.readTree(stats.getInputStream());
    assertThat(exitCode(stats)).isZero();
    assertThat(reply.get("nodeId").asText()).startsWith("n-");
    assertThat(reply.get("channels").asInt()).isEqualTo(3);

    Process repl = start("ctl", "--node", endpoint);
    try (OutputStream in = repl.getOutputStream()) {
      in.write("showchannel(\"B\")\nfrob\nexit\n".getBytes(StandardCharsets.UTF_8));
    }
    String text = new String(repl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(exitCode(repl)).isZero();
    assertThat(text).contains("\"name\" : \"B\"").contains("error: unknown command \"frob\"");

    Process bad = start("ctl", "--node", endpoint, "showchannel", "nope");
    assertThat(exitCode(bad)).isEqualTo(1);
    assertThat(reader(bad.getErrorStream()).readLine()).contains("no channel \"nope\"");
  }

  @Test
  void badUsageAndMissingNodesSayWhy() throws Exception {
    Process badJson = start("bus", "emit", "A", "x", "{bad", "--node", endpoint);
    assertThat(exitCode(badJson)).isEqualTo(2);
    assertThat(reader(badJson.getErrorStream()).readLine()).contains("DATA_JSON: not JSON");

    Process unknown = start("bus", "emit", "Z", "x", "1", "--node", endpoint);
    assertThat(exitCode(unknown)).isEqualTo(1);
    assertThat(reader(unknown.getErrorStream()).readLine()).contains("no channel \"Z\"");

    Process noNode = start("bus", "listen", "A", "--node", "ipc://" + dir.resolve("absent.sock"));
    assertThat(exitCode(noNode)).isEqualTo(1);
    assertThat(reader(noNode.getErrorStream()).readLine()).contains("no node at");

    Process second = start("node", "--ipc", dir.resolve("node.sock").toString());
    assertThat(exitCode(second)).isEqualTo(2);
    assertThat(reader(second.getErrorStream()).readLine()).contains("a node is already running");

    Path config = dir.resolve("bad.json");
    Files.writeString(config, "{\"channels\": {\"A\": {\"propagatetochannels\": 42}}}");
    Process badConfig = start("node", "--config", config.toString(), "--ipc", dir.resolve("other.sock").toString());
    assertThat(exitCode(badConfig)).isEqualTo(2);
    assertThat(reader(badConfig.getErrorStream()).readLine())
        .contains(config + ": channels.A.propagatetochannels: expected a regular expression or false, got 42");
  }

  @Test
  void aListenerKilledMidStreamLeavesTheNodeAndTheOthersWell() throws Exception {
    Process doomed = start("bus", "listen", "A", "--node", endpoint);
    Process survivor = start("bus", "listen", "A", "--node", endpoint, "-n", "200", "--timeout", "15s");
    assertThat(reader(doomed.getErrorStream()).readLine()).startsWith("listening to A");
    assertThat(reader(survivor.getErrorStream()).readLine()).startsWith("listening to A");
    Process emit = start("bus", "emit", "A", "n", "--node", endpoint);
    BufferedReader doomedOut = reader(doomed.getInputStream());
    try (OutputStream in = emit.getOutputStream()) {
      for (int i = 0; i < 200; i++) {
        in.write((i + "\n").getBytes(StandardCharsets.UTF_8));
        if (i == 100) {
          in.flush();
          assertThat(doomedOut.readLine()).contains("\"data\":0");   // mid-stream: it has started receiving
          doomed.destroyForcibly();
        }
      }
    }
    assertThat(exitCode(emit)).isZero();
    List<String> lines = new ArrayList<>();
    BufferedReader out = reader(survivor.getInputStream());
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      lines.add(JSON.readTree(line).get("data").asText());
    }
    assertThat(exitCode(survivor)).isZero();
    assertThat(lines).hasSize(200).first().isEqualTo("0");
    assertThat(lines).last().isEqualTo("199");
    Process stats = start("ctl", "--node", endpoint, "stats");
    assertThat(JSON.readTree(stats.getInputStream()).get("eventsIn").asInt()).isEqualTo(200);
    assertThat(exitCode(stats)).isZero();
  }

  @Test
  void theNodeStopsCleanlyOnSigterm() throws Exception {
    node.destroy();
    assertThat(node.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    assertThat(dir.resolve("node.sock")).doesNotExist();
  }

  private Process start(String... args) throws IOException {
    return processes.start(args);
  }

  private static int exitCode(Process process) throws InterruptedException {
    return CliProcess.exitCode(process, WAIT);
  }

  private static BufferedReader reader(InputStream in) {
    return CliProcess.reader(in);
  }
}
