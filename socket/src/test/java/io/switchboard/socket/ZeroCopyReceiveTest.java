package io.switchboard.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.util.IllegalReferenceCountException;
import io.switchboard.socket.security.CurveKeyPair;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SocketOptions.Builder#zeroCopyReceive} and {@link DirectMessage}: messages from tcp and ipc peers arrive as
 * slices of the buffers they were read into, whole and in order, and every ownership rule holds. Leaks (a message
 * never released, by a test or by the socket) fail the class: Netty's detector runs at PARANOID level here.
 */
@ExtendWith(NoLeakedThreads.class)
class ZeroCopyReceiveTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final SocketOptions ZERO_COPY = SocketOptions.builder().zeroCopyReceive(true).build();
  @AutoClose private final Context context = new Context();
  @TempDir Path dir;

  @Test
  void offByDefaultAndKeptByToBuilder() {
    assertThat(SocketOptions.DEFAULTS.zeroCopyReceive()).isFalse();
    assertThat(ZERO_COPY.toBuilder().highWaterMark(10).build().zeroCopyReceive()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(value = SocketType.class, names = {"REQ", "REP", "PUSH", "PUB", "XPUB"})
  void socketTypesThatLookIntoWhatTheyReceiveRefuseIt(SocketType type) {
    assertThatThrownBy(() -> context.socket(type, ZERO_COPY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("zeroCopyReceive: not for a " + type + " socket (expected: PULL, SUB, XSUB, DEALER, ROUTER or "
            + "PAIR)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "ipc"})
  void everySizeArrivesWholeAndInOrderInDirectBuffers(String transport) {
    Socket pull = context.socket(SocketType.PULL, ZERO_COPY);
    Socket push = context.socket(SocketType.PUSH);
    push.connect(pull.bind(endpoint(transport)));
    int[] sizes = {0, 1, 16, 1024, 8 * 1024 + 1, 64 * 1024, 1024 * 1024};
    for (int round = 0; round < 3; round++) {
      for (int size : sizes) {
        push.send(Message.of(body(size, round), ("tail " + size).getBytes(StandardCharsets.UTF_8)));
      }
    }
    for (int round = 0; round < 3; round++) {
      for (int size : sizes) {
        try (DirectMessage m = pull.receiveDirect(WAIT)) {
          assertThat(m).as("round %d, size %d", round, size).isNotNull();
          assertThat(m.size()).isEqualTo(2);
          assertThat(ByteBufUtil.getBytes(m.frame(0))).isEqualTo(body(size, round));
          assertThat(m.frame(1).toString(StandardCharsets.UTF_8)).isEqualTo("tail " + size);
          if (size > 64) {
            assertThat(m.frame(0).isDirect()).as("a slice of the read buffer").isTrue();
          }
          assertThat(m.frame(1).isDirect()).as("a small frame, copied").isFalse();
          assertThat(m.byteSize()).isEqualTo(size + ("tail " + size).length());
        }
      }
    }
  }

  @Test
  void aPlainReceiveStillWorksAndCopiesOut() {
    Socket pull = context.socket(SocketType.PULL, ZERO_COPY);
    Socket push = context.socket(SocketType.PUSH);
    push.connect(pull.bind("tcp://127.0.0.1:0"));
    push.send("one");
    push.send("two");
    assertThat(pull.receive(WAIT).frameString(0)).isEqualTo("one");
    Message async = pull.receiveAsync().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    assertThat(async.frameString(0)).isEqualTo("two");
  }

  @Test
  void withoutTheOptionOrOverInprocADirectReceiveWrapsTheArrays() {
    Socket pull = context.socket(SocketType.PULL);
    Socket push = context.socket(SocketType.PUSH);
    push.connect(pull.bind("tcp://127.0.0.1:0"));
    Socket inprocPull = context.socket(SocketType.PULL, ZERO_COPY);
    Socket inprocPush = context.socket(SocketType.PUSH);
    inprocPush.connect(inprocPull.bind("inproc://zero-copy-wrap"));
    push.send("over tcp");
    inprocPush.send("over inproc");
    try (DirectMessage a = pull.receiveDirect(WAIT); DirectMessage b = inprocPull.receiveDirect(WAIT)) {
      assertThat(a.frame(0).toString(StandardCharsets.UTF_8)).isEqualTo("over tcp");
      assertThat(b.frame(0).toString(StandardCharsets.UTF_8)).isEqualTo("over inproc");
      assertThat(a.frame(0).hasArray()).isTrue();
    }
  }

  @Test
  void aSubscriberTakesDirectMessagesOnItsTopics() {
    Socket sub = context.socket(SocketType.SUB, ZERO_COPY);
    Socket pub = context.socket(SocketType.PUB);
    sub.connect(pub.bind("tcp://127.0.0.1:0"));
    sub.subscribe("wanted/");
    // The subscription reaches the publisher asynchronously: publish until a message gets through.
    DirectMessage first = null;
    for (long deadline = System.nanoTime() + WAIT.toNanos(); first == null && System.nanoTime() < deadline; ) {
      pub.send("unwanted/ skipped");
      pub.send("wanted/ probe");
      first = sub.receiveDirect(Duration.ofMillis(20));
    }
    assertThat(first).isNotNull();
    assertThat(first.frame(0).toString(StandardCharsets.UTF_8)).isEqualTo("wanted/ probe");
    first.close();
  }

  @Test
  void aRouterGetsTheRoutingIdInFrontAndCanReplyWithIt() {
    Socket router = context.socket(SocketType.ROUTER, ZERO_COPY);
    Socket dealer = context.socket(SocketType.DEALER, ZERO_COPY);
    dealer.connect(router.bind("tcp://127.0.0.1:0"));
    dealer.send(Message.of("request", "part two"));
    byte[] id;
    try (DirectMessage request = router.receiveDirect(WAIT)) {
      assertThat(request.size()).isEqualTo(3);
      id = ByteBufUtil.getBytes(request.frame(0));
      assertThat(request.frame(1).toString(StandardCharsets.UTF_8)).isEqualTo("request");
      assertThat(request.frame(2).toString(StandardCharsets.UTF_8)).isEqualTo("part two");
    }
    router.send(Message.of(id, "reply".getBytes(StandardCharsets.UTF_8)));
    try (DirectMessage reply = dealer.receiveDirect(WAIT)) {
      assertThat(reply.frame(0).toString(StandardCharsets.UTF_8)).isEqualTo("reply");
    }
  }

  @Test
  void curveFramesArriveDecrypted() {
    CurveKeyPair server = CurveKeyPair.generate();
    Socket pull = context.socket(SocketType.PULL, ZERO_COPY.toBuilder().curveServer(server).build());
    Socket push = context.socket(SocketType.PUSH,
        SocketOptions.builder().curveClient(CurveKeyPair.generate(), server.publicKey()).build());
    push.connect(pull.bind("tcp://127.0.0.1:0"));
    push.send(Message.of(body(100_000, 1)));
    try (DirectMessage m = pull.receiveDirect(WAIT)) {
      assertThat(ByteBufUtil.getBytes(m.frame(0))).isEqualTo(body(100_000, 1));
      assertThat(m.property("Socket-Type")).contains("PUSH");
    }
  }

  @Test
  void messagesStillQueuedWhenTheSocketClosesAreReleasedByIt() {
    Socket pull = context.socket(SocketType.PULL, ZERO_COPY);
    Socket push = context.socket(SocketType.PUSH);
    push.connect(pull.bind("tcp://127.0.0.1:0"));
    for (int i = 0; i < 100; i++) {
      push.send(Message.of(body(i % 2 == 0 ? 100 : 70_000, i)));
    }
    await().atMost(WAIT).until(() -> pull.statistics().queuedInbound() == 100);
    pull.receiveDirect(WAIT).close();
    pull.close();
    // Netty's PARANOID leak detector, run after this class, fails it if the socket did not release the other 99.
  }

  @Test
  void ownershipRules() {
    ByteBuf a = Unpooled.directBuffer().writeBytes("a".getBytes(StandardCharsets.UTF_8));
    ByteBuf b = Unpooled.directBuffer().writeBytes("b".getBytes(StandardCharsets.UTF_8));
    DirectMessage m = DirectMessage.of(a, b);
    assertThat(m.refCnt()).isOne();
    assertThat(m.toString()).isEqualTo("DirectMessage[1 B, 1 B]");
    // retain: one more reference, released in turn; the frames live until the last.
    m.retain();
    m.close();
    assertThat(m.refCnt()).isOne();
    assertThat(a.refCnt()).isOne();
    // toMessage copies: the copy outlives the message.
    Message copy = m.toMessage();
    m.close();
    assertThat(m.refCnt()).isZero();
    assertThat(a.refCnt()).isZero();
    assertThat(b.refCnt()).isZero();
    assertThat(copy.frameString(0)).isEqualTo("a");
    // A released message refuses to be read or released again.
    assertThatThrownBy(() -> m.frame(0)).isInstanceOf(IllegalReferenceCountException.class);
    assertThatThrownBy(m::close).isInstanceOf(IllegalReferenceCountException.class);
    assertThat(m.toString()).isEqualTo("DirectMessage[released]");
    // wrap shares the arrays of a simple message.
    byte[] array = "shared".getBytes(StandardCharsets.UTF_8);
    try (DirectMessage wrapped = DirectMessage.wrap(Message.of(array))) {
      assertThat(wrapped.frame(0).array()).isSameAs(array);
    }
    assertThatThrownBy(() -> DirectMessage.of(a, null)).isInstanceOf(NullPointerException.class);
  }

  private String endpoint(String transport) {
    return transport.equals("tcp") ? "tcp://127.0.0.1:0" : "ipc://" + dir.resolve("zero-copy.sock");
  }

  private static byte[] body(int size, int seed) {
    byte[] b = new byte[size];
    Arrays.fill(b, (byte) (seed * 31 + size));
    if (size > 0) {
      b[size - 1] = (byte) seed;
    }
    return b;
  }
}
