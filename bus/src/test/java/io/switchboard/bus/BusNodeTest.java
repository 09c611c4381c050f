package io.switchboard.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;
import io.switchboard.testkit.Closer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BusNodeTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;
  @AutoClose private final Closer closer = new Closer();

  private BusNode node(NodeConfig config) {
    return closer.add(BusNode.start(config.toBuilder().ipc(dir.resolve("node.sock").toString()).build(), line -> { }));
  }

  private BusClient client(BusNode node) {
    return closer.add(BusClient.connect(node.localEndpoint()));
  }

  private static BusChannel joined(BusClient client, String channel) {
    BusChannel ch = client.join(channel);
    ch.joined().orTimeout(10, TimeUnit.SECONDS).join();
    return ch;
  }

  /** The seed's scenario: a sender on A, listeners on A and B, each getting every event once and in order. */
  @Test
  void seedScenarioDeliversEveryEventOnceInOrderOnBothChannels() {
    for (NodeConfig config : List.of(NodeConfig.defaults(),
        NodeConfig.load(Path.of("src/test/resources/seed/config.json")))) {
      BusNode node = node(config);
      List<String> onA = new CopyOnWriteArrayList<>();
      List<String> onB = new CopyOnWriteArrayList<>();
      joined(client(node), "A").on("log", e -> onA.add(e.data(String.class)));
      joined(client(node), "B").on("log", e -> onB.add(e.data(String.class)));
      BusChannel sender = joined(client(node), "A");
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        sent.add("TESTE " + i);
        sender.emit("log", "TESTE " + i);
      }
      await().atMost(WAIT).until(() -> onA.size() >= 200 && onB.size() >= 200);
      // a quiet period after the barrier: a duplicate would arrive within it
      sender.emit("log", "last");
      await().atMost(WAIT).until(() -> onA.contains("last") && onB.contains("last"));
      sent.add("last");
      assertThat(onA).containsExactlyElementsOf(sent);
      assertThat(onB).containsExactlyElementsOf(sent);
      node.close();
    }
  }

  @Test
  void eventsEmittedFromManyThreadsArriveOnceInEachThreadsOrder() throws Exception {
    BusNode node = node(NodeConfig.defaults());
    int threads = 4;
    int perThread = 5_000;
    // not a CopyOnWriteArrayList: 20,000 adds would copy it 20,000 times, seconds on a loaded machine
    Queue<int[]> got = new ConcurrentLinkedQueue<>();
    joined(client(node), "A").on("n", e -> got.add(e.data(int[].class)));
    BusClient sender = client(node);
    BusChannel a = joined(sender, "A");
    List<Thread> emitters = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread emitter = new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          assertThat(a.emit("n", new int[] {thread, i})).isTrue();
        }
      });
      emitter.start();
      emitters.add(emitter);
    }
    for (Thread t : emitters) {
      t.join(WAIT.toMillis());
    }
    sender.flush().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> got.size() >= threads * perThread);
    int[] next = new int[threads];
    for (int[] event : got) {
      assertThat(event[1]).as("thread %d's events in order", event[0]).isEqualTo(next[event[0]]++);
    }
    assertThat(next).containsOnly(perThread);
  }

  @Test
  void offRemovesExactlyThatListener() {
    BusNode node = node(NodeConfig.defaults());
    BusChannel a = joined(client(node), "A");
    List<String> got = new CopyOnWriteArrayList<>();
    EventListener first = e -> got.add("first");
    EventListener second = e -> got.add("second");
    EventListener third = e -> got.add("third");
    a.on("log", first).on("log", second).on("log", third);
    assertThat(a.off("log", first)).isTrue();
    assertThat(a.off("log", first)).isFalse();
    a.emit("log", 1);
    a.on("barrier", e -> got.add("barrier"));
    a.emit("barrier", 2);
    await().atMost(WAIT).until(() -> got.contains("barrier"));
    assertThat(got).containsExactly("second", "third", "barrier");
  }

  @Test
  void onceWildcardsAndRegexes() {
    BusNode node = node(NodeConfig.defaults());
    BusChannel a = joined(client(node), "A");
    List<String> got = new CopyOnWriteArrayList<>();
    a.once("order.*", e -> got.add("once:" + e.event()));
    a.on("order.>", e -> got.add("tail:" + e.event()));
    a.on("/^ord.*created$/", e -> got.add("regex:" + e.event()));
    a.on("last", e -> got.add("last"));
    a.emit("order.created", 1);
    a.emit("order.eu.created", 2);
    a.emit("other", 3);
    a.emit("last", 0);
    await().atMost(WAIT).until(() -> got.contains("last"));
    assertThat(got).containsExactly("once:order.created", "tail:order.created", "regex:order.created",
        "tail:order.eu.created", "regex:order.eu.created", "last");
  }

  @Test
  void requestsAreSharedByHandlersAndFailWithoutOne() {
    BusNode node = node(NodeConfig.defaults());
    BusChannel h1 = joined(client(node), "A");
    BusChannel h2 = joined(client(node), "A");
    h1.handle("echo", r -> Map.of("by", "h1", "x", r.json().get("x"))).orTimeout(10, TimeUnit.SECONDS).join();
    h2.handle("echo", r -> Map.of("by", "h2", "x", r.json().get("x"))).orTimeout(10, TimeUnit.SECONDS).join();
    BusChannel requester = joined(client(node), "A");
    List<String> by = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      JsonNode reply = requester.request("echo", Map.of("x", i), WAIT).join().json();
      assertThat(reply.get("x").asInt()).isEqualTo(i);
      by.add(reply.get("by").asText());
    }
    assertThat(by).contains("h1", "h2");
    assertThatThrownBy(() -> requester.request("nobody", 1, WAIT).join())
        .isInstanceOf(CompletionException.class).hasCauseInstanceOf(RequestFailedException.class)
        .hasMessageContaining("no handler for \"nobody\"")
        .cause().extracting(e -> ((RequestFailedException) e).reason())
        .isEqualTo(RequestFailedException.Reason.NO_HANDLER);
    h1.handle("boom", r -> {
      throw new IllegalStateException("it broke");
    }).join();
    assertThatThrownBy(() -> requester.request("boom", 1, WAIT).join()).hasMessageContaining("it broke")
        .cause().extracting(e -> ((RequestFailedException) e).reason())
        .isEqualTo(RequestFailedException.Reason.HANDLER_FAILED);
  }

  @Test
  void aRequestNobodyAnswersTimesOutWithTheReason() {
    BusNode node = node(NodeConfig.defaults());
    try (Context context = new Context(); Socket silent = context.socket(SocketType.DEALER)) {
      silent.connect(node.localEndpoint());
      silent.send(Message.of("HANDLE\0A\0slow"));
      assertThat(silent.receive(WAIT).firstString()).isEqualTo("HANDLING\0A\0slow");   // and never answers
      BusChannel a = joined(client(node), "A");
      assertThatThrownBy(() -> a.request("slow", 1, Duration.ofMillis(300)).join())
          .hasCauseInstanceOf(RequestFailedException.class)
          .hasMessageContaining("no reply to request \"slow\" on channel \"A\" within 300 ms")
          .cause().extracting(e -> ((RequestFailedException) e).reason())
          .isEqualTo(RequestFailedException.Reason.TIMEOUT);
      assertThat(silent.receive(WAIT).firstString()).startsWith("REQUEST\0A\0slow\0json\0");
    }
  }

  @Test
  void joiningAnUnknownChannelFails() {
    BusNode node = node(NodeConfig.defaults());
    BusChannel nope = client(node).join("nope");
    assertThatThrownBy(() -> nope.joined().orTimeout(10, TimeUnit.SECONDS).join())
        .hasMessageContaining("no channel \"nope\"");
  }

  @Test
  void reloadChangesRulesOfLiveChannelsAndClosesDroppedOnes() throws Exception {
    BusNode node = node(NodeConfig.defaults());
    BusClient client = client(node);
    List<String> onB = new CopyOnWriteArrayList<>();
    joined(client, "B").on("log", e -> onB.add(e.data(String.class)));
    BusChannel a = joined(client(node), "A");
    a.emit("log", "before");
    await().atMost(WAIT).until(() -> onB.contains("before"));

    Path config = dir.resolve("next.json");
    Files.writeString(config, "{\"channels\": {\"A\": {\"propagateToChannels\": false}, \"B\": {}, \"C\": {}}}");
    JsonNode reply = client.control(WAIT, "reloadconfig", config.toString()).join();
    assertThat(reply.get("removed").toString()).contains("control");
    assertThat(reply.get("changed").toString()).contains("A", "B");
    assertThat(reply.get("added").toString()).contains("C");
    a.emit("log", "after");
    BusChannel b2 = joined(client(node), "B");
    b2.emit("log", "direct");
    await().atMost(WAIT).until(() -> onB.contains("direct"));
    assertThat(onB).containsExactly("before", "direct");

    BusChannel c = joined(client, "C");
    Files.writeString(config, "{\"channels\": {\"A\": {}, \"B\": {}}}");
    client.control(WAIT, "reloadconfig", config.toString()).join();
    assertThat(c.closed().get(10, TimeUnit.SECONDS)).contains("removed");

    Files.writeString(config, "{\"channels\": {\"A\": {\"trace\": \"yes\"}}}");
    assertThatThrownBy(() -> client.control(WAIT, "reloadconfig", config.toString()).join())
        .hasMessageContaining("channels.A.trace").hasMessageContaining("expected true or false");
    assertThat(node.config().channels()).containsOnlyKeys("A", "B");
  }

  @Test
  void malformedMessagesGetAnErrorAndChangeNothing() {
    BusNode node = node(NodeConfig.defaults());
    List<String> onA = new CopyOnWriteArrayList<>();
    joined(client(node), "A").on("log", e -> onA.add(e.data(String.class)));
    try (Context context = new Context(); Socket raw = context.socket(SocketType.DEALER)) {
      raw.connect(node.localEndpoint());
      raw.send(Message.of("FROB", "x"));
      assertThat(raw.receive(WAIT).join(" ")).startsWith("ERROR\0?").contains("unknown verb");
      raw.send(Message.of("EMIT\0A\0log"));
      assertThat(raw.receive(WAIT).join(" ")).contains("malformed EMIT (expected: EMIT channel event format | data …)");
      raw.send(Message.of("EMIT\0A\0log\0json", "\"first of a batch\"", "EMIT\0A\0log\0json", "\"second\"",
          "EMIT\0A\0log", "\"bad pair\"", "EMIT\0A\0log\0json", "\"after the bad pair\""));
      assertThat(raw.receive(WAIT).join(" ")).contains("malformed EMIT");
      raw.send(Message.of("EMIT\0Z\0log\0json", "1"));
      assertThat(raw.receive(WAIT).join(" ")).contains("no channel \"Z\"");
      raw.send(Message.of("REPLY\0001\0json", "", "1"));
      assertThat(raw.receive(WAIT).join(" ")).contains("malformed route");
      raw.send(Message.of("EMIT\0A\0log\0json", "\"still fine\""));
    }
    await().atMost(WAIT).until(() -> onA.contains("still fine"));
    assertThat(onA).containsExactly("first of a batch", "second", "still fine");
  }

  /**
   * A run of one header: a client may send it once and then empty header frames, and a client that says version 2 in
   * HELLO gets its runs the same way; one that says 1 (or nothing) gets every header whole.
   */
  @Test
  void aRunOfOneHeaderTravelsOnceToClientsThatSayVersion2() {
    BusNode node = node(NodeConfig.defaults());
    List<String> onA = new CopyOnWriteArrayList<>();
    joined(client(node), "A").on("log", e -> onA.add(e.data(String.class)));
    try (Context context = new Context(); Socket old = context.socket(SocketType.DEALER);
        Socket compact = context.socket(SocketType.DEALER);
        Socket sender = context.socket(SocketType.DEALER)) {
      for (var client : List.of(Map.entry(old, "1"), Map.entry(compact, "2"))) {
        client.getKey().connect(node.localEndpoint());
        client.getKey().send(Message.of("HELLO\0raw-" + client.getValue() + "\0" + client.getValue()));
        assertThat(client.getKey().receive(WAIT).firstString()).startsWith("WELCOME\0");
        client.getKey().send(Message.of("JOIN\0A"));
        assertThat(client.getKey().receive(WAIT).firstString()).isEqualTo("JOINED\0A");
      }
      sender.connect(node.localEndpoint());
      sender.send(Message.of("HELLO\0sender\0" + "2"));
      assertThat(sender.receive(WAIT).firstString()).startsWith("WELCOME\0");
      // one header, two empty ones for the same, then another event: four events in one message
      sender.send(Message.of("EMIT\0A\0log\0json", "\"1\"", "", "\"2\"", "", "\"3\"", "EMIT\0A\0tick\0json", "4"));

      List<String> oldFrames = framesOfEvents(old, 4);
      assertThat(oldFrames).containsExactly("EVENT\0A\0log\0json\0sender", "\"1\"", "EVENT\0A\0log\0json\0sender",
          "\"2\"", "EVENT\0A\0log\0json\0sender", "\"3\"", "EVENT\0A\0tick\0json\0sender", "4");
      List<String> compactFrames = framesOfEvents(compact, 4);
      assertThat(compactFrames).containsExactly("EVENT\0A\0log\0json\0sender", "\"1\"", "", "\"2\"", "", "\"3\"",
          "EVENT\0A\0tick\0json\0sender", "4");
    }
    await().atMost(WAIT).until(() -> onA.size() == 3);
    assertThat(onA).containsExactly("1", "2", "3");
  }

  /** The frames of the EVENT messages a raw client receives until it has {@code events} events. */
  private static List<String> framesOfEvents(Socket raw, int events) {
    List<String> frames = new ArrayList<>();
    while (frames.size() < 2 * events) {
      Message m = raw.receive(WAIT);
      assertThat(m).as("EVENT messages").isNotNull();
      for (int i = 0; i < m.size(); i++) {
        frames.add(m.frameString(i));
      }
    }
    return frames;
  }

  @Test
  void aClientKilledMidStreamLeavesTheOthersWell() {
    BusNode node = node(NodeConfig.defaults());
    BusChannel survivor = joined(client(node), "A");
    List<Integer> got = new CopyOnWriteArrayList<>();
    survivor.on("n", e -> got.add(e.data(Integer.class)));
    BusClient doomed = BusClient.connect(node.localEndpoint());
    joined(doomed, "A").on("n", e -> { });
    BusChannel sender = joined(client(node), "A");
    for (int i = 0; i < 500; i++) {
      sender.emit("n", i);
      if (i == 250) {
        doomed.close();
      }
    }
    await().atMost(WAIT).until(() -> got.size() == 500);
    assertThat(got).isSorted();
    BusClient admin = client(node);
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(admin.control(WAIT, "showchannel", "A").join().get("clients")).hasSize(2));
  }

  @Test
  void aStoppedClientNeverStallsTheOthers() {
    stoppedClientNeverStallsTheOthers(NodeConfig.defaults().toBuilder().clientQueue(100).build());
  }

  /** 20 MB for the stopped client would fit in its queue of a million messages: its limit in octets drops them. */
  @Test
  void aStoppedClientsQueueIsBoundedInOctetsToo() {
    stoppedClientNeverStallsTheOthers(NodeConfig.defaults().toBuilder().clientQueue(1_000_000)
        .clientQueueBytes(256 * 1024).build());
  }

  private void stoppedClientNeverStallsTheOthers(NodeConfig config) {
    BusNode node = node(config);
    List<Integer> got = new CopyOnWriteArrayList<>();
    joined(client(node), "A").on("n", e -> got.add(e.json().get("n").asInt()));
    BusClient admin = client(node);
    // 20 MB in all: more than the node's write buffer (4 MB) and the kernel's socket buffers hold for the stuck one
    String padding = "x".repeat(2000);
    try (Context context = new Context();
         Socket stuck = context.socket(SocketType.DEALER, SocketOptions.builder().identity("stuck".getBytes())
             .receiveHighWaterMark(10).build())) {
      stuck.connect(node.localEndpoint());
      stuck.send(Message.of("JOIN\0A"));
      assertThat(stuck.receive(WAIT).firstString()).isEqualTo("JOINED\0A");   // and never reads again
      BusChannel sender = joined(client(node), "A");
      for (int batch = 0; batch < 100; batch++) {
        for (int i = 0; i < 100; i++) {
          sender.emit("n", Map.of("n", batch * 100 + i, "padding", padding));
        }
        int expected = (batch + 1) * 100;
        await().atMost(WAIT).until(() -> got.size() >= expected);
      }
      assertThat(got).hasSize(10_000).isSorted();
      JsonNode stuckClient = admin.control(WAIT, "showclient", "A", "stuck").join();
      assertThat(stuckClient.get("dropped").asLong()).isPositive();
      assertThat(admin.control(WAIT, "stats").join().get("dropped").asLong())
          .isEqualTo(stuckClient.get("dropped").asLong());
    }
  }

  @Test
  void clientsComeBackAfterTheNodeRestarts() {
    NodeConfig config = NodeConfig.defaults().toBuilder().ipc(dir.resolve("node.sock").toString()).build();
    BusNode first = BusNode.start(config, line -> { });
    BusClient listener = client(first);
    List<String> got = new CopyOnWriteArrayList<>();
    joined(listener, "B").on("log", e -> got.add(e.data(String.class)));
    BusClient sender = client(first);
    BusChannel a = joined(sender, "A");
    a.emit("log", "one");
    await().atMost(WAIT).until(() -> got.contains("one"));
    first.close();
    BusNode second = closer.add(BusNode.start(config, line -> { }));
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
      a.emit("log", "two");
      return got.contains("two");
    });
    assertThat(listener.nodeId()).isEqualTo(second.id());
  }

  @Test
  void aSecondNodeOnTheSamePathIsRefused() {
    BusNode node = node(NodeConfig.defaults());
    assertThatThrownBy(() -> BusNode.start(NodeConfig.defaults().toBuilder()
        .ipc(dir.resolve("node.sock").toString()).build()))
        .isInstanceOf(BusException.class).hasMessageContaining("already running");
    assertThat(dir.resolve("node.sock")).as("the running node's socket stays").exists();
    joined(client(node), "A");
  }

  @Test
  void dataFormatsRoundTrip() {
    BusNode node = node(NodeConfig.defaults());
    BusClient packed = closer.add(BusClient.builder().node(node.localEndpoint()).format(DataFormat.MSGPACK).build());
    BusChannel listener = joined(client(node), "A");
    List<BusEvent> got = new CopyOnWriteArrayList<>();
    listener.on(">", got::add);
    joined(packed, "A").emit("m", Map.of("k", List.of(1, 2)));
    joined(client(node), "A").emitEncoded("b", DataFormat.BYTES, new byte[] {0, 1, 2});
    await().atMost(WAIT).until(() -> got.size() == 2);
    assertThat(got.get(0).format()).isEqualTo("msgpack");
    assertThat(got.get(0).json().toString()).isEqualTo("{\"k\":[1,2]}");
    assertThat(got.get(1).data(byte[].class)).containsExactly(0, 1, 2);
  }

  @Test
  void controlOverTcpNeedsTheToken() {
    BusNode node = node(NodeConfig.defaults().toBuilder().listen("tcp://127.0.0.1:*").controlToken("s3cret").build());
    String tcp = node.endpoints().get(1);
    BusClient anonymous = client(BusClient.builder().node(tcp));
    assertThatThrownBy(() -> anonymous.control(WAIT, "stats").join()).hasMessageContaining("wrong control token");
    BusClient admin = client(BusClient.builder().node(tcp).controlToken("s3cret"));
    JsonNode stats = admin.control(WAIT, "stats").join();
    assertThat(stats.get("nodeId").asText()).isEqualTo(node.id());
    JsonNode channels = client(node).control(WAIT, "channels").join();
    assertThat(channels.get("channels").findValuesAsText("name")).containsExactly("control", "A", "B");
  }

  private BusClient client(BusClient.Builder builder) {
    return closer.add(builder.build());
  }
}
