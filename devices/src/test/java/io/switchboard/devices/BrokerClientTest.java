package io.switchboard.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketClosedException;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeakedThreads.class)
class BrokerClientTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration INTERVAL = Duration.ofMillis(100);

  private final Context context = new Context(2);
  private final List<AutoCloseable> closing = new ArrayList<>();
  private final Socket frontend =
      context.socket(SocketType.ROUTER, SocketOptions.builder().highWaterMark(10_000).build());
  private final Socket backend =
      context.socket(SocketType.ROUTER, SocketOptions.builder().routerMandatory(true).build());
  private final String clientEndpoint = frontend.bind("tcp://127.0.0.1:*");
  private final String workerEndpoint = backend.bind("tcp://127.0.0.1:*");
  private ReliableBroker broker;

  @AfterEach
  void stop() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
    if (broker != null) {
      assertThat(broker.terminate(WAIT)).isTrue();
    }
    context.close();
  }

  private <T extends AutoCloseable> T closeLater(T resource) {
    closing.add(resource);
    return resource;
  }

  private void startBroker(Duration requestTimeout) {
    broker = ReliableBroker.builder(frontend, backend).heartbeatInterval(INTERVAL)
        .requestTimeout(requestTimeout).maxRequestTimeout(Duration.ofSeconds(10)).start();
  }

  private void worker(java.util.function.Function<Message, Message> handler) {
    closeLater(ReliableWorker.builder(context, workerEndpoint, handler)
        .heartbeatInterval(INTERVAL).reconnectDelay(INTERVAL).start());
  }

  private BrokerClient client() {
    return closeLater(BrokerClient.builder(context, clientEndpoint).grace(Duration.ofMillis(500)).build());
  }

  private static RequestFailedException failure(CompletableFuture<Message> future) {
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(future::join);
    assertThat(thrown).isInstanceOf(CompletionException.class);
    assertThat(thrown.getCause()).isInstanceOf(RequestFailedException.class);
    return (RequestFailedException) thrown.getCause();
  }

  @Test
  void manyRequestsInFlightEachGetTheirOwnReply() {
    startBroker(Duration.ofSeconds(30));
    for (int i = 0; i < 3; i++) {
      worker(request -> Message.of("echo " + request.firstString(), request.frameString(1)));
    }
    BrokerClient client = client();
    List<CompletableFuture<Message>> replies = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      replies.add(client.request(Message.of("r" + i, "second frame " + i)));
    }
    for (int i = 0; i < replies.size(); i++) {
      Message reply = replies.get(i).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
      assertThat(reply.join("|")).isEqualTo("echo r" + i + "|second frame " + i);
    }
    assertThat(client.inFlight()).isZero();
    assertThat(client.lateAnswers()).isZero();
    assertThat(broker.replies()).isEqualTo(2000);
  }

  @Test
  void aHandlerFailureIsAnException() {
    startBroker(Duration.ofSeconds(30));
    worker(request -> {
      throw new IllegalArgumentException("no such file: " + request.firstString());
    });
    RequestFailedException e = failure(client().request(Message.of("x.txt")));
    assertThat(e.reason()).isEqualTo(RequestFailedException.Reason.HANDLER_FAILED);
    assertThat(e.detail()).isEqualTo("no such file: x.txt");
    assertThat(e).hasMessage("request failed at the broker: handler failed: no such file: x.txt");
  }

  @Test
  void aRequestNotServedWithinItsDeadlineFailsWithDeadlineExceeded() {
    startBroker(Duration.ofSeconds(30));
    BrokerClient client = client();
    long start = System.nanoTime();
    CompletableFuture<Message> quick = client.request(Message.of("quick"), Duration.ofMillis(200));
    CompletableFuture<Message> patient = client.request(Message.of("patient"));
    RequestFailedException e = failure(quick);
    assertThat(e.reason()).isEqualTo(RequestFailedException.Reason.DEADLINE_EXCEEDED);
    assertThat(e).hasMessage("request failed at the broker: deadline exceeded");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    assertThat(patient).isNotDone();
    worker(request -> Message.of("served " + request.firstString()));
    assertThat(patient.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join().firstString()).isEqualTo("served patient");
  }

  /**
   * The receiving thread sleeps without a timer while nothing waits, and a request that expires sooner than the one it
   * sleeps towards wakes it: it used to look again every 50 ms to notice such a request.
   */
  @Test
  void theReceivingThreadSleepsUntilTheNextExpiryAndASoonerOneWakesIt() {
    Socket silent = context.socket(SocketType.ROUTER);   // reads requests, never answers
    String endpoint = silent.bind("tcp://127.0.0.1:*");
    Set<Thread> before = clientThreads();
    BrokerClient client = closeLater(BrokerClient.builder(context, endpoint).grace(Duration.ofMillis(100)).build());
    Thread receiving = await().atMost(WAIT).until(() -> {
      Set<Thread> now = clientThreads();
      now.removeAll(before);
      return now.isEmpty() ? null : now.iterator().next();
    }, Objects::nonNull);
    await().atMost(WAIT).until(() -> receiving.getState() == Thread.State.WAITING);

    CompletableFuture<Message> patient = client.request(Message.of("patient"), Duration.ofSeconds(10));
    await().atMost(WAIT).until(() -> receiving.getState() == Thread.State.TIMED_WAITING);
    long start = System.nanoTime();
    CompletableFuture<Message> quick = client.request(Message.of("quick"), Duration.ofMillis(200));
    assertThat(failure(quick).reason()).isEqualTo(RequestFailedException.Reason.NO_ANSWER);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(300), Duration.ofSeconds(5));
    assertThat(patient).isNotDone();
  }

  private static Set<Thread> clientThreads() {
    Set<Thread> threads = new HashSet<>(Thread.getAllStackTraces().keySet());
    threads.removeIf(t -> !t.getName().startsWith("switchboard-broker-client-"));
    return threads;
  }

  @Test
  void aDeadlineLongerThanTheBrokerAllowsIsABadRequest() {
    startBroker(Duration.ofSeconds(1));
    RequestFailedException e = failure(client().request(Message.of("x"), Duration.ofSeconds(11)));
    assertThat(e.reason()).isEqualTo(RequestFailedException.Reason.BAD_REQUEST);
    assertThat(e.detail()).isEqualTo("deadline=11000 (expected: 1..10000 ms)");
  }

  @Test
  void withoutABrokerARequestFailsLocallyAndALateAnswerIsDropped() {
    // a ROUTER that reads requests but answers only when told: a broker that hangs
    Socket silent = context.socket(SocketType.ROUTER);
    String endpoint = silent.bind("tcp://127.0.0.1:*");
    BrokerClient client = closeLater(BrokerClient.builder(context, endpoint).grace(Duration.ofMillis(100)).build());
    long start = System.nanoTime();
    CompletableFuture<Message> future = client.request(Message.of("hello"), Duration.ofMillis(200));
    Message request = silent.receive(WAIT);
    assertThat(request.size()).isEqualTo(4);
    assertThat(request.frameString(1)).isEqualTo("deadline=200");
    RequestFailedException e = failure(future);
    assertThat(e.reason()).isEqualTo(RequestFailedException.Reason.NO_ANSWER);
    assertThat(e).hasMessageStartingWith("no answer from the broker at " + endpoint + " within 300 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));

    silent.send(Message.of(request.frame(0), new byte[0], request.frame(2), "OK".getBytes(), "too late".getBytes()));
    await().atMost(WAIT).until(() -> client.lateAnswers() == 1);
    assertThat(client.inFlight()).isZero();
  }

  @Test
  void closeFailsWhatIsWaitingAndRefusesMore() throws Exception {
    startBroker(Duration.ofSeconds(30));
    CountDownLatch never = new CountDownLatch(1);
    worker(request -> {
      try {
        never.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return request;
    });
    BrokerClient client = BrokerClient.builder(context, clientEndpoint).build();
    CompletableFuture<Message> waiting = client.request(Message.of("hello"));
    await().atMost(WAIT).until(() -> broker.requests() == 1);
    client.close();
    client.close();
    assertThat(failure(waiting).reason()).isEqualTo(RequestFailedException.Reason.CLOSED);
    assertThatThrownBy(() -> client.request(Message.of("again"))).isInstanceOf(SocketClosedException.class);
    never.countDown();
  }

  @Test
  void validatesItsSettings() {
    assertThatThrownBy(() -> BrokerClient.builder(context, clientEndpoint).deadline(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("deadline: PT0S (expected: >= 1 ms)");
    assertThatThrownBy(() -> BrokerClient.builder(context, clientEndpoint).grace(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("grace: PT-0.001S (expected: >= 0)");
  }
}
