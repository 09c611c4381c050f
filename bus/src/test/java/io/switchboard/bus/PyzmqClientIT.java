package io.switchboard.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.switchboard.testkit.LibzmqLibrary;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client that is not Java: pyzmq (libzmq underneath), written from docs/protocol.md, against a real node. */
class PyzmqClientIT {
  @TempDir Path dir;

  @Test
  void aPythonClientJoinsEmitsRequestsAndAnswers() throws Exception {
    assumeTrue(LibzmqLibrary.isAvailable(), "no /usr/bin/python3 with pyzmq");
    NodeConfig config = NodeConfig.defaults().toBuilder().ipc(dir.resolve("node.sock").toString()).build();
    try (BusNode node = BusNode.start(config, line -> { });
         BusClient java = BusClient.connect(node.localEndpoint())) {
      BusChannel a = java.join("A");
      List<BusEvent> seen = new CopyOnWriteArrayList<>();
      a.on("seen", seen::add);
      a.handle("echo", request -> Map.of("java", request.json())).get(10, TimeUnit.SECONDS);
      a.joined().get(10, TimeUnit.SECONDS);

      Process python = new ProcessBuilder("/usr/bin/python3", "src/test/python/bus_client.py", node.localEndpoint())
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      try (BufferedReader out = new BufferedReader(new InputStreamReader(python.getInputStream(),
          StandardCharsets.UTF_8))) {
        assertThat(out.readLine()).isEqualTo("ready");
        BusEvent reply = a.request("py.echo", List.of(1, 2), Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS);
        assertThat(reply.json().toString()).isEqualTo("{\"py\":[1,2]}");

        a.emit("log", "TESTE");   // reaches the Python client on B through A's rule
        assertThat(out.readLine()).isEqualTo("event log from " + java.id() + ": TESTE");
        assertThat(out.readLine()).isEqualTo("reply r1: {\"java\":{\"from\":\"python\"}}");
        assertThat(python.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(python.exitValue()).isZero();
      } finally {
        python.destroyForcibly();
      }
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !seen.isEmpty());
      assertThat(seen.get(0).from()).isEqualTo("py-client");
      assertThat(seen.get(0).data(String.class)).isEqualTo("TESTE");
    }
  }
}
