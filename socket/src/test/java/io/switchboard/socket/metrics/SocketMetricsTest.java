package io.switchboard.socket.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SocketMetricsTest {
  @Test
  void metersReadTheSocketsCountersAndGoAwayOnClose() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Context context = new Context()) {
      Socket pull = context.socket(SocketType.PULL);
      Socket push = context.socket(SocketType.PUSH);
      push.connect(pull.bind("inproc://metrics"));
      SocketMetrics metrics = new SocketMetrics(push, "feed");
      metrics.bindTo(registry);
      for (int i = 0; i < 3; i++) {
        push.send(Message.of("m"));
      }
      assertThat(registry.get("switchboard.socket.messages.sent").tag("socket", "feed").tag("type", "PUSH")
          .functionCounter().count()).isEqualTo(3.0);
      assertThat(registry.get("switchboard.socket.queued").tag("direction", "out").gauge().value()).isEqualTo(3.0);
      pull.receive(Duration.ofSeconds(5));
      assertThat(registry.get("switchboard.socket.queued").tag("direction", "out").gauge().value()).isEqualTo(2.0);
      assertThat(registry.getMeters()).hasSize(11);
      metrics.close();
      metrics.close();
      assertThat(registry.getMeters()).isEmpty();
    }
  }

  @Test
  void refusesAnEmptyName() {
    try (Context context = new Context(); Socket s = context.socket(SocketType.PUB)) {
      assertThatThrownBy(() -> new SocketMetrics(s, "")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("name");
    }
  }
}
