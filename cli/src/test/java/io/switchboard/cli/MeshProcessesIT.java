package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Three {@code switchboard node} processes on loopback joined into one bus, driven by {@code bus} and {@code ctl}. */
class MeshProcessesIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  /** Each look at a node's peers is a ctl process of its own, which takes seconds on a busy machine. */
  private static final Duration MESH_WAIT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  @AutoClose private final CliProcesses processes = new CliProcesses();

  /** A node process; returns its ipc and mesh endpoints. */
  private String[] node(String id, String... peers) throws IOException {
    Path config = dir.resolve("config.json");
    if (!Files.exists(config)) {
      Files.writeString(config, "{\"channels\": {\"A\": {\"propagateToNet\": true}}}");
    }
    List<String> args = new ArrayList<>(List.of("node", "--config", config.toString(), "--ipc",
        dir.resolve(id + ".sock").toString(), "--id", id, "--mesh-listen", "tcp://127.0.0.1:*"));
    for (String p : peers) {
      args.addAll(List.of("--peer", p));
    }
    Process node = start(args.toArray(new String[0]));
    BufferedReader out = CliProcess.reader(node.getInputStream());
    String first = out.readLine();
    assertThat(first).startsWith("switchboard node " + id + " listening on ipc://");
    String mesh = out.readLine();
    assertThat(mesh).startsWith("mesh: tcp://127.0.0.1:");
    return new String[] {"ipc://" + dir.resolve(id + ".sock"), mesh.split(" ")[1]};
  }

  private JsonNode ctl(String node, String... words) throws Exception {
    List<String> args = new ArrayList<>(List.of("ctl", "--node", node));
    args.addAll(List.of(words));
    Process p = start(args.toArray(new String[0]));
    JsonNode reply = JSON.readTree(p.getInputStream());
    assertThat(CliProcess.exitCode(p, WAIT)).isZero();
    return reply;
  }

  private static boolean sees(JsonNode peers, String peerId, String field, String value) {
    for (JsonNode p : peers.get("peers")) {
      if (p.get("id").asText().equals(peerId) && p.get("state").asText().equals("connected")) {
        for (JsonNode v : p.get(field)) {
          if (v.asText().equals(value)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)   // seven JVMs and a ctl process per look
  void eventsAndRequestsCrossNodeProcesses() throws Exception {
    String[] n1 = node("n1");
    String[] n2 = node("n2", n1[1]);
    String[] n3 = node("n3", n1[1]);
    Process listen2 = start("bus", "listen", "A", "--node", n2[0], "-n", "2", "--timeout", "30s");
    Process listen3 = start("bus", "listen", "A", "--node", n3[0], "-n", "2", "--timeout", "30s");
    Process handle = start("bus", "handle", "A", "echo", "--node", n3[0], "-n", "1");
    await().atMost(MESH_WAIT).until(() -> {
      JsonNode peers = ctl(n1[0], "peers");
      return sees(peers, "n2", "listensTo", "A") && sees(peers, "n3", "listensTo", "A")
          && sees(peers, "n3", "handles", "A echo");
    });
    JsonNode peers = ctl(n2[0], "peers");
    assertThat(peers.get("peers")).extracting(p -> p.get("id").asText()).containsExactly("n1", "n3");

    assertThat(CliProcess.exitCode(start("bus", "emit", "A", "log", "\"one\"", "--node", n1[0]), WAIT)).isZero();
    assertThat(CliProcess.exitCode(start("bus", "emit", "A", "log", "\"two\"", "--node", n1[0]), WAIT)).isZero();
    for (Process listener : List.of(listen2, listen3)) {
      BufferedReader out = CliProcess.reader(listener.getInputStream());
      assertThat(JSON.readTree(out.readLine()).get("data").asText()).isEqualTo("one");
      assertThat(JSON.readTree(out.readLine()).get("data").asText()).isEqualTo("two");
      assertThat(CliProcess.exitCode(listener, WAIT)).isZero();
    }

    Process request = start("bus", "request", "A", "echo", "{\"n\":1}", "--node", n1[0]);
    assertThat(CliProcess.reader(request.getInputStream()).readLine()).isEqualTo("{\"n\":1}");
    assertThat(CliProcess.exitCode(request, WAIT)).isZero();
    assertThat(CliProcess.exitCode(handle, WAIT)).isZero();
  }

  private Process start(String... args) throws IOException {
    return processes.start(args);
  }
}
