package io.switchboard.socket.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import io.switchboard.socket.NoLeakedThreads;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeakedThreads.class)
class ReliableBrokerTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration INTERVAL = Duration.ofMillis(100);
  private static final Duration QUIET = Duration.ofMillis(300);

  private final Context context = new Context(2);
  private final List<ReliableWorker> workers = new ArrayList<>();
  private Socket frontend;
  private Socket backend;
  private String clientEndpoint;
  private String workerEndpoint;
  private ReliableBroker broker;

  @BeforeEach
  void bind() {
    frontend = context.socket(SocketType.ROUTER, SocketOptions.builder().highWaterMark(10_000).build());
    backend = context.socket(SocketType.ROUTER, SocketOptions.builder().routerMandatory(true).build());
    clientEndpoint = frontend.bind("tcp://127.0.0.1:*");
    workerEndpoint = backend.bind("tcp://127.0.0.1:*");
  }

  private void startBroker(Function<ReliableBroker.Builder, ReliableBroker.Builder> settings) {
    broker = settings.apply(ReliableBroker.builder(frontend, backend).heartbeatInterval(INTERVAL).liveness(3))
        .start();
  }

  @AfterEach
  void stop() {
    workers.forEach(ReliableWorker::close);
    if (broker != null) {
      assertThat(broker.terminate(WAIT)).isTrue();
      assertThat(broker.failure()).isEmpty();
    }
    context.close();
  }

  private ReliableWorker worker(Function<Message, Message> handler) {
    ReliableWorker worker = ReliableWorker.builder(context, workerEndpoint, handler)
        .heartbeatInterval(INTERVAL)
        .reconnectDelay(INTERVAL)
        .start();
    workers.add(worker);
    return worker;
  }

  private Socket client() {
    Socket client = context.socket(SocketType.DEALER, SocketOptions.builder().highWaterMark(10_000).build());
    client.connect(clientEndpoint);
    return client;
  }

  private static void request(Socket client, String id, String body) {
    client.send(Message.of("", id, body));
  }

  /** A raw worker that follows the protocol by hand (READY only; no heartbeats unless the test sends them). */
  private Socket rawWorker() {
    Socket raw = context.socket(SocketType.DEALER, SocketOptions.builder().linger(Duration.ZERO).build());
    raw.connect(workerEndpoint);
    raw.send(Message.of("", ReliableBroker.READY));
    return raw;
  }

  /** The next REQUEST a raw worker gets, skipping heartbeats. */
  private static Message nextRequest(Socket raw) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Message m = raw.receive(WAIT);
      if (m != null && m.frameString(1).equals(ReliableBroker.REQUEST)) {
        return m;
      }
    }
    throw new AssertionError("no request within " + WAIT);
  }

  @Test
  void repliesCarryTheRequestIdAndOk() {
    startBroker(b -> b);
    worker(request -> Message.of("echo " + request.firstString()));
    Socket client = client();
    request(client, "r1", "hello");
    request(client, "r2", "world");
    Map<String, String> replies = new HashMap<>();
    for (int i = 0; i < 2; i++) {
      Message reply = client.receive(WAIT);
      assertThat(reply).isNotNull();
      assertThat(reply.size()).isEqualTo(4);
      assertThat(reply.frame(0)).isEmpty();
      assertThat(reply.frameString(2)).isEqualTo(ReliableBroker.OK);
      replies.put(reply.frameString(1), reply.frameString(3));
    }
    assertThat(replies).containsExactlyInAnyOrderEntriesOf(Map.of("r1", "echo hello", "r2", "echo world"));
    assertThat(broker.replies()).isEqualTo(2);
  }

  @Test
  void aRequestNoWorkerServesInTimeGetsDeadlineExceeded() {
    startBroker(b -> b.requestTimeout(Duration.ofMillis(300)));
    Socket client = client();
    long start = System.nanoTime();
    request(client, "r1", "hello");
    Message reply = client.receive(WAIT);
    assertThat(reply).isNotNull();
    assertThat(reply.join("|")).isEqualTo("|r1|ERROR|deadline exceeded");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(broker.errors()).isEqualTo(1);
  }

  @Test
  void aFailingHandlerGetsAnErrorWithoutRetry() {
    startBroker(b -> b);
    AtomicInteger calls = new AtomicInteger();
    worker(request -> {
      calls.incrementAndGet();
      throw new IllegalStateException("boom");
    });
    Socket client = client();
    request(client, "r1", "hello");
    Message reply = client.receive(WAIT);
    assertThat(reply).isNotNull();
    assertThat(reply.join("|")).isEqualTo("|r1|ERROR|handler failed: boom");
    assertThat(calls).hasValue(1);
  }

  @Test
  void aRequestWhoseWorkersAllDieFailsAfterMaxAttempts() {
    startBroker(b -> b.maxAttempts(2));
    Socket client = client();
    Socket first = rawWorker();
    request(client, "r1", "hello");
    nextRequest(first);
    first.close(); // dies holding the request
    Socket second = rawWorker();
    nextRequest(second);
    second.close();
    Message reply = client.receive(WAIT);
    assertThat(reply).isNotNull();
    assertThat(reply.join("|")).isEqualTo("|r1|ERROR|attempts exhausted");
    assertThat(broker.redispatched()).isEqualTo(1);
    assertThat(broker.requests()).isEqualTo(2);
  }

  @Test
  void aLateReplyFromAWorkerThoughtDeadIsDroppedAsADuplicate() {
    startBroker(b -> b);
    Socket client = client();
    Socket silent = rawWorker();
    request(client, "r1", "hello");
    Message held = nextRequest(silent); // then silent: no heartbeats, so the broker forgets it
    await().atMost(WAIT).until(() -> broker.workersLost() == 1);
    worker(request -> Message.of("second"));
    Message reply = client.receive(WAIT);
    assertThat(reply.join("|")).isEqualTo("|r1|OK|second");
    silent.send(Message.of(new byte[0], ReliableBroker.REPLY.getBytes(StandardCharsets.UTF_8), held.frame(2),
        "first".getBytes(StandardCharsets.UTF_8)));
    await().atMost(WAIT).until(() -> broker.duplicateReplies() == 1);
    assertThat(client.receive(QUIET)).isNull();
    assertThat(broker.replies()).isEqualTo(1);
  }

  @Test
  void rejectsBadSettings() {
    assertThatThrownBy(() -> ReliableBroker.builder(frontend, backend).liveness(0).start())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("liveness: 0 (expected: >= 1)");
    assertThatThrownBy(() -> ReliableBroker.builder(frontend, frontend).start())
        .isInstanceOf(IllegalArgumentException.class);
    Socket dealer = context.socket(SocketType.DEALER);
    assertThatThrownBy(() -> ReliableBroker.builder(dealer, backend).start())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("frontend: DEALER (expected: ROUTER)");
  }

  @Test
  void everyRequestGetsExactlyOneReplyWhenAWorkerDiesUnderLoad() throws Exception {
    startBroker(b -> b.maxAttempts(3));
    int clients = 4;
    int perClient = 250;
    int poolSize = 4;
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    Function<Message, Message> work = request -> {
      runs.computeIfAbsent(request.firstString(), k -> new AtomicInteger()).incrementAndGet();
      try {
        TimeUnit.MILLISECONDS.sleep(1); // simulated work, not synchronisation
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted");
      }
      return Message.of("done " + request.firstString());
    };
    CountDownLatch victimBusy = new CountDownLatch(1);
    AtomicInteger victimCalls = new AtomicInteger();
    String[] victimRequest = new String[1];
    for (int i = 0; i < poolSize - 1; i++) {
      worker(work);
    }
    ReliableWorker victim = worker(request -> {
      if (victimCalls.incrementAndGet() == 20) {
        runs.computeIfAbsent(request.firstString(), k -> new AtomicInteger()).incrementAndGet();
        victimRequest[0] = request.firstString();
        victimBusy.countDown();
        try {
          new CountDownLatch(1).await(); // dies mid-request: close() interrupts, the reply is never sent
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("killed");
      }
      return work.apply(request);
    });
    await().atMost(WAIT).until(() -> broker.workers() == poolSize);

    List<Socket> sockets = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      sockets.add(client());
    }
    for (int n = 0; n < perClient; n++) {
      for (int c = 0; c < clients; c++) {
        String id = "c" + c + "-" + n;
        request(sockets.get(c), id, id);
      }
    }
    assertThat(victimBusy.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    victim.close();
    workers.remove(victim);
    await().atMost(WAIT).until(() -> broker.workersLost() == 1);
    assertThat(broker.workers()).isEqualTo(poolSize - 1);
    worker(work); // the replacement a supervisor would start
    await().atMost(WAIT).until(() -> broker.workers() == poolSize);

    for (int c = 0; c < clients; c++) {
      Map<String, Integer> got = new HashMap<>();
      for (int n = 0; n < perClient; n++) {
        Message reply = sockets.get(c).receive(WAIT);
        assertThat(reply).as("client %d reply %d", c, n).isNotNull();
        assertThat(reply.frameString(2)).as(reply.join("|")).isEqualTo(ReliableBroker.OK);
        assertThat(reply.frameString(3)).isEqualTo("done " + reply.frameString(1));
        got.merge(reply.frameString(1), 1, Integer::sum);
      }
      assertThat(got).hasSize(perClient).allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1));
      assertThat(sockets.get(c).receive(QUIET)).as("no reply beyond one per request").isNull();
    }
    long ranTwice = runs.values().stream().filter(count -> count.get() > 1).count();
    System.out.printf("reliable broker: %d requests, %d replies, %d ran twice (%d re-dispatched, %d duplicate "
        + "replies dropped, %d workers lost)%n", clients * perClient, broker.replies(), ranTwice,
        broker.redispatched(), broker.duplicateReplies(), broker.workersLost());
    assertThat(runs).hasSize(clients * perClient);
    assertThat(runs.get(victimRequest[0])).as("the victim's request ran again elsewhere").hasValue(2);
    assertThat(ranTwice).isGreaterThanOrEqualTo(1).isLessThanOrEqualTo(broker.redispatched());
    assertThat(broker.replies()).isEqualTo(clients * perClient);
    assertThat(broker.errors()).isZero();
    assertThat(broker.outstandingRequests()).isZero();
  }
}
