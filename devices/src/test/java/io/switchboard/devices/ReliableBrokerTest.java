package io.switchboard.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
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
import java.util.function.UnaryOperator;
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
    return worker(handler, UnaryOperator.identity());
  }

  private ReliableWorker worker(Function<Message, Message> handler, UnaryOperator<ReliableWorker.Builder> settings) {
    ReliableWorker worker = settings.apply(ReliableWorker.builder(context, workerEndpoint, handler)
        .heartbeatInterval(INTERVAL)
        .reconnectDelay(INTERVAL))
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

  /** Sends request {@code id} and checks its answer (its frames joined by "|"), which must take {@code atLeast}. */
  private static void assertAnswer(Socket client, String id, String body, String expected, Duration atLeast) {
    long start = System.nanoTime();
    request(client, id, body);
    Message reply = client.receive(WAIT);
    assertThat(reply).isNotNull();
    assertThat(reply.join("|")).isEqualTo(expected);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(atLeast);
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
    assertAnswer(client(), "r1", "hello", "|r1|ERROR|deadline exceeded", Duration.ofMillis(300));
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
  void aHandlerPastItsTimeoutIsAnsweredFailedAndTheWorkerServesTheNextRequest() throws Exception {
    startBroker(b -> b);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger interrupts = new AtomicInteger();
    AtomicInteger lateReturns = new AtomicInteger();
    ReliableWorker worker = worker(request -> {
      if (request.firstString().equals("stuck")) {
        // a handler that ignores interrupts: only the test lets it go, after the worker has moved on
        while (true) {
          try {
            release.await();
            lateReturns.incrementAndGet();
            return Message.of("late");
          } catch (InterruptedException e) {
            interrupts.incrementAndGet();
          }
        }
      }
      return Message.of("echo " + request.firstString());
    }, b -> b.handlerTimeout(Duration.ofMillis(300)));
    Socket client = client();
    try {
      assertAnswer(client, "r1", "stuck", "|r1|ERROR|handler failed: timed out after 300 ms", Duration.ofMillis(300));
      assertThat(worker.timedOut()).isEqualTo(1);
      await().atMost(WAIT).until(() -> interrupts.get() == 1);
      assertAnswer(client, "r2", "hello", "|r2|OK|echo hello", Duration.ZERO);
    } finally {
      release.countDown(); // the abandoned handler returns now; its answer is dropped at the worker
    }
    await().atMost(WAIT).until(() -> lateReturns.get() == 1);
    assertThat(client.receive(QUIET)).isNull();
    assertThat(worker.handled()).isEqualTo(2);
    assertThat(broker.duplicateReplies()).isZero();
    assertThatThrownBy(() -> ReliableWorker.builder(context, workerEndpoint, r -> r)
        .handlerTimeout(Duration.ofMillis(-1)).start())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("handlerTimeout");
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

  /**
   * The next message a raw worker gets other than a heartbeat, or null within {@code wait}; if {@code alive}, it
   * answers each of the broker's heartbeats with one (as a busy worker does).
   */
  private static Message nextNonHeartbeat(Socket raw, Duration wait, boolean alive) {
    long deadline = System.nanoTime() + wait.toNanos();
    for (long left = wait.toNanos(); left > 0; left = deadline - System.nanoTime()) {
      Message m = raw.receive(Duration.ofNanos(left));
      if (m != null && !m.frameString(1).equals(ReliableBroker.HEARTBEAT)) {
        return m;
      }
      if (m != null && alive) {
        raw.send(Message.of("", ReliableBroker.HEARTBEAT));
      }
    }
    return null;
  }

  @Test
  void anIdleWorkerThatSaysDisconnectIsReleasedAndGetsNoWork() {
    startBroker(b -> b);
    Socket raw = rawWorker();
    await().atMost(WAIT).until(() -> broker.readyWorkers() == 1);
    raw.send(Message.of("", ReliableBroker.DISCONNECT));
    Message released = nextNonHeartbeat(raw, WAIT, false);
    assertThat(released).isNotNull();
    assertThat(released.join("|")).isEqualTo("|" + ReliableBroker.DISCONNECT);
    assertThat(broker.workersLeft()).isEqualTo(1);

    Socket client = client();
    request(client, "r1", "hello");
    await().atMost(WAIT).until(() -> broker.outstandingRequests() == 1);
    assertThat(nextNonHeartbeat(raw, QUIET, false)).as("no work after DISCONNECT").isNull();
    worker(request -> Message.of("served"));
    assertThat(client.receive(WAIT).join("|")).isEqualTo("|r1|OK|served");
    assertThat(broker.workersLost()).isZero();
    assertThat(broker.redispatched()).isZero();
  }

  @Test
  void aLeavingWorkerFinishesTheRequestItHoldsAndIsReleasedAfterItsReply() {
    startBroker(b -> b);
    Socket client = client();
    Socket raw = rawWorker();
    request(client, "r1", "first");
    Message held = nextRequest(raw);
    raw.send(Message.of("", ReliableBroker.DISCONNECT));
    request(client, "r2", "second");
    await().atMost(WAIT).until(() -> broker.outstandingRequests() == 2);
    assertThat(nextNonHeartbeat(raw, QUIET.multipliedBy(2), true)).as("neither new work nor a release while it holds r1")
        .isNull();

    raw.send(Message.of(new byte[0], ReliableBroker.REPLY.getBytes(StandardCharsets.UTF_8), held.frame(2),
        "by the leaving worker".getBytes(StandardCharsets.UTF_8)));
    assertThat(client.receive(WAIT).join("|")).isEqualTo("|r1|OK|by the leaving worker");
    assertThat(nextNonHeartbeat(raw, WAIT, false).join("|")).isEqualTo("|" + ReliableBroker.DISCONNECT);
    worker(request -> Message.of("served " + request.firstString()));
    assertThat(client.receive(WAIT).join("|")).isEqualTo("|r2|OK|served second");
    assertThat(broker.workersLeft()).isEqualTo(1);
    assertThat(broker.redispatched()).as("nothing ran twice").isZero();
    assertThat(broker.workersLost()).isZero();
    assertThat(broker.requests()).isEqualTo(2);
  }

  @Test
  void closingAReliableWorkerFinishesItsRequestThenLeaves() throws Exception {
    startBroker(b -> b);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    ReliableWorker leaving = worker(request -> {
      started.countDown();
      try {
        finish.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted");
      }
      return Message.of("finished by the leaving worker");
    });
    Socket client = client();
    request(client, "r1", "slow");
    assertThat(started.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    Thread closer = new Thread(() -> leaving.close(WAIT), "test-closer");
    closer.start();
    await().atMost(WAIT).until(() -> broker.readyWorkers() == 0 && broker.workers() == 1);
    worker(request -> Message.of("served"));
    await().atMost(WAIT).until(() -> broker.workers() == 2);
    request(client, "r2", "quick");
    assertThat(client.receive(WAIT).join("|")).isEqualTo("|r2|OK|served");
    assertThat(leaving.isRunning()).isTrue();

    finish.countDown();
    assertThat(client.receive(WAIT).join("|")).isEqualTo("|r1|OK|finished by the leaving worker");
    closer.join(WAIT.toMillis());
    assertThat(closer.isAlive()).isFalse();
    assertThat(leaving.isRunning()).isFalse();
    assertThat(leaving.handled()).isEqualTo(1);
    await().atMost(WAIT).until(() -> broker.workersLeft() == 1 && broker.workers() == 1);
    assertThat(broker.redispatched()).isZero();
    assertThat(broker.workersLost()).isZero();
  }

  @Test
  void aRequestMayGiveItsOwnDeadline() {
    startBroker(b -> b.requestTimeout(Duration.ofSeconds(30)));
    Socket client = client();
    long start = System.nanoTime();
    client.send(Message.of("deadline=1000", "slow", "x"));
    client.send(Message.of("deadline=200", "quick", "x"));
    client.send(Message.of("", "default", "x"));
    Message first = client.receive(WAIT);
    assertThat(first.join("|")).isEqualTo("|quick|ERROR|deadline exceeded");
    // No upper bound on the time: a loaded machine may be late; that "quick" fails before "slow" shows the order.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    Message second = client.receive(WAIT);
    assertThat(second.join("|")).isEqualTo("|slow|ERROR|deadline exceeded");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
    // The broker answers before it recounts what is outstanding, at the end of its loop step.
    await().atMost(WAIT).until(broker::outstandingRequests, n -> n == 1);
    worker(request -> Message.of("late but in time"));
    assertThat(client.receive(WAIT).join("|")).isEqualTo("|default|OK|late but in time");
  }

  @Test
  void malformedOrOverlongDeadlinesGetBadRequest() {
    startBroker(b -> b.requestTimeout(Duration.ofSeconds(2)).maxRequestTimeout(Duration.ofSeconds(5)));
    Socket client = client();
    client.send(Message.of("deadline=5001", "r1", "x"));
    client.send(Message.of("deadline=0", "r2", "x"));
    client.send(Message.of("deadline=soon", "r3", "x"));
    client.send(Message.of("priority=1", "r4", "x"));
    assertThat(client.receive(WAIT).join("|")).isEqualTo("|r1|ERROR|bad request: deadline=5001 (expected: 1..5000 ms)");
    assertThat(client.receive(WAIT).join("|")).isEqualTo("|r2|ERROR|bad request: deadline=0 (expected: 1..5000 ms)");
    assertThat(client.receive(WAIT).join("|"))
        .isEqualTo("|r3|ERROR|bad request: deadline=soon (expected: 1..5000 ms)");
    assertThat(client.receive(WAIT).join("|"))
        .isEqualTo("|r4|ERROR|bad request: options: priority=1 (expected: \"\" or \"deadline=MILLIS\")");
    assertThat(broker.outstandingRequests()).isZero();
    assertThat(broker.errors()).isEqualTo(4);
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
    // Liveness 10 (1 s of silence) on both sides: on a loaded machine 300 ms without CPU would lose live workers too.
    // The dead one is noticed at once anyway: the backend ROUTER reports it unreachable.
    startBroker(b -> b.maxAttempts(3).liveness(10));
    UnaryOperator<ReliableWorker.Builder> patient = b -> b.liveness(10);
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
      worker(work, patient);
    }
    ReliableWorker victim = worker(request -> {
      if (victimCalls.incrementAndGet() == 20) {
        runs.computeIfAbsent(request.firstString(), k -> new AtomicInteger()).incrementAndGet();
        victimRequest[0] = request.firstString();
        victimBusy.countDown();
        try {
          new CountDownLatch(1).await(); // dies mid-request: abort() interrupts, the reply is never sent
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("killed");
      }
      return work.apply(request);
    }, patient);
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
    victim.abort(); // dies: no DISCONNECT, the reply is never sent
    workers.remove(victim);
    await().atMost(WAIT).until(() -> broker.workersLost() == 1);
    assertThat(broker.workers()).isEqualTo(poolSize - 1);
    worker(work, patient); // the replacement a supervisor would start
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
