package io.switchboard.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.bus.mesh.PeerInfo;
import io.switchboard.bus.metrics.NodeMetrics;
import io.switchboard.testkit.Closer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bus nodes joined by the mesh, in one JVM, over loopback. */
class BusMeshTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  @AutoClose private final Closer closer = new Closer();

  /** Channel A goes to the network and copies its events to B on each node; C stays local. */
  private BusNode node(String id, String... peers) {
    MeshConfig mesh = MeshConfig.of("tcp://127.0.0.1:*", List.of(peers)).withId(id)
        .withHeartbeat(Duration.ofMillis(100), Duration.ofMillis(600));
    NodeConfig config = NodeConfig.builder()
        .channel(new ChannelConfig("A", Pattern.compile("^B$"), true, false))
        .channel(ChannelConfig.plain("B"))
        .channel(ChannelConfig.plain("C"))
        .ipc(dir.resolve(id + ".sock").toString())
        .mesh(mesh)
        .build();
    return closer.add(BusNode.start(config, line -> { }));
  }

  private BusClient client(BusNode node) {
    return closer.add(BusClient.connect(node.localEndpoint()));
  }

  /** A listener on {@code channel} that records each event's data (an int) and waits until its node is joined. */
  private List<Integer> listen(BusNode node, String channel) {
    List<Integer> got = new CopyOnWriteArrayList<>();
    BusChannel ch = client(node).join(channel);
    ch.on("n", e -> got.add(e.data(Integer.class)));
    ch.joined().orTimeout(10, TimeUnit.SECONDS).join();
    return got;
  }

  private static void awaitMesh(BusNode... nodes) {
    await().atMost(WAIT).untilAsserted(() -> {
      for (BusNode n : nodes) {
        assertThat(n.peers()).hasSize(nodes.length - 1)
            .allSatisfy(p -> assertThat(p.state()).isEqualTo(PeerInfo.State.CONNECTED));
      }
    });
  }

  /** Waits until {@code at} knows that {@code node} listens to {@code channel} (or handles {@code event} there). */
  private void awaitInterest(BusNode at, BusNode node, String field, String value) {
    BusClient ctl = client(at);
    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode peers = ctl.control(WAIT, "peers").join().get("peers");
      boolean seen = false;
      for (JsonNode p : peers) {
        if (p.get("id").asText().equals(node.id())) {
          for (JsonNode v : p.get(field)) {
            seen |= v.asText().equals(value);
          }
        }
      }
      assertThat(seen).as(at.id() + " sees " + node.id() + " " + field + " " + value).isTrue();
    });
  }

  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().toList();
  }

  private static void emit(BusNode node, BusClient client, int count) {
    BusChannel a = client.join("A");
    a.joined().orTimeout(10, TimeUnit.SECONDS).join();
    emit(a, count);
  }

  private static void emit(BusChannel a, int count) {
    for (int i = 0; i < count; i++) {
      assertThat(a.emit("n", i)).isTrue();
    }
  }

  @Test
  void eventsReachListenersOnEveryOtherNodeOnceAndInOrder() {
    BusNode n1 = node("n1");
    BusNode n2 = node("n2", n1.meshEndpoint());
    BusNode n3 = node("n3", n1.meshEndpoint());
    awaitMesh(n1, n2, n3);                              // n2 and n3 found each other through n1
    List<Integer> at1 = listen(n1, "A");
    List<Integer> at2 = listen(n2, "A");
    List<Integer> at3 = listen(n3, "A");
    List<Integer> copiedAt3 = listen(n3, "B");
    awaitInterest(n1, n2, "listensTo", "A");
    awaitInterest(n1, n3, "listensTo", "A");
    emit(n1, client(n1), 1000);
    await().atMost(WAIT).until(() -> at2.size() >= 1000 && at3.size() >= 1000 && copiedAt3.size() >= 1000
        && at1.size() >= 1000);
    assertThat(at1).isEqualTo(range(1000));
    assertThat(at2).isEqualTo(range(1000));
    assertThat(at3).isEqualTo(range(1000));
    assertThat(copiedAt3).isEqualTo(range(1000));
  }

  @Test
  void lineAndRingTopologiesDeliverEveryEventOnce() {
    // a line: n1 - n2 - n3 - n4; and a ring closing it: n4 - n1
    BusNode n1 = node("n1");
    BusNode n2 = node("n2", n1.meshEndpoint());
    BusNode n3 = node("n3", n2.meshEndpoint());
    BusNode n4 = node("n4", n3.meshEndpoint(), n1.meshEndpoint());
    awaitMesh(n1, n2, n3, n4);
    List<List<Integer>> got = new ArrayList<>();
    for (BusNode n : List.of(n2, n3, n4)) {
      got.add(listen(n, "A"));
      awaitInterest(n1, n, "listensTo", "A");
    }
    emit(n1, client(n1), 500);
    await().atMost(WAIT).until(() -> got.stream().allMatch(g -> g.size() >= 500));
    for (List<Integer> g : got) {
      assertThat(g).isEqualTo(range(500));
    }
  }

  @Test
  void eventsGoOnlyToNodesThatListenAndInterestFollowsLeavesAndDeadNodes() throws Exception {
    BusNode n1 = node("n1");
    BusNode n2 = node("n2", n1.meshEndpoint());
    BusNode n3 = node("n3", n1.meshEndpoint());
    awaitMesh(n1, n2, n3);
    BusClient listener2 = client(n2);
    List<Integer> at2 = new CopyOnWriteArrayList<>();
    BusChannel a2 = listener2.join("A");
    a2.on("n", e -> at2.add(e.data(Integer.class)));
    a2.joined().orTimeout(10, TimeUnit.SECONDS).join();
    BusClient emitter = client(n1);
    BusChannel a1 = emitter.join("A");
    a1.joined().orTimeout(10, TimeUnit.SECONDS).join();
    awaitInterest(n1, n2, "listensTo", "A");
    awaitInterest(n3, n1, "listensTo", "A");
    long toN3 = sentTo(n1, "n3");
    emit(a1, 100);
    await().atMost(WAIT).until(() -> at2.size() == 100);
    assertThat(sentTo(n1, "n3")).as("nothing to n3, which listens to nothing").isEqualTo(toN3);

    a2.leave();
    await().atMost(WAIT).until(() -> !interestOf(n1, "n2").contains("A"));
    long toN2 = sentTo(n1, "n2");
    emit(a1, 100);
    emitter.flush().get(10, TimeUnit.SECONDS);
    assertThat(sentTo(n1, "n2")).as("nothing to n2 after it left A").isEqualTo(toN2);

    List<Integer> at3 = listen(n3, "A");
    awaitInterest(n1, n3, "listensTo", "A");
    n3.close();
    await().atMost(WAIT).until(() -> interestOf(n1, "n3").isEmpty());
    emit(a1, 100);
    emitter.flush().get(10, TimeUnit.SECONDS);
    assertThat(n1.peers()).filteredOn(p -> p.id().equals("n3")).allSatisfy(p -> assertThat(p.queued()).isZero());
    assertThat(at3).isEmpty();
  }

  private static long sentTo(BusNode node, String id) {
    return node.peers().stream().filter(p -> p.id().equals(id)).mapToLong(PeerInfo::sent).sum();
  }

  private List<String> interestOf(BusNode at, String id) {
    JsonNode peers = client(at).control(WAIT, "peers").join().get("peers");
    List<String> out = new ArrayList<>();
    for (JsonNode p : peers) {
      if (p.get("id").asText().equals(id)) {
        p.get("listensTo").forEach(v -> out.add(v.asText()));
      }
    }
    return out;
  }

  @Test
  void requestsAreAnsweredOnceByOneHandlerInTheClusterLocalFirst() {
    BusNode n1 = node("n1");
    BusNode n2 = node("n2", n1.meshEndpoint());
    BusNode n3 = node("n3", n1.meshEndpoint());
    awaitMesh(n1, n2, n3);
    for (BusNode n : List.of(n2, n3)) {
      BusChannel h = client(n).join("C");
      h.handle("who", r -> Map.of("by", n.id(), "x", r.json().get("x"))).orTimeout(10, TimeUnit.SECONDS).join();
      awaitInterest(n1, n, "handles", "C who");
    }
    BusChannel requester = client(n1).join("C");
    requester.joined().orTimeout(10, TimeUnit.SECONDS).join();
    List<String> by = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      JsonNode reply = requester.request("who", Map.of("x", i), WAIT).join().json();
      assertThat(reply.get("x").asInt()).isEqualTo(i);
      by.add(reply.get("by").asText());
    }
    assertThat(by).contains("n2", "n3").containsOnly("n2", "n3");

    BusChannel local = client(n1).join("C");
    local.handle("who", r -> Map.of("by", "n1", "x", 0)).orTimeout(10, TimeUnit.SECONDS).join();
    for (int i = 0; i < 10; i++) {
      assertThat(requester.request("who", 1, WAIT).join().json().get("by").asText()).isEqualTo("n1");
    }
    assertThatThrownBy(() -> requester.request("nobody", 1, WAIT).join())
        .hasMessageContaining("no handler for \"nobody\"")
        .cause().extracting(e -> ((RequestFailedException) e).reason())
        .isEqualTo(RequestFailedException.Reason.NO_HANDLER);
  }

  /** A link cut under two nodes: they link again, tell each other again what they want, and events flow again. */
  @Test
  void interestIsToldAgainAfterALinkComesBack() throws Exception {
    BusNode n1 = node("n1");
    try (io.switchboard.bus.mesh.CuttableProxyAccess proxy =
        new io.switchboard.bus.mesh.CuttableProxyAccess(n1.meshEndpoint())) {
      BusNode n2 = node("n2", proxy.endpoint());
      awaitMesh(n1, n2);
      List<Integer> at1 = listen(n1, "A");
      awaitInterest(n2, n1, "listensTo", "A");
      BusChannel a2 = client(n2).join("A");
      a2.joined().orTimeout(10, TimeUnit.SECONDS).join();
      emit(a2, 10);
      await().atMost(WAIT).until(() -> at1.size() == 10);
      proxy.cut();
      await().atMost(WAIT).until(() -> n2.peers().get(0).reconnects() == 1
          && n2.peers().get(0).state() == PeerInfo.State.CONNECTED);
      awaitInterest(n2, n1, "listensTo", "A");
      emit(a2, 10);
      await().atMost(WAIT).until(() -> at1.size() == 20);
      assertThat(at1.subList(10, 20)).isEqualTo(range(10));
    }
  }

  @Test
  void ctlPeersListsEachPeer() {
    BusNode n1 = node("n1");
    BusNode n2 = node("n2", n1.meshEndpoint());
    awaitMesh(n1, n2);
    JsonNode body = client(n1).control(WAIT, "peers").join();
    assertThat(body.get("id").asText()).isEqualTo("n1");
    assertThat(body.get("endpoint").asText()).isEqualTo(n1.meshEndpoint());
    JsonNode p = body.get("peers").get(0);
    assertThat(p.get("id").asText()).isEqualTo("n2");
    assertThat(p.get("endpoint").asText()).isEqualTo(n2.meshEndpoint());
    assertThat(p.get("state").asText()).isEqualTo("connected");
    assertThat(p.has("sent") && p.has("received") && p.has("queued") && p.has("reconnects")).isTrue();
    await().atMost(WAIT).until(() -> client(n1).control(WAIT, "peers").join().get("peers").get(0)
        .path("roundTripMillis").asDouble(-1) > 0);
  }

  /** The mesh's meters: peers by state, and per peer its link, messages and heartbeat round trip. */
  @Test
  void meshMetersFollowPeersAndTheirLinks() throws Exception {
    BusNode n1 = node("n1");
    BusNode n2 = node("n2", n1.meshEndpoint());
    awaitMesh(n1, n2);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    NodeMetrics metrics = closer.add(new NodeMetrics(n2, Duration.ofMillis(50)));
    metrics.bindTo(registry);
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(registry.get("switchboard.mesh.peers").tag("state", "connected").gauge().value()).isEqualTo(1.0);
      assertThat(registry.get("switchboard.mesh.peer.connected").tag("peer", "n1").gauge().value()).isEqualTo(1.0);
      assertThat(registry.get("switchboard.mesh.peer.round.trip").tag("peer", "n1").gauge().value())
          .isPositive().isLessThan(1.0);
    });
    n1.close();
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(registry.get("switchboard.mesh.peer.connected").tag("peer", "n1").gauge().value()).isZero();
      assertThat(registry.get("switchboard.mesh.peers").tag("state", "reconnecting").gauge().value())
          .isEqualTo(1.0);
    });
  }
}
