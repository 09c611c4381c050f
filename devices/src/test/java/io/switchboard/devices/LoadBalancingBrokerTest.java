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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoadBalancingBrokerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration QUIET = Duration.ofMillis(200);

  private final Context context = new Context();
  private Socket frontend;
  private Socket backend;
  private String clients;
  private String workers;
  private LoadBalancingBroker broker;

  @BeforeEach
  void start() {
    frontend = context.socket(SocketType.ROUTER);
    backend = context.socket(SocketType.ROUTER, SocketOptions.builder().routerMandatory(true).build());
    clients = frontend.bind("tcp://127.0.0.1:*");
    workers = backend.bind("tcp://127.0.0.1:*");
    broker = LoadBalancingBroker.start(frontend, backend);
  }

  @AfterEach
  void stop() {
    assertThat(broker.terminate(WAIT)).isTrue();
    assertThat(broker.failure()).isEmpty();
    context.close();
  }

  private Socket worker(String id) {
    Socket worker = context.socket(SocketType.REQ,
        SocketOptions.builder().identity(id.getBytes(StandardCharsets.UTF_8)).build());
    worker.connect(workers);
    return worker;
  }

  private Socket client() {
    Socket client = context.socket(SocketType.REQ);
    client.connect(clients);
    return client;
  }

  private void ready(Socket worker, int expectedReady) {
    worker.send(Message.of(LoadBalancingBroker.READY));
    await().atMost(WAIT).until(() -> broker.readyWorkers() == expectedReady);
  }

  /** Receives a request as a worker and replies to it, returning the request's body. */
  private static String serve(Socket worker, String name) {
    Message request = worker.receive(WAIT);
    assertThat(request).as("%s got a request", name).isNotNull();
    assertThat(request.size()).isEqualTo(3); // [clientId, "", body]
    assertThat(request.frame(1)).isEmpty();
    worker.send(Message.of(request.frame(0), new byte[0], (name + ": " + request.frameString(2)).getBytes(
        StandardCharsets.UTF_8)));
    return request.frameString(2);
  }

  @Test
  void eachRequestGoesToTheLeastRecentlyUsedReadyWorker() {
    Socket w1 = worker("w1");
    Socket w2 = worker("w2");
    ready(w1, 1);
    ready(w2, 2);
    Socket c1 = client();
    Socket c2 = client();

    c1.send(Message.of("a"));
    assertThat(w1.receive(WAIT)).as("w1 was ready first").satisfies(m -> assertThat(m.frameString(2)).isEqualTo("a"))
        .satisfies(m -> w1.send(Message.of(m.frame(0), new byte[0], "w1: a".getBytes(StandardCharsets.UTF_8))));
    // w1 replied, so it is now the most recently used: w2 is next
    assertThat(c1.receive(WAIT)).isEqualTo(Message.of("w1: a"));
    await().atMost(WAIT).until(() -> broker.readyWorkers() == 2);

    c2.send(Message.of("b"));
    assertThat(serve(w2, "w2")).isEqualTo("b");
    assertThat(c2.receive(WAIT)).isEqualTo(Message.of("w2: b"));
    await().atMost(WAIT).until(() -> broker.readyWorkers() == 2);

    // ready order now: w1 (since a), then w2 (since b)
    c1.send(Message.of("c"));
    assertThat(serve(w1, "w1")).isEqualTo("c");
    assertThat(c1.receive(WAIT)).isEqualTo(Message.of("w1: c"));
    assertThat(broker.requests()).isEqualTo(3);
    assertThat(broker.replies()).isEqualTo(3);
  }

  @Test
  void aBusyWorkerGetsNothingUntilItReplies() {
    Socket w1 = worker("w1");
    Socket w2 = worker("w2");
    ready(w1, 1);
    ready(w2, 2);
    Socket c1 = client();
    Socket c2 = client();
    Socket c3 = client();

    c1.send(Message.of("one"));
    Message first = w1.receive(WAIT);
    c2.send(Message.of("two"));
    Message second = w2.receive(WAIT);
    assertThat(first.frameString(2)).isEqualTo("one");
    assertThat(second.frameString(2)).isEqualTo("two");

    c3.send(Message.of("three")); // both busy: waits in the broker's frontend
    await().atMost(WAIT).until(() -> broker.readyWorkers() == 0);
    await().during(QUIET).atMost(WAIT).until(() -> broker.requests() == 2);

    w2.send(Message.of(second.frame(0), new byte[0], "done two".getBytes(StandardCharsets.UTF_8)));
    assertThat(c2.receive(WAIT)).isEqualTo(Message.of("done two"));
    assertThat(serve(w2, "w2")).isEqualTo("three");
    assertThat(c3.receive(WAIT)).isEqualTo(Message.of("w2: three"));
  }

  @Test
  void requestsWaitUntilAWorkerIsReady() {
    Socket c1 = client();
    c1.send(Message.of("early"));
    Socket w1 = worker("w1");
    assertThat(broker.requests()).isZero();
    w1.send(Message.of(LoadBalancingBroker.READY));
    assertThat(serve(w1, "w1")).isEqualTo("early");
    assertThat(c1.receive(WAIT)).isEqualTo(Message.of("w1: early"));
  }

  @Test
  void dropsAndCountsMalformedWorkerMessages() {
    Socket bad = context.socket(SocketType.DEALER);
    bad.connect(workers);
    bad.send(Message.of("no delimiter"));
    await().atMost(WAIT).until(() -> broker.malformedMessages() == 1);
    assertThat(broker.readyWorkers()).isZero();
  }

  @Test
  void needsRouters() {
    Socket dealer = context.socket(SocketType.DEALER);
    assertThatThrownBy(() -> LoadBalancingBroker.start(dealer, backend))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("frontend: DEALER (expected: ROUTER)");
  }
}
