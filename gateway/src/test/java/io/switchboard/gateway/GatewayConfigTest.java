package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayConfigTest {
  @TempDir Path dir;

  private Path file(String json) throws Exception {
    return Files.writeString(dir.resolve("routes.json"), json);
  }

  @Test
  void readsEveryKey() throws Exception {
    GatewayConfig c = GatewayConfig.load(file("""
        {"listen": "0.0.0.0:8080", "node": "tcp://127.0.0.1:7600", "channel": "svc", "timeoutMs": 2000,
         "getAttemptMs": 500, "statusTimeoutMs": 300, "maxBodySize": 4096, "retryAfterSeconds": 3, "ioThreads": 2,
         "services": ["audit"],
         "routes": [{"route": "GET /people/{id}", "service": "people", "cmd": "get"}]}
        """));
    assertThat(c.host()).isEqualTo("0.0.0.0");
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.node()).isEqualTo("tcp://127.0.0.1:7600");
    assertThat(c.channel()).isEqualTo("svc");
    assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.getAttempt()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.statusTimeout()).isEqualTo(Duration.ofMillis(300));
    assertThat(c.maxBodySize()).isEqualTo(4096);
    assertThat(c.retryAfterSeconds()).isEqualTo(3);
    assertThat(c.ioThreads()).isEqualTo(2);
    assertThat(c.services()).containsExactly("audit", "people");
    assertThat(c.routes()).containsExactly(Route.of("GET /people/{id}", "people", "get"));
  }

  @Test
  void anErrorNamesTheFileTheKeyAndWhatWasExpected() throws Exception {
    Path f = file("{\"timeoutMs\": \"soon\"}");
    assertThatThrownBy(() -> GatewayConfig.load(f))
        .isInstanceOf(GatewayException.class).hasMessage(f + ": timeoutMs: \"soon\" (expected: a whole number)");
    Path g = file("{\"routes\": [{\"route\": \"GET /a\", \"service\": \"a\", \"cmd\": \"x\"}, {\"route\": \"/b\"}]}");
    assertThatThrownBy(() -> GatewayConfig.load(g)).hasMessageStartingWith(g + ": routes[1]: ");
    Path h = file("{\"rutes\": []}");
    assertThatThrownBy(() -> GatewayConfig.load(h)).hasMessageStartingWith(h + ": rutes: unknown key (expected one of");
    Path i = file("{\"timeoutMs\": 0}");
    assertThatThrownBy(() -> GatewayConfig.load(i)).hasMessage(i + ": timeoutMs: PT0S (expected: more than zero)");
    Path j = file("{\"listen\": \"nowhere\"}");
    assertThatThrownBy(() -> GatewayConfig.load(j))
        .hasMessage(j + ": listen: \"nowhere\" (expected: HOST:PORT, as 127.0.0.1:5001)");
    Path k = file("{oops");
    assertThatThrownBy(() -> GatewayConfig.load(k)).hasMessageStartingWith(k + ": Unexpected character");
  }
}
