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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProxyTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration QUIET = Duration.ofMillis(200);

  private final Context context = new Context();
  private final List<Proxy> proxies = new ArrayList<>();

  @AfterEach
  void close() {
    proxies.forEach(proxy -> assertThat(proxy.terminate(WAIT)).as("proxy stopped").isTrue());
    context.close();
  }

  private static String local(String transport) {
    switch (transport) {
      case "tcp": return "tcp://127.0.0.1:*";
      case "ipc": return "ipc://*";
      default: return "inproc://proxy-" + System.nanoTime();
    }
  }

  private Proxy start(Socket frontend, Socket backend, Socket capture) {
    Proxy proxy = Proxy.start(frontend, backend, capture);
    proxies.add(proxy);
    return proxy;
  }

  @ParameterizedTest
  @CsvSource({"tcp, false", "ipc, false", "inproc, false", "tcp, true", "ipc, true", "inproc, true"})
  void routerDealerCarriesRequestsAndRepliesWithTheirEnvelopes(String transport, boolean zeroCopy) {
    SocketOptions options = SocketOptions.builder().zeroCopyReceive(zeroCopy).build();
    Socket frontend = context.socket(SocketType.ROUTER, options);
    Socket backend = context.socket(SocketType.DEALER, options);
    String clients = frontend.bind(local(transport));
    String workers = backend.bind(local(transport));
    Proxy proxy = start(frontend, backend, null);

    Socket worker = context.socket(SocketType.REP);
    worker.connect(workers);
    Socket client1 = context.socket(SocketType.REQ);
    Socket client2 = context.socket(SocketType.REQ);
    client1.connect(clients);
    client2.connect(clients);

    for (int i = 0; i < 5; i++) {
      client1.send(Message.of("one " + i, "extra frame"));
      client2.send(Message.of("two " + i));
      for (int j = 0; j < 2; j++) {
        Message request = worker.receive(WAIT);
        assertThat(request).isNotNull();
        worker.send(Message.of("re: " + request.firstString()).append(request.dropFirst(1)));
      }
      assertThat(client1.receive(WAIT)).isEqualTo(Message.of("re: one " + i, "extra frame"));
      assertThat(client2.receive(WAIT)).isEqualTo(Message.of("re: two " + i));
    }
    // the proxy counts a message after handing it on, so the count may trail the delivery a little
    await().atMost(WAIT).until(() -> proxy.statistics().backendToFrontendMessages() == 10);
    Proxy.Statistics stats = proxy.statistics();
    assertThat(stats.frontendToBackendMessages()).isEqualTo(10);
    assertThat(stats.backendToFrontendMessages()).isEqualTo(10);
    assertThat(stats.frontendToBackendBytes()).isPositive();
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "ipc", "inproc"})
  void xsubXpubForwardsSubscriptionsUpstreamAndMessagesDownstream(String transport) {
    Socket publisher = context.socket(SocketType.PUB);
    Socket frontend = context.socket(SocketType.XSUB);
    Socket backend = context.socket(SocketType.XPUB);
    frontend.connect(publisher.bind(local(transport)));
    String subscribers = backend.bind(local(transport));
    Proxy proxy = start(frontend, backend, null);

    Socket subscriber = context.socket(SocketType.SUB);
    subscriber.subscribe("weather");
    subscriber.connect(subscribers);

    // A PUB sends only what someone subscribed to, so the message reaching the subscriber proves the subscription
    // went upstream through XPUB and XSUB to the publisher.
    Message received;
    long deadline = System.nanoTime() + WAIT.toNanos();
    do {
      publisher.send(Message.of("sports", "nil-nil"));
      publisher.send(Message.of("weather", "sunny"));
      received = subscriber.receive(Duration.ofMillis(50));
    } while (received == null && System.nanoTime() < deadline);
    assertThat(received).isEqualTo(Message.of("weather", "sunny"));
    await().atMost(WAIT).until(() -> proxy.statistics().frontendToBackendMessages() >= 1);
    Proxy.Statistics stats = proxy.statistics();
    assertThat(stats.backendToFrontendMessages()).as("subscriptions upstream").isGreaterThanOrEqualTo(1);
    assertThat(stats.frontendToBackendMessages()).as("publications downstream").isGreaterThanOrEqualTo(1);
  }

  @Test
  void xsubXpubTellsThePublisherAboutSubscriptions() {
    Socket publisher = context.socket(SocketType.XPUB);
    Socket frontend = context.socket(SocketType.XSUB);
    Socket backend = context.socket(SocketType.XPUB);
    frontend.connect(publisher.bind("tcp://127.0.0.1:*"));
    String subscribers = backend.bind("tcp://127.0.0.1:*");
    start(frontend, backend, null);

    Socket subscriber = context.socket(SocketType.SUB);
    subscriber.subscribe("news");
    subscriber.connect(subscribers);

    Message subscription = publisher.receive(WAIT);
    assertThat(subscription).isNotNull();
    assertThat(subscription.frame(0)).containsExactly(1, 'n', 'e', 'w', 's');
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "ipc", "inproc"})
  void pullPushStreamsOneWayAndCapturesEveryMessage(String transport) {
    Socket frontend = context.socket(SocketType.PULL);
    Socket backend = context.socket(SocketType.PUSH);
    Socket capture = context.socket(SocketType.PUSH);
    String in = frontend.bind(local(transport));
    String out = backend.bind(local(transport));
    Socket captured = context.socket(SocketType.PULL);
    captured.connect(capture.bind(local(transport)));
    Proxy proxy = start(frontend, backend, capture);

    Socket producer = context.socket(SocketType.PUSH);
    producer.connect(in);
    Socket consumer = context.socket(SocketType.PULL);
    consumer.connect(out);
    for (int i = 0; i < 100; i++) {
      producer.send(Message.of("task " + i, "payload"));
    }
    for (int i = 0; i < 100; i++) {
      assertThat(consumer.receive(WAIT)).isEqualTo(Message.of("task " + i, "payload"));
    }
    for (int i = 0; i < 100; i++) {
      assertThat(captured.receive(WAIT)).isEqualTo(Message.of("task " + i, "payload"));
    }
    assertThat(proxy.statistics())
        .isEqualTo(new Proxy.Statistics(100, Message.of("task 0", "payload").byteSize() * 10
            + (Message.of("task 10", "payload").byteSize()) * 90, 0, 0));
  }

  @ParameterizedTest
  @CsvSource({"inproc, false", "tcp, true"})
  void captureOnPubSeesBothDirectionsOfARouterDealerQueue(String transport, boolean zeroCopy) {
    SocketOptions options = SocketOptions.builder().zeroCopyReceive(zeroCopy).build();
    Socket frontend = context.socket(SocketType.ROUTER, options);
    Socket backend = context.socket(SocketType.DEALER, options);
    Socket capture = context.socket(SocketType.PUB);
    String clients = frontend.bind(local(transport));
    String workers = backend.bind(local(transport));
    Socket tap = context.socket(SocketType.SUB);
    tap.subscribe("");
    tap.connect(capture.bind("inproc://capture-tap"));
    start(frontend, backend, capture);

    Socket worker = context.socket(SocketType.REP);
    worker.connect(workers);
    Socket client = context.socket(SocketType.REQ);
    client.connect(clients);
    client.send(Message.of("ping"));
    assertThat(worker.receive(WAIT)).isEqualTo(Message.of("ping"));
    worker.send(Message.of("pong"));
    assertThat(client.receive(WAIT)).isEqualTo(Message.of("pong"));

    Message request = tap.receive(WAIT);
    Message reply = tap.receive(WAIT);
    assertThat(request.size()).isEqualTo(3); // routing id, delimiter, body
    assertThat(request.frameString(2)).isEqualTo("ping");
    assertThat(reply.frameString(2)).isEqualTo("pong");
    assertThat(reply.frame(0)).isEqualTo(request.frame(0));
  }

  @Test
  void pauseHoldsMessagesAndResumeDeliversThem() {
    Socket frontend = context.socket(SocketType.PULL);
    Socket backend = context.socket(SocketType.PUSH);
    String in = frontend.bind("inproc://pause-in");
    String out = backend.bind("inproc://pause-out");
    Proxy proxy = start(frontend, backend, null);
    Socket producer = context.socket(SocketType.PUSH);
    producer.connect(in);
    Socket consumer = context.socket(SocketType.PULL);
    consumer.connect(out);

    producer.send(Message.of("before"));
    assertThat(consumer.receive(WAIT)).isEqualTo(Message.of("before"));

    proxy.pause();
    assertThat(proxy.isPaused()).isTrue();
    for (int i = 0; i < 10; i++) {
      producer.send(Message.of("during " + i));
    }
    assertThat(consumer.receive(QUIET)).as("nothing passes while paused").isNull();
    assertThat(proxy.statistics().frontendToBackendMessages()).isEqualTo(1);

    proxy.resume();
    for (int i = 0; i < 10; i++) {
      assertThat(consumer.receive(WAIT)).isEqualTo(Message.of("during " + i));
    }
    await().atMost(WAIT).until(() -> proxy.statistics().frontendToBackendMessages() == 11);
  }

  @ParameterizedTest
  @CsvSource({"inproc, false", "tcp, true"})
  void aFullOutputHoldsOneDirectionWhileTheOtherFlows(String transport, boolean zeroCopy) {
    SocketOptions options = SocketOptions.builder().zeroCopyReceive(zeroCopy).build();
    Socket frontend = context.socket(SocketType.ROUTER, options);
    Socket backend = context.socket(SocketType.DEALER, options);
    String clients = frontend.bind(local(transport));
    backend.bind(local(transport)); // no worker: requests have nowhere to go; a held direct one is released at the end
    Proxy proxy = start(frontend, backend, null);
    Socket client = context.socket(SocketType.DEALER);
    client.connect(clients);
    client.send(Message.of("", "stuck"));
    await().atMost(WAIT).until(() -> proxy.statistics().frontendToBackendMessages() == 0 && proxy.isRunning());
    proxy.pause();
    proxy.resume();
    assertThat(proxy.terminate(WAIT)).isTrue();
  }

  @Test
  void terminateStopsTheThreadAndLeavesTheSocketsOpen() {
    Socket frontend = context.socket(SocketType.PULL);
    Socket backend = context.socket(SocketType.PUSH);
    frontend.bind("inproc://terminate-in");
    Proxy proxy = start(frontend, backend, null);
    assertThat(proxy.isRunning()).isTrue();
    assertThat(proxy.terminate(WAIT)).isTrue();
    assertThat(proxy.isRunning()).isFalse();
    assertThat(proxy.failure()).isEmpty();
    assertThat(frontend.isClosed()).isFalse();
    proxy.terminate(); // idempotent

    // the cancelled receive gave its claim back: a later message is still there for the owner
    Socket producer = context.socket(SocketType.PUSH);
    producer.connect("inproc://terminate-in");
    producer.send(Message.of("after"));
    assertThat(frontend.receive(WAIT)).isEqualTo(Message.of("after"));
  }

  @Test
  void closingASocketUnderTheProxyStopsItWithAReason() {
    Socket frontend = context.socket(SocketType.PULL);
    Socket backend = context.socket(SocketType.PUSH);
    Proxy proxy = start(frontend, backend, null);
    frontend.close();
    assertThat(proxy.awaitTermination(WAIT)).isTrue();
    assertThat(proxy.failure()).isPresent();
  }

  @Test
  void rejectsPairsThatCannotForward() {
    Socket push1 = context.socket(SocketType.PUSH);
    Socket push2 = context.socket(SocketType.PUSH);
    Socket pull = context.socket(SocketType.PULL);
    assertThatThrownBy(() -> Proxy.start(push1, push2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("frontend/backend: PUSH/PUSH (expected: ");
    assertThatThrownBy(() -> Proxy.start(pull, push1, pull))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("capture: PULL");
  }

  /**
   * An idle proxy sleeps in its poller without a timeout (WAITING, not TIMED_WAITING): it is woken by its sockets, not
   * by a timer. It used to look again every 100 ms when idle, and every 1 ms while an output was full.
   */
  @Test
  void anIdleProxySleepsWithoutATimerAndStillWakesForAMessage() {
    Socket frontend = context.socket(SocketType.PULL);
    Socket backend = context.socket(SocketType.PUSH);
    String in = frontend.bind("inproc://idle-in");
    backend.bind("inproc://idle-out");
    Proxy proxy = start(frontend, backend, null);
    await().atMost(WAIT).until(() -> proxyThreadState() == Thread.State.WAITING);

    Socket sender = context.socket(SocketType.PUSH);
    sender.connect(in);
    Socket receiver = context.socket(SocketType.PULL);
    receiver.connect("inproc://idle-out");
    sender.send(Message.of("wake up"));
    assertThat(receiver.receive(WAIT)).isEqualTo(Message.of("wake up"));
    await().atMost(WAIT).until(() -> proxyThreadState() == Thread.State.WAITING);
    assertThat(proxy.isRunning()).isTrue();
  }

  /**
   * A message held for lack of room waits for the output to become writable, without a timer, and goes as soon as a
   * peer for the output arrives.
   */
  @Test
  void aHeldMessageGoesAsSoonAsTheOutputHasRoom() {
    Socket frontend = context.socket(SocketType.PULL);
    Socket backend = context.socket(SocketType.PUSH);
    String in = frontend.bind("inproc://held-in");
    Proxy proxy = start(frontend, backend, null);
    Socket sender = context.socket(SocketType.PUSH);
    sender.connect(in);
    sender.send(Message.of("held")); // inproc: queued at the frontend when send returns
    await().atMost(WAIT).until(() -> frontend.statistics().queuedInbound() == 0
        && proxyThreadState() == Thread.State.WAITING);
    assertThat(proxy.statistics().frontendToBackendMessages()).isZero();

    Socket receiver = context.socket(SocketType.PULL);
    receiver.bind("inproc://held-out");
    backend.connect("inproc://held-out");
    assertThat(receiver.receive(WAIT)).isEqualTo(Message.of("held"));
    await().atMost(WAIT).until(() -> proxy.statistics().frontendToBackendMessages() == 1);
  }

  private static Thread.State proxyThreadState() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("switchboard-proxy-"))
        .map(Thread::getState)
        .findFirst().orElse(Thread.State.TERMINATED);
  }
}
