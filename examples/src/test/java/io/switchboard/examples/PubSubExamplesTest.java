package io.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PubSubExamplesTest {
  @Test
  void timeClientStartsFirstAndSurvivesAServerRestart() throws Exception {
    String endpoint;
    try (Running probe = Running.start("time-pubsub", "server", "--endpoint", "tcp://127.0.0.1:*")) {
      endpoint = probe.boundEndpoint(); // a port that was free: the client connects before any server is there
    }
    try (Running client = Running.start("time-pubsub", "client", "--endpoint", endpoint)) {
      try (Running server = Running.start("time-pubsub", "server", "--endpoint", endpoint, "--interval", "50ms")) {
        server.boundEndpoint();
        client.awaitLine("^\\{\"pid\":" + ProcessHandle.current().pid() + ",\"time\":\\d+}$");
      }
      int before = client.lines().size();
      try (Running server = Running.start("time-pubsub", "server", "--endpoint", endpoint, "--interval", "50ms")) {
        server.boundEndpoint();
        await().atMost(Running.DEADLINE).until(() -> client.lines().size() >= before + 3);
      }
      JsonNode last = Json.parse(client.lines().get(client.lines().size() - 1).getBytes(StandardCharsets.UTF_8));
      assertThat(last.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
      assertThat(last.get("time").asLong()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(
          60_000L));
    }
  }

  @Test
  void timeClientExitsAfterCount() throws Exception {
    try (Running server = Running.start("time-pubsub", "server", "--endpoint", "tcp://127.0.0.1:*",
        "--interval", "20ms")) {
      Running client = Running.run("time-pubsub", "client", "--endpoint", server.boundEndpoint(), "--count", "2");
      assertThat(client.awaitExit()).isZero();
      assertThat(client.lines()).hasSize(2).allMatch(line -> line.startsWith("{\"pid\":"));
    }
  }

  @Test
  void watcherSubscriberSeesTheFileChange(@TempDir Path dir) throws Exception {
    Path target = Files.writeString(dir.resolve("target.txt"), "one");
    Files.writeString(dir.resolve("other.txt"), "x");
    try (Running pub = Running.start("watcher-pub", target.toString(), "--endpoint", "tcp://127.0.0.1:*");
        Running sub = Running.start("watcher-sub", "--endpoint", pub.boundEndpoint())) {
      // a subscription takes a moment to reach the publisher: keep changing the file until one arrives
      await().atMost(Running.DEADLINE).pollInterval(Duration.ofMillis(200)).until(() -> {
        Files.writeString(target, "changed " + System.nanoTime());
        return sub.out().contains("File \"" + target + "\" changed at ");
      });
      assertThat(pub.out()).contains("Sending change notification for " + target);
      String line = sub.awaitLine("^File .* changed at (.*)$");
      assertThat(line).matches("\\w{3} \\w{3} \\d{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT[+-]\\d{4} \\(.+\\)");
    }
  }

  @Test
  void watcherPublisherIgnoresOtherFilesInTheDirectory(@TempDir Path dir) throws Exception {
    Path target = Files.writeString(dir.resolve("target.txt"), "one");
    Path other = Files.writeString(dir.resolve("other.txt"), "x");
    try (Running pub = Running.start("watcher-pub", target.toString(), "--endpoint", "tcp://127.0.0.1:*")) {
      pub.boundEndpoint();
      Files.writeString(other, "changed");
      Files.writeString(target, "changed"); // the barrier: once this is seen, the other change has been handled
      pub.awaitLine("Sending change notification");
      assertThat(pub.out()).doesNotContain("other.txt");
    }
  }

  @Test
  void watcherSubDescribesTheBooksMessage() {
    String line = WatcherSub.describe(
        "{\"type\":\"changed\",\"file\":\"target.txt\",\"timestamp\":0}".getBytes(StandardCharsets.UTF_8));
    assertThat(line).startsWith("File \"target.txt\" changed at ").contains(" 19").contains("GMT");
    assertThat(WatcherSub.describe("nope".getBytes(StandardCharsets.UTF_8))).contains("not JSON");
  }
}
