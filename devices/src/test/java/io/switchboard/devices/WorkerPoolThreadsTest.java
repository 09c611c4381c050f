package io.switchboard.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link WorkerPool} running {@link ThreadWorker}s: the same supervision as for processes. */
@ExtendWith(NoLeakedThreads.class)
class WorkerPoolThreadsTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final Duration INTERVAL = Duration.ofMillis(100);
  private static final RestartPolicy FAST = new RestartPolicy(Duration.ofMillis(1), Duration.ofMillis(8), 3,
      Duration.ofSeconds(60));

  private final Context context = new Context(2);
  private final List<WorkerEvent> events = new CopyOnWriteArrayList<>();
  private final CountDownLatch released = new CountDownLatch(1);
  private WorkerPool pool;
  private ReliableBroker broker;

  @AfterEach
  void close() {
    released.countDown();
    if (pool != null) {
      pool.close();
      assertThat(pool.running()).isZero();
    }
    if (broker != null) {
      assertThat(broker.terminate(WAIT)).isTrue();
    }
    context.close();
  }

  private WorkerPool.Builder builder(String endpoint, ThreadWorker worker) {
    return WorkerPool.threads(context, endpoint, worker).listener(events::add).stopTimeout(Duration.ofSeconds(2));
  }

  private List<WorkerEvent> events(WorkerEvent.Type type) {
    return events.stream().filter(e -> e.type() == type).collect(Collectors.toList());
  }

  /** A REP echo worker that answers with its slot number. */
  private static ThreadWorker echo() {
    return slot -> {
      Socket rep = slot.closeOnStop(slot.context().socket(SocketType.REP));
      rep.connect(slot.endpoint());
      while (!slot.isStopping()) {
        rep.receive();
        rep.send(Message.of("slot " + slot.number()));
      }
    };
  }

  @Test
  void threadWorkersServeAndAreStoppedByClosingTheirSockets() {
    Socket dealer = context.socket(SocketType.DEALER);
    String endpoint = dealer.bind("inproc://threads-serve");
    pool = builder(endpoint, echo()).size(3).start();
    assertThat(pool.size()).isEqualTo(3);
    await().atMost(WAIT).until(() -> pool.running() == 3);
    assertThat(events(WorkerEvent.Type.STARTED)).extracting(WorkerEvent::slot).containsExactlyInAnyOrder(1, 2, 3);
    WorkerEvent started = events(WorkerEvent.Type.STARTED).get(0);
    assertThat(started.pid()).isEqualTo(-1);
    assertThat(started.describe()).matches("worker \\d started \\(thread switchboard-worker-pool-\\d+-worker-\\d\\)");
    assertThat(pool.processes()).isEmpty();

    for (int i = 0; i < 6; i++) {
      dealer.send(Message.of("", "ping"));
    }
    List<String> from = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      from.add(dealer.receive(WAIT).frameString(1));
    }
    assertThat(from).containsOnly("slot 1", "slot 2", "slot 3");

    pool.close(); // workers blocked in receive() end when their sockets close
    assertThat(events(WorkerEvent.Type.STOPPED)).hasSize(3);
    assertThat(events(WorkerEvent.Type.STOPPED).get(0).describe()).matches("worker \\d stopped \\(thread .*\\)");
    assertThat(events(WorkerEvent.Type.ABANDONED)).isEmpty();
    assertThat(events(WorkerEvent.Type.EXITED)).isEmpty();
  }

  @Test
  void aThreadThatThrowsOrReturnsIsReplacedInTheSameSlotWithBackoffThenGivenUp() {
    AtomicInteger runs = new AtomicInteger();
    pool = builder("inproc://unused", slot -> {
      if (runs.incrementAndGet() % 2 == 1) {
        throw new IllegalStateException("boom " + slot.number());
      }
    }).restartPolicy(FAST).size(1).start();

    await().atMost(WAIT).until(() -> !events(WorkerEvent.Type.GAVE_UP).isEmpty());
    List<WorkerEvent> exits = events(WorkerEvent.Type.EXITED);
    assertThat(exits).extracting(WorkerEvent::slot).containsOnly(1);
    assertThat(exits).extracting(WorkerEvent::delay)
        .containsExactly(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(4));
    assertThat(exits.get(0).describe())
        .isEqualTo("worker 1 exited (threw java.lang.IllegalStateException: boom 1), restarting in 1 ms");
    assertThat(exits.get(1).describe()).isEqualTo("worker 1 exited (returned), restarting in 2 ms");
    assertThat(events(WorkerEvent.Type.GAVE_UP).get(0).describe()).isEqualTo("worker 1 exited (status 0); giving "
        + "up on this slot after 3 restarts in 60 s (returned)");
    assertThat(events(WorkerEvent.Type.STARTED)).hasSize(4);
    assertThat(pool.size()).isZero();
  }

  @Test
  void aThreadThatStopsHeartbeatingIsStoppedAndReplaced() throws Exception {
    AtomicInteger generation = new AtomicInteger();
    CountDownLatch hungInterrupted = new CountDownLatch(1);
    pool = builder("inproc://unused", slot -> {
      int mine = generation.incrementAndGet();
      slot.heartbeat();
      if (mine == 1) {
        try {
          released.await(); // hangs without heartbeating; the pool's stop interrupts it
        } catch (InterruptedException e) {
          hungInterrupted.countDown();
          throw e;
        }
      }
      while (!slot.isStopping()) {
        slot.heartbeat();
        TimeUnit.MILLISECONDS.sleep(20); // a worker's work, not synchronisation
      }
    }).heartbeatTimeout(Duration.ofMillis(800)).size(1).start();

    await().atMost(WAIT).until(() -> events(WorkerEvent.Type.STARTED).size() == 2);
    assertThat(hungInterrupted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    WorkerEvent unresponsive = events(WorkerEvent.Type.UNRESPONSIVE).get(0);
    assertThat(unresponsive.slot()).isEqualTo(1);
    assertThat(unresponsive.describe()).matches("worker 1 \\(thread .*\\) stopped heartbeating \\(silent \\d+ ms\\), "
        + "restarting in 100 ms");
    assertThat(pool.running()).isEqualTo(1);
    // the healthy replacement heartbeats every 20 ms, so it is left alone for more than two timeouts
    await().pollDelay(Duration.ofMillis(1800)).atMost(WAIT).until(() -> true);
    assertThat(events(WorkerEvent.Type.UNRESPONSIVE)).hasSize(1);
    assertThat(events(WorkerEvent.Type.STARTED)).hasSize(2);
  }

  @Test
  void aThreadThatIgnoresItsStopIsAbandonedAfterTheStopTimeout() {
    pool = WorkerPool.threads(context, "inproc://unused", slot -> {
      while (released.getCount() > 0) {
        try {
          released.await();
        } catch (InterruptedException ignored) {
          // uncooperative on purpose
        }
      }
    }).listener(events::add).stopTimeout(Duration.ofMillis(200)).size(1).start();
    await().atMost(WAIT).until(() -> pool.running() == 1);
    long start = System.nanoTime();
    pool.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(events(WorkerEvent.Type.ABANDONED)).hasSize(1);
    assertThat(events(WorkerEvent.Type.ABANDONED).get(0).describe())
        .matches("worker 1 \\(thread .*\\) did not stop within 200 ms; abandoned");
    released.countDown();
    String thread = events(WorkerEvent.Type.ABANDONED).get(0).worker().substring("thread ".length());
    await().atMost(WAIT).until(() -> !liveThreadNames().contains(thread));
  }

  @Test
  void reliableThreadWorkersScaleUpAndDownBehindTheBrokerWithoutRunningAnythingTwice() {
    Socket frontend = context.socket(SocketType.ROUTER, SocketOptions.builder().highWaterMark(10_000).build());
    Socket backend = context.socket(SocketType.ROUTER, SocketOptions.builder().routerMandatory(true).build());
    String clients = frontend.bind("tcp://127.0.0.1:*");
    String workers = backend.bind("tcp://127.0.0.1:*");
    broker = ReliableBroker.builder(frontend, backend).heartbeatInterval(INTERVAL).start();
    AtomicInteger handled = new AtomicInteger();
    pool = builder(workers, ThreadWorker.reliable(request -> {
      handled.incrementAndGet();
      return Message.of("done " + request.firstString());
    }, b -> b.heartbeatInterval(INTERVAL).reconnectDelay(INTERVAL)))
        .heartbeatTimeout(INTERVAL.multipliedBy(5))
        .size(2)
        .start();
    await().atMost(WAIT).until(() -> broker.workers() == 2);
    pool.scale(4);
    await().atMost(WAIT).until(() -> broker.workers() == 4 && pool.running() == 4);

    try (BrokerClient client = BrokerClient.builder(context, clients).build()) {
      List<CompletableFuture<Message>> replies = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        replies.add(client.request(Message.of("r" + i)));
        if (i == 200) {
          pool.scale(1); // three workers leave gracefully while requests are in flight
        }
      }
      for (int i = 0; i < replies.size(); i++) {
        assertThat(replies.get(i).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join().firstString())
            .isEqualTo("done r" + i);
      }
    }
    await().atMost(WAIT).until(() -> broker.workers() == 1 && pool.running() == 1);
    assertThat(broker.workersLeft()).isEqualTo(3);
    assertThat(broker.workersLost()).isZero();
    assertThat(broker.redispatched()).isZero();
    assertThat(handled).hasValue(400);
    await().atMost(WAIT).until(() -> events(WorkerEvent.Type.STOPPED).size() == 3);
    assertThat(events(WorkerEvent.Type.STOPPED)).extracting(WorkerEvent::slot).containsExactlyInAnyOrder(2, 3, 4);
    assertThat(events(WorkerEvent.Type.UNRESPONSIVE)).isEmpty();
    assertThat(events(WorkerEvent.Type.EXITED)).isEmpty();
  }

  @Test
  void settingsOfTheOtherKindAreRejected() {
    ThreadWorker idle = slot -> { };
    assertThatThrownBy(() -> WorkerPool.threads(context, "inproc://x", idle).environment("A", "b"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("environment: applies to process workers (expected: WorkerPool.builder)");
    assertThatThrownBy(() -> WorkerPool.builder("true").heartbeatTimeout(Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("heartbeatTimeout: applies to thread workers (expected: WorkerPool.threads)");
    assertThatThrownBy(() -> WorkerPool.threads(context, "nowhere", idle))
        .isInstanceOf(io.switchboard.socket.EndpointException.class);
  }

  private static List<String> liveThreadNames() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .collect(Collectors.toList());
  }
}
