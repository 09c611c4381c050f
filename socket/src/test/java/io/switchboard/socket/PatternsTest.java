package io.switchboard.socket;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every pattern between two Switchboard sockets, over every transport. */
@ExtendWith(NoLeakedThreads.class)
class PatternsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @AutoClose private final Context context = new Context();

  private static String local(String transport) {
    switch (transport) {
      case "tcp": return "tcp://127.0.0.1:*";
      case "ipc": return "ipc://*";
      default: return "inproc://patterns-" + System.nanoTime();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "ipc", "inproc"})
  void pushPull(String transport) {
    Socket pull = context.socket(SocketType.PULL);
    Socket push = context.socket(SocketType.PUSH);
    push.connect(pull.bind(local(transport)));
    for (int i = 0; i < 100; i++) {
      push.send(Message.of("m" + i, "second"));
    }
    for (int i = 0; i < 100; i++) {
      assertThat(pull.receive(WAIT)).isEqualTo(Message.of("m" + i, "second"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "ipc", "inproc"})
  void reqRep(String transport) {
    Socket rep = context.socket(SocketType.REP);
    Socket req = context.socket(SocketType.REQ);
    req.connect(rep.bind(local(transport)));
    for (int i = 0; i < 10; i++) {
      req.send(Message.of("hello " + i));
      Message request = rep.receive(WAIT);
      assertThat(request).isEqualTo(Message.of("hello " + i));
      rep.send(Message.of("world " + i));
      assertThat(req.receive(WAIT)).isEqualTo(Message.of("world " + i));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "ipc", "inproc"})
  void pubSub(String transport) {
    Socket pub = context.socket(SocketType.PUB);
    Socket sub = context.socket(SocketType.SUB);
    sub.subscribe("weather");
    sub.connect(pub.bind(local(transport)));
    Message m;
    do {
      pub.send(Message.of("sports", "x"));
      pub.send(Message.of("weather", "sunny"));
      m = sub.receive(Duration.ofMillis(50));
    } while (m == null);
    assertThat(m).isEqualTo(Message.of("weather", "sunny"));
  }

  /**
   * One publisher, subscribers on every transport and one it dialled itself: each gets every message once, in order,
   * including those published just before the publisher closes (its linger waits until every pipe has drained).
   */
  @Test
  void aPublisherFansOutToEverySubscriberInOrderAndDeliversWhatItPublishedBeforeClosing() {
    Socket pub = context.socket(SocketType.PUB, SocketOptions.builder().sendHighWaterMark(0).build());
    String tcp = pub.bind(local("tcp"));
    String ipc = pub.bind(local("ipc"));
    String inproc = pub.bind(local("inproc"));
    List<Socket> subs = new ArrayList<>();
    for (String endpoint : List.of(tcp, tcp, tcp, tcp, ipc, ipc, inproc, inproc)) {
      Socket sub = context.socket(SocketType.SUB);
      sub.subscribe("t");
      sub.connect(endpoint);
      subs.add(sub);
    }
    Socket dialled = context.socket(SocketType.SUB);
    dialled.subscribe("t");
    pub.connect(dialled.bind(local("tcp")));
    subs.add(dialled);
    // Until every subscription has arrived: probes, which each subscriber reads until the first one.
    List<Socket> waiting = new ArrayList<>(subs);
    while (!waiting.isEmpty()) {
      pub.send(Message.of("t", "probe"));
      waiting.removeIf(sub -> sub.receive(Duration.ofMillis(20)) != null);
    }
    int count = 2_000;
    for (int i = 0; i < count; i++) {
      pub.send(Message.of("t", Integer.toString(i)));
    }
    pub.close();
    for (Socket sub : subs) {
      int next = 0;
      while (next < count) {
        Message m = sub.receive(WAIT);
        assertThat(m).as("message %d of %s", next, sub).isNotNull();
        if (!m.frameString(1).equals("probe")) {
          assertThat(m.frameString(1)).isEqualTo(Integer.toString(next));
          next++;
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "ipc", "inproc"})
  void routerDealer(String transport) {
    Socket router = context.socket(SocketType.ROUTER);
    Socket dealer = context.socket(SocketType.DEALER, SocketOptions.builder().identity("d1".getBytes()).build());
    dealer.connect(router.bind(local(transport)));
    dealer.send(Message.of("a", "b"));
    Message in = router.receive(WAIT);
    assertThat(in).isEqualTo(Message.of("d1", "a", "b"));
    router.send(Message.of("d1", "reply"));
    assertThat(dealer.receive(WAIT)).isEqualTo(Message.of("reply"));
  }

  /** The routing id goes in front of messages of one, two and three frames, built so by each transport's source. */
  @ParameterizedTest
  @ValueSource(strings = {"tcp", "ipc", "inproc"})
  void routerPutsTheRoutingIdInFrontOfEveryLength(String transport) {
    Socket router = context.socket(SocketType.ROUTER);
    Socket dealer = context.socket(SocketType.DEALER, SocketOptions.builder().identity("d2".getBytes()).build());
    dealer.connect(router.bind(local(transport)));
    Message[] sent = {Message.of("a"), Message.of("a", "b"), Message.of("a", "b", "c"), Message.of("", "x")};
    for (Message m : sent) {
      dealer.send(m);
    }
    for (Message m : sent) {
      Message in = router.receive(WAIT);
      assertThat(in).isEqualTo(Message.of("d2".getBytes()).append(m));
      router.send(in);
    }
    for (Message m : sent) {
      assertThat(dealer.receive(WAIT)).isEqualTo(m);
    }
  }

  /** ROUTER to ROUTER: the sender's routing id is left out and the receiver's put in front, over every transport. */
  @ParameterizedTest
  @ValueSource(strings = {"tcp", "ipc", "inproc"})
  void routerToRouter(String transport) {
    Socket server = context.socket(SocketType.ROUTER, SocketOptions.builder().identity("srv".getBytes()).build());
    Socket client = context.socket(SocketType.ROUTER,
        SocketOptions.builder().identity("cli".getBytes()).routerMandatory(true).build());
    client.connect(server.bind(local(transport)));
    long deadline = System.nanoTime() + WAIT.toNanos();
    for (;;) {
      try {
        client.send(Message.of("srv", "a", "b"));
        break;
      } catch (RoutingException notConnectedYet) {
        assertThat(System.nanoTime() - deadline).as("connected within %s", WAIT).isNegative();
        Thread.onSpinWait();
      }
    }
    assertThat(server.receive(WAIT)).isEqualTo(Message.of("cli", "a", "b"));
    server.send(Message.of("cli", "r"));
    assertThat(client.receive(WAIT)).isEqualTo(Message.of("srv", "r"));
  }
}
