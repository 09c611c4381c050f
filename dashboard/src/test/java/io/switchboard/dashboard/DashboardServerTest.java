package io.switchboard.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.bus.BusChannel;
import io.switchboard.bus.BusClient;
import io.switchboard.bus.BusNode;
import io.switchboard.bus.NodeConfig;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's HTTP API against a live node, over real HTTP. */
class DashboardServerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private BusNode node;
  private DashboardServer server;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();

  @BeforeEach
  void start() {
    node = BusNode.start(NodeConfig.defaults().toBuilder().ipc(dir.resolve("node.sock").toString()).build(),
        line -> { });
    server = DashboardServer.builder().node(node).section("extra", () -> Map.of("answer", 42))
        .updateInterval(Duration.ofMillis(200)).maxStreams(2).start();
  }

  @AfterEach
  void stop() {
    server.close();
    server.close();
    node.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(server.url()).resolve(path)).timeout(WAIT).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesPrometheusTextWithTheNodeAndJvmMeters() throws Exception {
    HttpResponse<String> r = get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    assertThat(r.body())
        .contains("switchboard_node_info{node=\"" + node.id() + "\"} 1")
        .contains("switchboard_node_events_in_total ")
        .contains("switchboard_node_channel_clients{channel=\"A\"}")
        .contains("switchboard_socket_messages_received_total{endpoint=\"" + node.localEndpoint() + "\"")
        .contains("switchboard_socket_sent_bytes_total")
        .contains("jvm_memory_used_bytes");
  }

  @Test
  void servesOpenMetricsWhenAsked() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "metrics"))
        .header("Accept", "application/openmetrics-text; version=1.0.0").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("application/openmetrics-text");
    assertThat(r.body()).endsWith("# EOF\n");
  }

  @Test
  void servesThePageAndItsAssetsFromTheJarUnderAStrictPolicy() throws Exception {
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<script src=\"/assets/app.js\"").doesNotContain("https://");
    assertThat(page.headers().firstValue("content-security-policy").orElse("")).contains("default-src 'self'");
    for (String asset : new String[] {"app.js", "app.css", "favicon.svg"}) {
      HttpResponse<String> a = get("/assets/" + asset);
      assertThat(a.statusCode()).as(asset).isEqualTo(200);
      assertThat(a.body()).as(asset).doesNotContain("https://cdn");
    }
    assertThat(get("/assets/../DashboardCore.class").statusCode()).isEqualTo(404);
    assertThat(get("/nothing").statusCode()).isEqualTo(404);
  }

  @Test
  void refusesOtherMethods() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "metrics"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("allow")).hasValue("GET, HEAD");
  }

  @Test
  void stateHasEverySectionAndFollowsTheNode() throws Exception {
    JsonNode state = JSON.readTree(get("/api/state").body());
    assertThat(state.path("sections").path("node").path("id").asText()).isEqualTo(node.id());
    assertThat(state.path("sections").path("extra").path("answer").asInt()).isEqualTo(42);
    try (BusClient client = BusClient.builder().node(node.localEndpoint()).name("watcher").build()) {
      client.join("B").joined().get(10, TimeUnit.SECONDS);
      await().atMost(WAIT).untilAsserted(() -> {
        JsonNode s = JSON.readTree(get("/api/state").body());
        assertThat(s.path("sections").path("node").path("clients").findValuesAsText("id")).contains("watcher");
      });
    }
  }

  @Test
  void streamsStatesAndRefusesStreamsPastTheLimit() throws Exception {
    HttpRequest events = HttpRequest.newBuilder(URI.create(server.url() + "api/events")).build();
    HttpResponse<InputStream> first = http.send(events, HttpResponse.BodyHandlers.ofInputStream());
    HttpResponse<InputStream> second = http.send(events, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream a = first.body(); InputStream b = second.body()) {
      assertThat(b).isNotNull();
      assertThat(first.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
      BufferedReader lines = new BufferedReader(new InputStreamReader(a, StandardCharsets.UTF_8));
      assertThat(nextData(lines, "state")).contains(node.id());
      assertThat(nextData(lines, "state")).contains("\"sections\"");
      HttpResponse<String> third = http.send(events, HttpResponse.BodyHandlers.ofString());
      assertThat(third.statusCode()).isEqualTo(503);
      assertThat(third.body()).contains("too many open streams");
    }
  }

  @Test
  void tailsAChannelsEvents() throws Exception {
    HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "api/tail?channel=A"))
        .build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = r.body();
         BusClient emitter = BusClient.builder().node(node.localEndpoint()).name("emitter").build()) {
      BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      assertThat(nextData(lines, "joined")).contains("\"A\"");
      BusChannel a = emitter.join("A");
      a.joined().get(10, TimeUnit.SECONDS);
      a.emit("greeting", Map.of("text", "hello"));
      JsonNode event = JSON.readTree(nextData(lines, "event"));
      assertThat(event.path("event").asText()).isEqualTo("greeting");
      assertThat(event.path("from").asText()).isEqualTo("emitter");
      assertThat(event.path("preview").asText()).isEqualTo("{\"text\":\"hello\"}");
    }
  }

  @Test
  void tailOfAnUnknownChannelSaysWhy() throws Exception {
    HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(server.url()
        + "api/tail?channel=nope")).build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = r.body()) {
      BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      assertThat(nextData(lines, "failed")).contains("nope");
    }
    assertThat(get("/api/tail").statusCode()).isEqualTo(400);
  }

  @Test
  void builderRefusesBadOptionsAndATakenPort() {
    assertThatThrownBy(() -> DashboardServer.builder().bind("127.0.0.1", 70000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port: 70000");
    assertThatThrownBy(() -> DashboardServer.builder().section("Bad Name", Map::of))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("section name");
    assertThatThrownBy(() -> DashboardServer.builder().updateInterval(Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("updateInterval");
    int taken = server.address().getPort();
    assertThatThrownBy(() -> DashboardServer.builder().bind("127.0.0.1", taken).jvmMetrics(false).start())
        .isInstanceOf(DashboardException.class).hasMessageContaining("127.0.0.1:" + taken);
  }

  /** Reads server-sent events until one named {@code name}, and returns its data. */
  private static String nextData(BufferedReader lines, String name) throws Exception {
    String event = null;
    for (String line; (line = lines.readLine()) != null; ) {
      if (line.startsWith("event: ")) {
        event = line.substring(7);
      } else if (line.startsWith("data: ") && name.equals(event)) {
        return line.substring(6);
      }
    }
    throw new AssertionError("stream ended before an event named " + name);
  }
}
