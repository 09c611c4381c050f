package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code switchboard node --http} and its logging options: the node prints its dashboard's URL and serves /metrics
 * there; {@code --log-format json --log-level ...} gives JSON lines on standard error at the level asked.
 */
class NodeObservabilityIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  @AutoClose private final CliProcesses processes = new CliProcesses();

  private Process start(String... args) throws IOException {
    return processes.start(args);
  }

  @Test
  void printsTheDashboardUrlAndServesMetricsThere() throws Exception {
    Process node = start("node", "--ipc", dir.resolve("node.sock").toString(), "--http", "127.0.0.1:0");
    BufferedReader out = CliProcess.reader(node.getInputStream());
    String first = out.readLine();
    assertThat(first).startsWith("switchboard node n-");
    String id = first.split(" ")[2];
    String url = null;
    for (String line = out.readLine(); line != null && url == null; line = out.readLine()) {
      if (line.startsWith("dashboard: ")) {
        url = line.substring("dashboard: ".length(), line.indexOf(' ', "dashboard: ".length()));
      }
    }
    assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+/");
    HttpResponse<String> metrics = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(url + "metrics")).timeout(WAIT).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("switchboard_node_info{node=\"" + id + "\"} 1");
  }

  @Test
  void theDashboardOfANodeInAMeshShowsItsPeers() throws Exception {
    Process first = start("node", "--ipc", dir.resolve("m1.sock").toString(), "--id", "m1",
        "--mesh-listen", "tcp://127.0.0.1:*", "--http", "127.0.0.1:0");
    BufferedReader out = CliProcess.reader(first.getInputStream());
    String mesh = null;
    String url = null;
    for (String line = out.readLine(); line != null && url == null; line = out.readLine()) {
      if (line.startsWith("mesh: ")) {
        mesh = line.split(" ")[1];
      } else if (line.startsWith("dashboard: ")) {
        url = line.split(" ")[1];
      }
    }
    assertThat(mesh).as("the mesh endpoint the node printed").startsWith("tcp://127.0.0.1:");
    start("node", "--ipc", dir.resolve("m2.sock").toString(), "--id", "m2", "--mesh-listen", "tcp://127.0.0.1:*",
        "--peer", mesh);
    URI state = URI.create(url + "api/state");
    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode page = JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(state).timeout(WAIT)
          .build(), HttpResponse.BodyHandlers.ofString()).body());
      assertThat(page.at("/sections/mesh/self").asText()).isEqualTo("m1");
      assertThat(page.at("/sections/mesh/peers/0/id").asText()).isEqualTo("m2");
      assertThat(page.at("/sections/mesh/peers/0/state").asText()).isEqualTo("connected");
      assertThat(page.at("/sections/mesh/peers/0/rttMillis").asDouble(-1)).isPositive();
    });
  }

  @Test
  void aMalformedAddressIsAUsageError() throws Exception {
    Process node = start("node", "--ipc", dir.resolve("node.sock").toString(), "--http", "localhost:http");
    assertThat(CliProcess.exitCode(node, WAIT)).isEqualTo(2);
    assertThat(CliProcess.reader(node.getErrorStream()).readLine())
        .contains("--http: localhost:http (expected: [HOST:]PORT");
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
