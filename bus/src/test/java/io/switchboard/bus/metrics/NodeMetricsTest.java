package io.switchboard.bus.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.bus.BusChannel;
import io.switchboard.bus.BusClient;
import io.switchboard.bus.BusNode;
import io.switchboard.bus.ChannelConfig;
import io.switchboard.bus.NodeConfig;
import io.switchboard.bus.NodeStatistics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BusNode#statistics()} and {@link NodeMetrics}, against a live node and clients. */
class NodeMetricsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;

  private BusNode start() {
    return BusNode.start(NodeConfig.defaults().toBuilder().ipc(dir.resolve("node.sock").toString()).build(),
        line -> { });
  }

  @Test
  void statisticsAndMetersFollowClientsAndEvents() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (BusNode node = start();
         NodeMetrics metrics = new NodeMetrics(node);
         BusClient listener = BusClient.builder().node(node.localEndpoint()).name("listener").build();
         BusClient emitter = BusClient.builder().node(node.localEndpoint()).name("emitter").build()) {
      metrics.bindTo(registry);
      CountDownLatch got = new CountDownLatch(3);
      BusChannel b = listener.join("B");
      b.on("tick", e -> got.countDown());
      b.joined().get(10, TimeUnit.SECONDS);
      BusChannel a = emitter.join("A");
      a.joined().get(10, TimeUnit.SECONDS);
      for (int i = 0; i < 3; i++) {
        a.emit("tick", i);
      }
      assertThat(got.await(10, TimeUnit.SECONDS)).isTrue();

      await().atMost(WAIT).untilAsserted(() -> {
        NodeStatistics s = node.statistics();
        assertThat(s.eventsIn()).isEqualTo(3);
        // A's members (the emitter itself) and B's, which A copies to.
        assertThat(s.eventsOut()).isEqualTo(6);
        assertThat(s.clients()).extracting(NodeStatistics.ClientStatistics::id)
            .containsExactlyInAnyOrder("listener", "emitter");
        assertThat(s.channels()).filteredOn(c -> c.name().equals("B")).singleElement()
            .satisfies(c -> assertThat(c.clients()).containsExactly("listener"));
        assertThat(registry.get("switchboard.node.events.in").functionCounter().count()).isEqualTo(3.0);
        assertThat(registry.get("switchboard.node.channel.events.in").tag("channel", "A").functionCounter().count())
            .isEqualTo(3.0);
        assertThat(registry.get("switchboard.node.channel.events.out").tag("channel", "B").functionCounter()
            .count()).isEqualTo(3.0);
        assertThat(registry.get("switchboard.node.clients").gauge().value()).isEqualTo(2.0);
        assertThat(registry.get("switchboard.socket.messages.received").tag("socket", "node")
            .tag("endpoint", node.localEndpoint()).functionCounter().count()).isGreaterThanOrEqualTo(3.0);
      });
      assertThat(registry.get("switchboard.node.info").tag("node", node.id()).gauge().value()).isEqualTo(1.0);
    }
    assertThat(registry.getMeters()).isEmpty();
  }

  @Test
  void channelMetersFollowReloads() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (BusNode node = start(); NodeMetrics metrics = new NodeMetrics(node, Duration.ofMillis(50))) {
      metrics.bindTo(registry);
      assertThat(registry.find("switchboard.node.channel.clients").tag("channel", "A").gauge()).isNotNull();
      node.reload(NodeConfig.builder().channel(ChannelConfig.plain("C")).build());
      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(registry.find("switchboard.node.channel.clients").tag("channel", "C").gauge()).isNotNull();
        assertThat(registry.find("switchboard.node.channel.clients").tag("channel", "A").gauge()).isNull();
      });
    }
  }

  @Test
  void refusesANonPositiveRefresh() {
    try (BusNode node = start()) {
      assertThatThrownBy(() -> new NodeMetrics(node, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("refresh");
    }
  }
}
