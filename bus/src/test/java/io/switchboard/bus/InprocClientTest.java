package io.switchboard.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.testkit.Closer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client connected in process to a node in the same JVM ({@link BusClient.Builder#node(BusNode)}). */
class InprocClientTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;
  @AutoClose private final Closer closer = new Closer();

  private BusNode node(String name) {
    return closer.add(BusNode.start(NodeConfig.defaults().toBuilder().ipc(dir.resolve(name).toString()).build(),
        line -> { }));
  }

  private BusClient inproc(BusNode node) {
    return closer.add(BusClient.builder().node(node).build());
  }

  private BusClient ipc(BusNode node) {
    return closer.add(BusClient.connect(node.localEndpoint()));
  }

  private static BusChannel joined(BusClient client, String channel) {
    BusChannel ch = client.join(channel);
    ch.joined().orTimeout(10, TimeUnit.SECONDS).join();
    return ch;
  }

  @Test
  void eventsFlowBothWaysBetweenAnInprocAndAnIpcClientInOrder() {
    BusNode node = node("node.sock");
    BusClient local = inproc(node);
    BusClient remote = ipc(node);
    Queue<Integer> atLocal = new ConcurrentLinkedQueue<>();
    Queue<Integer> atRemote = new ConcurrentLinkedQueue<>();
    joined(local, "A").on("n", e -> atLocal.add(e.data(Integer.class)));
    joined(remote, "A").on("n", e -> atRemote.add(e.data(Integer.class)));
    int n = 20_000;
    BusChannel fromLocal = local.join("A");
    BusChannel fromRemote = remote.join("A");
    for (int i = 0; i < n; i++) {
      fromLocal.emit("n", i);
      fromRemote.emit("n", n + i);
    }
    // each listener gets both senders' events (its own client's too, as a member), each sender's in order
    await().atMost(WAIT).until(() -> atLocal.size() >= 2 * n && atRemote.size() >= 2 * n);
    for (Queue<Integer> got : List.of(atLocal, atRemote)) {
      List<Integer> mine = new ArrayList<>();
      List<Integer> theirs = new ArrayList<>();
      got.forEach(v -> (v < n ? mine : theirs).add(v));
      assertThat(mine).hasSize(n).isSorted();
      assertThat(theirs).hasSize(n).isSorted();
    }
    assertThat(node.endpoints()).hasSize(1).allMatch(e -> e.startsWith("ipc://"));
  }

  @Test
  void requestsAreAnsweredBothWaysAndListenersRunOnTheClientsOwnThread() {
    BusNode node = node("node.sock");
    BusClient local = inproc(node);
    BusClient remote = ipc(node);
    List<String> handlerThreads = new CopyOnWriteArrayList<>();
    BusChannel localCh = joined(local, "A");
    localCh.handle("twice", e -> {
      handlerThreads.add(Thread.currentThread().getName());
      return e.data(Integer.class) * 2;
    }).orTimeout(10, TimeUnit.SECONDS).join();
    BusChannel remoteCh = joined(remote, "A");
    remoteCh.handle("plus", e -> e.data(Integer.class) + 1).orTimeout(10, TimeUnit.SECONDS).join();

    assertThat(remoteCh.request("twice", 21, WAIT).join().data(Integer.class)).isEqualTo(42);
    assertThat(localCh.request("plus", 41, WAIT).join().data(Integer.class)).isEqualTo(42);
    // many in flight from the in-process client, as the gateway makes them
    List<CompletableFuture<BusEvent>> replies = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      replies.add(local.request("A", "plus", i, WAIT));
    }
    for (int i = 0; i < replies.size(); i++) {
      assertThat(replies.get(i).join().data(Integer.class)).isEqualTo(i + 1);
    }
    // the in-process client's handler ran on its own I/O thread, not on the node's (where routing runs)
    String localThread = local.eventLoop().submit(() -> Thread.currentThread().getName()).syncUninterruptibly()
        .getNow();
    assertThat(handlerThreads).isNotEmpty().allMatch(localThread::equals);
  }

  @Test
  void controlCommandsNeedNoTokenInProcess() {
    BusNode node = node("node.sock");
    JsonNode stats = inproc(node).control(WAIT, "stats").join();
    assertThat(stats.isObject()).isTrue();
  }

  @Test
  void eachNodeOfTheJvmHasItsOwnInprocEndpoint() {
    BusNode first = node("first.sock");
    BusNode second = node("second.sock");
    BusClient toFirst = inproc(first);
    BusClient toSecond = inproc(second);
    toFirst.flush().orTimeout(10, TimeUnit.SECONDS).join();
    toSecond.flush().orTimeout(10, TimeUnit.SECONDS).join();
    await().atMost(WAIT).until(() -> !toFirst.nodeId().isEmpty() && !toSecond.nodeId().isEmpty());
    assertThat(toFirst.nodeId()).isEqualTo(first.id());
    assertThat(toSecond.nodeId()).isEqualTo(second.id());
    assertThat(first.statistics().clients()).hasSize(1);
    assertThat(second.statistics().clients()).hasSize(1);
  }

  @Test
  void aClosedNodeTakesNoInprocClientAndOneClosedUnderAClientFailsItsRequests() {
    BusNode node = node("node.sock");
    BusClient client = inproc(node);
    client.flush().orTimeout(10, TimeUnit.SECONDS).join();
    node.close();
    assertThatThrownBy(() -> BusClient.builder().node(node).build())
        .isInstanceOf(BusException.class).hasMessageContaining("closed");
    // nothing answers any more: the request fails (at the latest when its time is up), and close does not hang
    CompletableFuture<BusEvent> reply;
    try {
      reply = client.request("A", "anything", Map.of(), Duration.ofMillis(500));
    } catch (RuntimeException refused) {
      reply = CompletableFuture.failedFuture(refused);
    }
    CompletableFuture<BusEvent> r = reply;
    assertThatThrownBy(() -> r.orTimeout(10, TimeUnit.SECONDS).join()).isInstanceOf(CompletionException.class);
    long start = System.nanoTime();
    client.close();
    assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
  }
}
