package io.switchboard.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.switchboard.zmtp.ZmtpCommand;
import io.switchboard.zmtp.ZmtpGreeting;
import io.switchboard.zmtp.ZmtpMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The libzmq semantics Switchboard promises: queueing, reconnection, high-water marks, closing, errors. */
@ExtendWith(NoLeakedThreads.class)
class SemanticsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final SocketOptions FAST_RECONNECT = SocketOptions.builder()
      .reconnectInterval(Duration.ofMillis(20)).reconnectIntervalMax(Duration.ofMillis(100)).build();
  @AutoClose private final Context context = new Context();
  @TempDir Path dir;

  private String ipc(String name) {
    return "ipc://" + dir.resolve(name);
  }

  private static List<MonitorEvent> events(Socket socket) {
    List<MonitorEvent> events = new CopyOnWriteArrayList<>();
    socket.addMonitor(events::add);
    return events;
  }

  private static boolean has(List<MonitorEvent> events, MonitorEvent.Type type) {
    return events.stream().anyMatch(e -> e.type() == type);
  }

  @Test
  void connectBeforeBindQueuesUntilThePeerArrives() {
    String endpoint = ipc("late.ipc");
    Socket push = context.socket(SocketType.PUSH, FAST_RECONNECT);
    push.connect(endpoint);
    push.send(Message.of("early"));
    Socket pull = context.socket(SocketType.PULL);
    pull.bind(endpoint);
    assertThat(pull.receive(WAIT)).isEqualTo(Message.of("early"));
  }

  @Test
  void inprocConnectBeforeBind() {
    Socket push = context.socket(SocketType.PUSH);
    push.connect("inproc://later");
    push.send(Message.of("early"));
    Socket pull = context.socket(SocketType.PULL);
    pull.bind("inproc://later");
    assertThat(pull.receive(WAIT)).isEqualTo(Message.of("early"));
  }

  @Test
  void closeDeliversToAPeerThatConnectsWhileLingering() {
    String endpoint = ipc("linger.ipc");
    Socket push = context.socket(SocketType.PUSH, SocketOptions.builder().linger(Duration.ofSeconds(5)).build());
    push.connect(endpoint);
    push.send(Message.of("queued"));
    Socket pull = context.socket(SocketType.PULL);
    CompletableFuture<Void> closing = CompletableFuture.runAsync(push::close);
    pull.bind(endpoint);
    assertThat(pull.receive(WAIT)).isEqualTo(Message.of("queued"));
    closing.join();
  }

  @Test
  void inprocSubscriptionsMadeBeforeThePublisherConnectsReachIt() {
    Socket sub = context.socket(SocketType.SUB);
    sub.bind("inproc://early-sub");
    sub.subscribe("a");
    Socket pub = context.socket(SocketType.PUB);
    pub.connect("inproc://early-sub");
    pub.send(Message.of("b"));
    pub.send(Message.of("a"));
    assertThat(sub.receive(WAIT)).isEqualTo(Message.of("a"));
  }

  @Test
  void reconnectsAfterThePeerRestarts() {
    String endpoint = ipc("restart.ipc");
    Socket push = context.socket(SocketType.PUSH, FAST_RECONNECT);
    List<MonitorEvent> events = events(push);
    Socket first = context.socket(SocketType.PULL);
    first.bind(endpoint);
    push.connect(endpoint);
    push.send(Message.of("one"));
    assertThat(first.receive(WAIT)).isEqualTo(Message.of("one"));
    first.close();
    await().atMost(WAIT).until(() -> has(events, MonitorEvent.Type.RECONNECT_SCHEDULED));
    push.send(Message.of("while away"));
    Socket second = context.socket(SocketType.PULL);
    second.bind(endpoint);
    assertThat(second.receive(WAIT)).isEqualTo(Message.of("while away"));
    assertThat(events).extracting(MonitorEvent::type).contains(MonitorEvent.Type.CONNECTED,
        MonitorEvent.Type.DISCONNECTED, MonitorEvent.Type.RECONNECT_SCHEDULED);
  }

  @Test
  void pushStopsAtTheHighWaterMark() {
    Socket push = context.socket(SocketType.PUSH, SocketOptions.builder().sendHighWaterMark(10).build());
    push.connect(ipc("nobody.ipc"));
    for (int i = 0; i < 10; i++) {
      assertThat(push.trySend(Message.of("m" + i))).isTrue();
    }
    assertThat(push.trySend(Message.of("over"))).isFalse();
    assertThat(push.send(Message.of("over"), Duration.ofMillis(50))).isFalse();
  }

  @Test
  void pushStopsAtItsLimitInOctetsAndTakesMoreOnceThePeerDrainsTheQueue() {
    String endpoint = ipc("octets.ipc");
    Socket push = context.socket(SocketType.PUSH, SocketOptions.builder().sendHighWaterMark(1000)
        .sendHighWaterBytes(10_000).build());
    push.connect(endpoint);
    byte[] thousand = new byte[1000];
    for (int i = 0; i < 10; i++) {
      assertThat(push.trySend(Message.of(thousand))).isTrue();
    }
    assertThat(push.trySend(Message.of(thousand))).as("10,000 octets queued, 10 of 1,000 messages").isFalse();
    assertThat(push.trySend(Message.of("small"))).isFalse();
    Socket pull = context.socket(SocketType.PULL);
    pull.bind(endpoint);
    for (int i = 0; i < 10; i++) {
      assertThat(pull.receive(WAIT).frame(0)).hasSize(1000);
    }
    assertThat(push.send(Message.of("after"), WAIT)).isTrue();
    assertThat(pull.receive(WAIT)).isEqualTo(Message.of("after"));
  }

  @Test
  void inprocWindowIsBothMarksAndReceiptsFreeABlockedSender() throws Exception {
    SocketOptions marks = SocketOptions.builder().highWaterMark(40).build();
    Socket push = context.socket(SocketType.PUSH, marks);
    Socket pull = context.socket(SocketType.PULL, marks);
    push.connect(pull.bind("inproc://window"));
    int sent = 0;
    while (push.trySend(Message.of(Integer.toString(sent)))) {
      sent++;
    }
    assertThat(sent).as("the window: send mark plus receive mark").isEqualTo(80);
    int total = 100_000;
    Thread sender = new Thread(() -> {
      for (int i = 80; i < total; i++) {
        push.send(Message.of(Integer.toString(i)));
      }
    });
    sender.start();
    for (int i = 0; i < total; i++) {
      assertThat(pull.receive(WAIT)).isEqualTo(Message.of(Integer.toString(i)));
    }
    sender.join(WAIT.toMillis());
    assertThat(sender.isAlive()).isFalse();
    assertThat(pull.tryReceive()).isNull();
  }

  @Test
  void pubDropsAtTheHighWaterMarkAndNeverBlocks() {
    SocketOptions small = SocketOptions.builder().highWaterMark(10).build();
    Socket pub = context.socket(SocketType.PUB, small);
    Socket sub = context.socket(SocketType.SUB, small);
    sub.subscribe("");
    sub.connect(pub.bind("tcp://127.0.0.1:*"));
    Message probe;
    do {
      pub.send(Message.of("probe"));
      probe = sub.receive(Duration.ofMillis(20));
    } while (probe == null);
    for (int i = 0; i < 200_000; i++) {
      pub.send(Message.of("x"));
    }
    int received = 0;
    while (sub.receive(Duration.ofMillis(200)) != null) {
      received++;
    }
    assertThat(received).isLessThan(200_000);
  }

  @Test
  void closeReturnsWithinTheLinger() {
    Socket push = context.socket(SocketType.PUSH, SocketOptions.builder().linger(Duration.ofMillis(200)).build());
    push.connect(ipc("never.ipc"));
    push.send(Message.of("stuck"));
    long start = System.nanoTime();
    push.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThatThrownBy(() -> push.send(Message.of("late"))).isInstanceOf(SocketClosedException.class);
    push.close();
  }

  @Test
  void contextCloseIsBoundedAndIdempotent() {
    Context other = new Context();
    Socket push = other.socket(SocketType.PUSH, SocketOptions.builder().linger(Duration.ofMillis(100)).build());
    push.connect(ipc("never.ipc"));
    push.send(Message.of("stuck"));
    long start = System.nanoTime();
    other.close();
    other.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(push.isClosed()).isTrue();
  }

  @Test
  void closingWakesABlockedReceiver() throws Exception {
    Socket pull = context.socket(SocketType.PULL);
    CompletableFuture<Throwable> failure = CompletableFuture.supplyAsync(() -> {
      try {
        pull.receive();
        return null;
      } catch (RuntimeException e) {
        return e;
      }
    });
    await().atMost(WAIT).until(() -> !failure.isDone());
    pull.close();
    assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOf(SocketClosedException.class);
  }

  @Test
  void interruptLeavesTheSocketUsable() throws Exception {
    Socket pull = context.socket(SocketType.PULL);
    Socket push = context.socket(SocketType.PUSH);
    push.connect(pull.bind("inproc://interrupt"));
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread receiver = new Thread(() -> {
      try {
        pull.receive();
      } catch (RuntimeException e) {
        thrown.set(e);
      }
    });
    receiver.start();
    await().atMost(WAIT).until(() -> receiver.getState() == Thread.State.WAITING);
    receiver.interrupt();
    receiver.join(10_000);
    assertThat(thrown.get()).isInstanceOf(InterruptedOperationException.class);
    push.send(Message.of("still works"));
    assertThat(pull.receive(WAIT)).isEqualTo(Message.of("still works"));
  }

  @Test
  void routerMandatoryFailsLoudly() {
    Socket router = context.socket(SocketType.ROUTER, SocketOptions.builder().routerMandatory(true).build());
    assertThatThrownBy(() -> router.send(Message.of("nobody", "hello")))
        .isInstanceOf(RoutingException.class).hasMessageContaining("nobody");
    Socket quiet = context.socket(SocketType.ROUTER);
    assertThat(quiet.trySend(Message.of("nobody", "hello"))).isTrue();
  }

  @Test
  void reqAndRepEnforceTheirTurns() {
    Socket req = context.socket(SocketType.REQ);
    Socket rep = context.socket(SocketType.REP);
    assertThatThrownBy(() -> req.receive(Duration.ZERO)).isInstanceOf(RoutingException.class);
    assertThatThrownBy(() -> rep.send(Message.of("x"))).isInstanceOf(RoutingException.class);
    req.connect(rep.bind("inproc://turns"));
    req.send(Message.of("a"));
    assertThatThrownBy(() -> req.send(Message.of("b"))).isInstanceOf(RoutingException.class);
    assertThat(rep.receive(WAIT)).isEqualTo(Message.of("a"));
    assertThatThrownBy(() -> rep.receive(Duration.ZERO)).isInstanceOf(RoutingException.class);
  }

  @Test
  void wrongDirectionIsAUsageError() {
    assertThatThrownBy(() -> context.socket(SocketType.PULL).send(Message.of("x")))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> context.socket(SocketType.PUB).receive(Duration.ZERO))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void pushRoundRobinsAcrossPeers() {
    Socket push = context.socket(SocketType.PUSH);
    Socket a = context.socket(SocketType.PULL);
    Socket b = context.socket(SocketType.PULL);
    push.connect(a.bind("inproc://rr-a"));
    push.connect(b.bind("inproc://rr-b"));
    for (int i = 0; i < 10; i++) {
      push.send(Message.of("m" + i));
    }
    for (int i = 0; i < 5; i++) {
      assertThat(a.receive(WAIT)).isNotNull();
      assertThat(b.receive(WAIT)).isNotNull();
    }
  }

  @Test
  void aConnectToAnUnknownHostSaysSo() {
    Socket push = context.socket(SocketType.PUSH);
    List<MonitorEvent> events = events(push);
    push.connect("tcp://no-such-host.invalid:5555");
    await().atMost(WAIT).until(() -> has(events, MonitorEvent.Type.CONNECT_FAILED));
    assertThat(events).filteredOn(e -> e.type() == MonitorEvent.Type.CONNECT_FAILED).first()
        .extracting(MonitorEvent::detail).asString().startsWith("unknown host no-such-host.invalid");
  }

  @Test
  void pairTakesOnePeer() {
    Socket pair = context.socket(SocketType.PAIR);
    List<MonitorEvent> events = events(pair);
    String endpoint = pair.bind("tcp://127.0.0.1:*");
    Socket first = context.socket(SocketType.PAIR);
    first.connect(endpoint);
    await().atMost(WAIT).until(() -> has(events, MonitorEvent.Type.ACCEPTED));
    // the peer as users write an address, not InetSocketAddress's "/127.0.0.1:port"
    assertThat(events).filteredOn(e -> e.type() == MonitorEvent.Type.ACCEPTED).extracting(MonitorEvent::endpoint)
        .singleElement().asString().matches(java.util.regex.Pattern.quote(endpoint) + " from 127\\.0\\.0\\.1:\\d+");
    Socket second = context.socket(SocketType.PAIR);
    second.connect(endpoint);
    await().atMost(WAIT).until(() -> has(events, MonitorEvent.Type.HANDSHAKE_FAILED));
    first.send(Message.of("from first"));
    assertThat(pair.receive(WAIT)).isEqualTo(Message.of("from first"));
  }

  @Test
  void xsubForwardsSubscriptionsToXpub() {
    Socket xpub = context.socket(SocketType.XPUB);
    Socket xsub = context.socket(SocketType.XSUB);
    xsub.connect(xpub.bind("tcp://127.0.0.1:*"));
    xsub.send(Message.of(new byte[] {1, 'a'}));
    assertThat(xpub.receive(WAIT)).isEqualTo(Message.of(new byte[] {1, 'a'}));
    xsub.send(Message.of(new byte[] {0, 'a'}));
    assertThat(xpub.receive(WAIT)).isEqualTo(Message.of(new byte[] {0, 'a'}));
  }

  @Test
  void receiveAsyncCompletesAndCancellingLosesNothing() throws Exception {
    Socket pull = context.socket(SocketType.PULL);
    Socket push = context.socket(SocketType.PUSH);
    push.connect(pull.bind("inproc://async"));
    CompletableFuture<Message> cancelled = pull.receiveAsync();
    cancelled.cancel(false);
    CompletableFuture<Message> next = pull.receiveAsync();
    push.send(Message.of("one"));
    assertThat(next.get(10, TimeUnit.SECONDS)).isEqualTo(Message.of("one"));
    push.send(Message.of("two"));
    assertThat(pull.receive(WAIT)).isEqualTo(Message.of("two"));
  }

  @Test
  void garbageIsRefusedAndOtherPeersAreUnaffected() throws Exception {
    Socket pull = context.socket(SocketType.PULL);
    List<MonitorEvent> events = events(pull);
    String endpoint = pull.bind("tcp://127.0.0.1:*");
    int port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    try (java.net.Socket raw = new java.net.Socket("127.0.0.1", port)) {
      raw.setSoTimeout(10_000);
      raw.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(readToEnd(raw.getInputStream())).isLessThanOrEqualTo(64 + 100);
    }
    await().atMost(WAIT).until(() -> has(events, MonitorEvent.Type.HANDSHAKE_FAILED));
    Socket push = context.socket(SocketType.PUSH);
    push.connect(endpoint);
    push.send(Message.of("fine"));
    assertThat(pull.receive(WAIT)).isEqualTo(Message.of("fine"));
  }

  @Test
  void oversizedMessageClosesTheConnection() {
    Socket pull = context.socket(SocketType.PULL, SocketOptions.builder().maxMessageSize(1000).build());
    List<MonitorEvent> events = events(pull);
    Socket push = context.socket(SocketType.PUSH);
    push.connect(pull.bind("tcp://127.0.0.1:*"));
    push.send(Message.of(new byte[600], new byte[600]));
    await().atMost(WAIT).until(() -> has(events, MonitorEvent.Type.PROTOCOL_ERROR));
    assertThat(events).filteredOn(e -> e.type() == MonitorEvent.Type.PROTOCOL_ERROR)
        .first().extracting(MonitorEvent::detail).asString().contains("maxMessageSize");
    push.send(Message.of(new byte[10]));
    assertThat(pull.receive(WAIT)).isEqualTo(Message.of(new byte[10]));
  }

  @Test
  void silentPeerIsDroppedAtTheHandshakeTimeout() throws Exception {
    Socket pull = context.socket(SocketType.PULL,
        SocketOptions.builder().handshakeTimeout(Duration.ofMillis(200)).build());
    List<MonitorEvent> events = events(pull);
    String endpoint = pull.bind("tcp://127.0.0.1:*");
    int port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    try (java.net.Socket raw = new java.net.Socket("127.0.0.1", port)) {
      raw.setSoTimeout(10_000);
      readToEnd(raw.getInputStream());
    }
    assertThat(events).filteredOn(e -> e.type() == MonitorEvent.Type.HANDSHAKE_FAILED)
        .first().extracting(MonitorEvent::detail).asString().contains("not complete");
  }

  @Test
  void heartbeatsDropAPeerThatGoesSilent() throws Exception {
    Socket pull = context.socket(SocketType.PULL, SocketOptions.builder()
        .heartbeatInterval(Duration.ofMillis(50)).heartbeatTimeout(Duration.ofMillis(100)).build());
    List<MonitorEvent> events = events(pull);
    String endpoint = pull.bind("tcp://127.0.0.1:*");
    int port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    try (java.net.Socket raw = new java.net.Socket("127.0.0.1", port)) {
      raw.setSoTimeout(10_000);
      ByteBuf hello = Unpooled.buffer();
      ZmtpGreeting.ours("NULL", false).encode(hello);
      new ZmtpCommand.Ready(ZmtpMetadata.of(Map.of(ZmtpMetadata.SOCKET_TYPE, "PUSH".getBytes(StandardCharsets.US_ASCII))))
          .encode(hello);
      byte[] bytes = new byte[hello.readableBytes()];
      hello.readBytes(bytes);
      raw.getOutputStream().write(bytes);
      readToEnd(raw.getInputStream());
    }
    assertThat(events).extracting(MonitorEvent::type).contains(MonitorEvent.Type.ACCEPTED);
    assertThat(events).filteredOn(e -> e.type() == MonitorEvent.Type.DISCONNECTED)
        .first().extracting(MonitorEvent::detail).asString().contains("heartbeat");
  }

  @Test
  void thousandsOfConnectionsLeaveNoDescriptorBehind() throws Exception {
    Socket pull = context.socket(SocketType.PULL, SocketOptions.builder()
        .handshakeTimeout(Duration.ofMillis(500)).build());
    String endpoint = pull.bind("tcp://127.0.0.1:*");
    int port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    Socket push = context.socket(SocketType.PUSH);
    push.connect(endpoint);
    push.send(Message.of("warm"));
    assertThat(pull.receive(WAIT)).isNotNull();
    long before = openDescriptors();
    for (int i = 0; i < 2000; i++) {
      try (java.net.Socket raw = new java.net.Socket("127.0.0.1", port)) {
        if (i % 2 == 0) {
          raw.getOutputStream().write("garbage".getBytes(StandardCharsets.US_ASCII));
        }
      }
    }
    await().atMost(WAIT).until(() -> openDescriptors() <= before + 5);
    push.send(Message.of("still served"));
    assertThat(pull.receive(WAIT)).isEqualTo(Message.of("still served"));
  }

  private static long openDescriptors() throws IOException {
    try (var files = Files.list(Path.of("/proc/self/fd"))) {
      return files.count();
    }
  }

  @Test
  void badEndpointsAreClearErrors() {
    Socket push = context.socket(SocketType.PUSH);
    assertThatThrownBy(() -> push.connect("tcp://nohost")).isInstanceOf(EndpointException.class)
        .hasMessageContaining("tcp://host:port");
    assertThatThrownBy(() -> push.connect("udp://x:1")).isInstanceOf(EndpointException.class);
    assertThatThrownBy(() -> push.bind("tcp://127.0.0.1:70000")).isInstanceOf(EndpointException.class);
    Socket other = context.socket(SocketType.PULL);
    String endpoint = other.bind("tcp://127.0.0.1:*");
    assertThatThrownBy(() -> context.socket(SocketType.PULL).bind(endpoint))
        .isInstanceOf(EndpointException.class).hasMessageContaining("cannot be bound");
  }

  @Test
  void ipcBindReplacesAStaleSocketFileAndRemovesItOnClose() throws IOException {
    Path file = dir.resolve("stale.ipc");
    Socket first = context.socket(SocketType.PULL);
    first.bind("ipc://" + file);
    assertThat(Files.exists(file)).isTrue();
    first.close();
    assertThat(Files.exists(file)).isFalse();
  }

  private static int readToEnd(InputStream in) throws IOException {
    int total = 0;
    byte[] buf = new byte[1024];
    for (int n; (n = in.read(buf)) >= 0; ) {
      total += n;
    }
    return total;
  }
}
