package io.switchboard.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Socket#send(DirectMessage)}: messages of buffers go out without a copy of their large frames, arrive whole
 * over every transport, and are released by the socket once written or dropped, never by the caller twice. Leaks
 * fail the class: Netty's detector runs at PARANOID level here.
 */
@ExtendWith(NoLeakedThreads.class)
class ZeroCopySendTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @AutoClose private final Context context = new Context();
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "ipc", "inproc"})
  void smallAndLargeFramesArriveWholeAndTheBuffersAreReleasedOnceWritten(String transport) {
    Socket pull = context.socket(SocketType.PULL);
    Socket push = context.socket(SocketType.PUSH);
    push.connect(pull.bind(endpoint(transport)));
    List<ByteBuf> sent = new ArrayList<>();
    int[] sizes = {1, 100, 16 * 1024, 200_000};
    for (int size : sizes) {
      ByteBuf body = direct(body(size));
      ByteBuf tail = direct("tail".getBytes(StandardCharsets.UTF_8));
      sent.add(body);
      sent.add(tail);
      push.send(DirectMessage.of(body, tail));
    }
    for (int size : sizes) {
      Message m = pull.receive(WAIT);
      assertThat(m).as("size %d", size).isNotNull();
      assertThat(m.frame(0)).isEqualTo(body(size));
      assertThat(m.frameString(1)).isEqualTo("tail");
    }
    await().atMost(WAIT).untilAsserted(() -> assertThat(sent).allSatisfy(b -> assertThat(b.refCnt()).isZero()));
  }

  @Test
  void overInprocADirectMessageGoesByReferenceToAZeroCopyPeerAndAsACopyToAnyOther() {
    Socket zeroCopy = context.socket(SocketType.PULL, SocketOptions.builder().zeroCopyReceive(true).build());
    Socket plain = context.socket(SocketType.PULL);
    Socket toZeroCopy = context.socket(SocketType.PUSH);
    Socket toPlain = context.socket(SocketType.PUSH);
    toZeroCopy.connect(zeroCopy.bind("inproc://zero-copy-by-reference"));
    toPlain.connect(plain.bind("inproc://zero-copy-copied"));
    ByteBuf shared = direct(body(100));
    toZeroCopy.send(DirectMessage.of(shared));
    try (DirectMessage m = zeroCopy.receiveDirect(WAIT)) {
      assertThat(m.frame(0)).as("the very buffer sent").isSameAs(shared);
    }
    assertThat(shared.refCnt()).isZero();
    ByteBuf copied = direct(body(100));
    toPlain.send(DirectMessage.of(copied));
    assertThat(copied.refCnt()).as("copied for the peer, then released").isZero();
    assertThat(plain.receive(WAIT).frame(0)).isEqualTo(body(100));
  }

  @Test
  void aReceivedDirectMessagePassesOnWithoutACopy() {
    Socket in = context.socket(SocketType.PULL, SocketOptions.builder().zeroCopyReceive(true).build());
    Socket forward = context.socket(SocketType.PUSH);
    Socket out = context.socket(SocketType.PULL);
    Socket source = context.socket(SocketType.PUSH);
    source.connect(in.bind("tcp://127.0.0.1:0"));
    forward.connect(out.bind("tcp://127.0.0.1:0"));
    for (int i = 0; i < 20; i++) {
      source.send(Message.of(body(i % 2 == 0 ? 50 : 70_000), ("n" + i).getBytes(StandardCharsets.UTF_8)));
    }
    for (int i = 0; i < 20; i++) {
      forward.send(in.receiveDirect(WAIT)); // the proxy's loop: the socket takes the message over
    }
    for (int i = 0; i < 20; i++) {
      Message m = out.receive(WAIT);
      assertThat(m.frame(0)).isEqualTo(body(i % 2 == 0 ? 50 : 70_000));
      assertThat(m.frameString(1)).isEqualTo("n" + i);
    }
  }

  @Test
  void aPublisherGivesEverySubscriberItsOwnReferenceAndReleasesThemAll() {
    Socket pub = context.socket(SocketType.PUB);
    String tcp = pub.bind("tcp://127.0.0.1:0");
    pub.bind("inproc://zero-copy-pub");
    List<Socket> subs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Socket sub = context.socket(SocketType.SUB);
      sub.connect(i == 2 ? "inproc://zero-copy-pub" : tcp);
      sub.subscribe("t");
      subs.add(sub);
    }
    awaitSubscribed(pub, subs);
    ByteBuf big = direct(body(100_000));
    pub.send(DirectMessage.of(direct("t".getBytes(StandardCharsets.UTF_8)), big));
    ByteBuf unwanted = direct("x".getBytes(StandardCharsets.UTF_8));
    pub.send(DirectMessage.of(unwanted));
    assertThat(unwanted.refCnt()).as("matched by no one: released at once").isZero();
    for (Socket sub : subs) {
      Message m = sub.receive(WAIT);
      while (m != null && m.frameString(0).equals("t-probe")) {
        m = sub.receive(WAIT); // probes still on their way
      }
      assertThat(m).isNotNull();
      assertThat(m.frameString(0)).isEqualTo("t");
      assertThat(m.frame(1)).isEqualTo(body(100_000));
    }
    await().atMost(WAIT).until(() -> big.refCnt() == 0);
  }

  @Test
  void aMessageThePublisherSharesReachesEveryInprocSubscriberAsItsOwnPastTheWindow() {
    // The bench's publisher: one message, a reference retained for every send. Each zero-copy subscriber gets a
    // duplicate of its own, so that its reader index is its own, and so that its pipe is the one credited when it is
    // taken (all three pipes' windows of 20 were once credited to the last, and the others stalled at message 17).
    SocketOptions small = SocketOptions.builder().sendHighWaterMark(10).receiveHighWaterMark(10).build();
    Socket pub = context.socket(SocketType.PUB, small);
    pub.bind("inproc://zero-copy-shared");
    List<Socket> subs = inprocSubscribers(pub, "inproc://zero-copy-shared", small, true, true, true);
    ByteBuf body = direct("t-shared".getBytes(StandardCharsets.UTF_8));
    try (DirectMessage shared = DirectMessage.of(body)) {
      for (int i = 0; i < 200; i++) {
        pub.send(shared.retain());
        for (Socket sub : subs) {
          try (DirectMessage m = sub.receiveDirect(WAIT)) {
            assertThat(m).as("message %d", i).isNotNull();
            assertThat(m.frame(0).readCharSequence(8, StandardCharsets.UTF_8)).hasToString("t-shared");
          }
        }
      }
      assertThat(shared.refCnt()).as("every subscriber's reference released").isOne();
    }
    assertThat(body.refCnt()).isZero();
  }

  @Test
  void aPublisherCountsEveryDropAndReleasesEveryReferenceWhenSubscribersAreFull() {
    // A publisher takes the references of all pipes with room in one step, before offering: each drop must still be
    // counted, and what is not handed out released.
    SocketOptions small = SocketOptions.builder().sendHighWaterMark(5).receiveHighWaterMark(5).build();
    Socket pub = context.socket(SocketType.PUB, small);
    pub.bind("inproc://zero-copy-full");
    List<Socket> subs = inprocSubscribers(pub, "inproc://zero-copy-full", small, true, false, true);
    long droppedBefore = pub.statistics().dropped();
    ByteBuf body = direct("t-full".getBytes(StandardCharsets.UTF_8));
    try (DirectMessage shared = DirectMessage.of(body)) {
      for (int i = 0; i < 30; i++) {
        pub.send(shared.retain());
      }
      // Each subscriber's window is its send mark plus its receive mark: 10 of the 30 each, 20 dropped for each.
      assertThat(pub.statistics().dropped() - droppedBefore).isEqualTo(3 * 20);
      for (Socket sub : subs) {
        for (int i = 0; i < 10; i++) {
          try (DirectMessage m = sub.receiveDirect(WAIT)) {
            assertThat(m).as("message %d", i).isNotNull();
          }
        }
        assertThat(sub.tryReceiveDirect()).isNull();
      }
      assertThat(shared.refCnt()).as("every subscriber's reference released").isOne();
    }
    assertThat(body.refCnt()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "inproc"})
  void aRouterEchoesWhatItReceivedWithoutACopyRoutedByItsFirstFrame(String transport) {
    Socket router = context.socket(SocketType.ROUTER, SocketOptions.builder().zeroCopyReceive(true).build());
    Socket dealer = context.socket(SocketType.DEALER);
    dealer.connect(router.bind(endpoint(transport)));
    for (int i = 0; i < 10; i++) {
      dealer.send(Message.of(body(i % 2 == 0 ? 10 : 50_000), ("n" + i).getBytes(StandardCharsets.UTF_8)));
    }
    for (int i = 0; i < 10; i++) {
      router.send(router.receiveDirect(WAIT)); // [routing id, body, n]: back to where it came from
    }
    for (int i = 0; i < 10; i++) {
      Message echo = dealer.receive(WAIT);
      assertThat(echo.size()).isEqualTo(2);
      assertThat(echo.frame(0)).isEqualTo(body(i % 2 == 0 ? 10 : 50_000));
      assertThat(echo.frameString(1)).isEqualTo("n" + i);
    }
  }

  @Test
  void aRouterReleasesWhatItCannotRouteUnlessMandatoryWhereTheCallerKeepsIt() {
    Socket router = context.socket(SocketType.ROUTER);
    ByteBuf body = direct(new byte[] {1});
    router.send(DirectMessage.of(direct("nobody".getBytes(StandardCharsets.UTF_8)), body));
    assertThat(body.refCnt()).as("dropped: released").isZero();
    Socket mandatory = context.socket(SocketType.ROUTER, SocketOptions.builder().routerMandatory(true).build());
    try (DirectMessage m = DirectMessage.of(direct("nobody".getBytes(StandardCharsets.UTF_8)), direct(new byte[1]))) {
      assertThatThrownBy(() -> mandatory.send(m)).isInstanceOf(RoutingException.class);
      assertThat(m.refCnt()).isOne();
    }
  }

  @ParameterizedTest
  @EnumSource(value = SocketType.class, names = {"REQ", "REP", "SUB", "XSUB", "PULL"})
  void otherSocketTypesRefuseItAndTheCallerKeepsTheMessage(SocketType type) {
    Socket socket = context.socket(type);
    try (DirectMessage m = DirectMessage.of(direct(new byte[] {1}))) {
      assertThatThrownBy(() -> socket.send(m))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("send(DirectMessage): not on a " + type
              + " socket (expected: PUSH, DEALER, PAIR, ROUTER, PUB or XPUB)");
      assertThat(m.refCnt()).isOne();
    }
  }

  @Test
  void aSendNotTakenLeavesTheMessageWithTheCaller() {
    Socket push = context.socket(SocketType.PUSH);
    try (DirectMessage m = DirectMessage.of(direct(new byte[] {1}))) {
      assertThat(push.trySend(m)).as("no peer: would block").isFalse();
      assertThat(push.send(m, Duration.ofMillis(20))).isFalse();
      assertThat(m.refCnt()).isOne();
      assertThatThrownBy(() -> push.send(DirectMessage.of())).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void messagesQueuedWhenThePipeClosesAreReleasedConnectedOrNot() {
    // One PUSH whose peer never comes (its messages wait in the pipe), one whose peer takes nothing (they wait in
    // the pipe and the connection's buffers): both closed without a linger.
    Socket waiting = context.socket(SocketType.PUSH, SocketOptions.builder().linger(Duration.ZERO).build());
    waiting.connect("tcp://127.0.0.1:1");
    Socket pull = context.socket(SocketType.PULL, SocketOptions.builder().receiveHighWaterMark(1).build());
    Socket stuck = context.socket(SocketType.PUSH, SocketOptions.builder().linger(Duration.ZERO).build());
    stuck.connect(pull.bind(endpoint("tcp")));
    List<ByteBuf> sent = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      ByteBuf a = direct(body(i % 2 == 0 ? 10 : 40_000));
      ByteBuf b = direct(body(i % 2 == 0 ? 10 : 40_000));
      sent.add(a);
      sent.add(b);
      assertThat(waiting.send(DirectMessage.of(a), WAIT)).isTrue();
      DirectMessage m = DirectMessage.of(b);
      if (!stuck.send(m, Duration.ofMillis(5))) {
        m.close(); // not taken: still ours
      }
    }
    waiting.close();
    stuck.close();
    await().atMost(WAIT).untilAsserted(() -> assertThat(sent).allSatisfy(b -> assertThat(b.refCnt()).isZero()));
  }

  /** Subscriptions reach a publisher asynchronously: publishes probes until each subscriber has one. */
  /**
   * SUBs of topic "t" connected to {@code pub} over inproc, zero-copy or not as given, subscribed, with the probes
   * of {@link #awaitSubscribed} taken: inproc hands them over at once, so nothing else is queued after this.
   */
  private List<Socket> inprocSubscribers(Socket pub, String endpoint, SocketOptions options, boolean... zeroCopy) {
    List<Socket> subs = new ArrayList<>();
    for (boolean z : zeroCopy) {
      Socket sub = context.socket(SocketType.SUB, options.toBuilder().zeroCopyReceive(z).build());
      sub.connect(endpoint);
      sub.subscribe("t");
      subs.add(sub);
    }
    awaitSubscribed(pub, subs);
    for (Socket sub : subs) {
      for (DirectMessage probe; (probe = sub.tryReceiveDirect()) != null; ) {
        probe.release();
      }
    }
    return subs;
  }

  private static void awaitSubscribed(Socket pub, List<Socket> subs) {
    for (Socket sub : subs) {
      DirectMessage probe = null;
      for (long deadline = System.nanoTime() + WAIT.toNanos(); probe == null && System.nanoTime() < deadline; ) {
        pub.send(DirectMessage.of(direct("t-probe".getBytes(StandardCharsets.UTF_8))));
        probe = sub.receiveDirect(Duration.ofMillis(20));
      }
      assertThat(probe).isNotNull();
      probe.release();
    }
  }

  private String endpoint(String transport) {
    switch (transport) {
      case "tcp": return "tcp://127.0.0.1:0";
      case "ipc": return "ipc://" + dir.resolve("zero-copy-send.sock");
      default: return "inproc://zero-copy-send-" + System.nanoTime();
    }
  }

  private static ByteBuf direct(byte[] content) {
    return PooledByteBufAllocator.DEFAULT.directBuffer(content.length).writeBytes(content);
  }

  private static byte[] body(int size) {
    byte[] b = new byte[size];
    Arrays.fill(b, (byte) size);
    if (size > 0) {
      b[0] = 7;
    }
    return b;
  }
}
