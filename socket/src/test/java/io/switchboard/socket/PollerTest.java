package io.switchboard.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link Poller}: many sockets, one wait. */
@ExtendWith(NoLeakedThreads.class)
@Timeout(30)
class PollerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @AutoClose private final Context context = new Context();
  @AutoClose private final Poller poller = new Poller();

  @Test
  void reportsTheOneSocketOfManyThatHasAMessage() throws Exception {
    List<Socket> pulls = new ArrayList<>();
    List<Socket> pushes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Socket pull = context.socket(SocketType.PULL);
      Socket push = context.socket(SocketType.PUSH);
      push.connect(pull.bind("tcp://127.0.0.1:*"));
      poller.register(pull, Poller.Event.READABLE);
      pulls.add(pull);
      pushes.add(push);
    }
    assertThat(poller.poll(Duration.ZERO)).isZero();
    CompletableFuture<Integer> polled = CompletableFuture.supplyAsync(() -> poller.poll(WAIT));
    pushes.get(1).send(Message.of("hello"));
    assertThat(polled.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(poller.isReadable(pulls.get(0))).isFalse();
    assertThat(poller.isReadable(pulls.get(1))).isTrue();
    assertThat(poller.isReadable(pulls.get(2))).isFalse();
    assertThat(pulls.get(1).tryReceive()).isEqualTo(Message.of("hello"));
    assertThat(poller.poll(Duration.ZERO)).isZero();
  }

  @Test
  void isLevelTriggered() {
    Socket pull = context.socket(SocketType.PULL);
    Socket push = context.socket(SocketType.PUSH);
    pull.bind("inproc://level");
    push.connect("inproc://level");
    push.send(Message.of("a"));
    push.send(Message.of("b"));
    poller.register(pull, Poller.Event.READABLE);
    assertThat(poller.poll(WAIT)).isEqualTo(1);
    assertThat(poller.poll(WAIT)).isEqualTo(1);
    assertThat(pull.tryReceive()).isEqualTo(Message.of("a"));
    assertThat(poller.poll(WAIT)).isEqualTo(1);
    assertThat(pull.tryReceive()).isEqualTo(Message.of("b"));
    assertThat(poller.poll(Duration.ZERO)).isZero();
  }

  @Test
  void reportsWritableWhenRoomComesBack() throws Exception {
    SocketOptions small = SocketOptions.builder().highWaterMark(2).build();
    Socket pull = context.socket(SocketType.PULL, small);
    Socket push = context.socket(SocketType.PUSH, small);
    poller.register(push, Poller.Event.WRITABLE);
    assertThat(poller.poll(Duration.ZERO)).as("no peer yet").isZero();
    pull.bind("inproc://room");
    push.connect("inproc://room");
    assertThat(poller.poll(WAIT)).isEqualTo(1);
    assertThat(poller.isWritable(push)).isTrue();
    int sent = 0;
    while (push.trySend(Message.of("m" + sent))) {
      sent++;
    }
    assertThat(sent).isPositive();
    assertThat(poller.poll(Duration.ZERO)).as("full").isZero();
    CompletableFuture<Integer> polled = CompletableFuture.supplyAsync(() -> poller.poll(WAIT));
    for (int i = 0; i < sent; i++) {
      assertThat(pull.receive(WAIT)).isNotNull();
    }
    assertThat(polled.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(poller.isWritable(push)).isTrue();
  }

  @Test
  void pollsForBothEventsAtOnce() {
    Socket a = context.socket(SocketType.PAIR);
    Socket b = context.socket(SocketType.PAIR);
    a.bind("inproc://pair");
    b.connect("inproc://pair");
    poller.register(a, Poller.Event.READABLE, Poller.Event.WRITABLE);
    assertThat(poller.poll(WAIT)).isEqualTo(1);
    assertThat(poller.isWritable(a)).isTrue();
    assertThat(poller.isReadable(a)).isFalse();
    b.send(Message.of("x"));
    assertThat(poller.poll(WAIT)).isEqualTo(1);
    assertThat(poller.isReadable(a)).isTrue();
  }

  @Test
  void aTimeoutReturnsZeroAfterTheTimeout() {
    Socket pull = context.socket(SocketType.PULL);
    poller.register(pull, Poller.Event.READABLE);
    long start = System.nanoTime();
    assertThat(poller.poll(Duration.ofMillis(50))).isZero();
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
  }

  @Test
  void wakeupEndsAPollFromAnotherThread() throws Exception {
    Socket pull = context.socket(SocketType.PULL);
    poller.register(pull, Poller.Event.READABLE);
    CompletableFuture<Integer> polled = CompletableFuture.supplyAsync(poller::poll);
    poller.wakeup();
    assertThat(polled.get(10, TimeUnit.SECONDS)).isZero();
    poller.wakeup();
    assertThat(poller.poll()).as("a wake-up before the poll").isZero();
  }

  @Test
  void aSocketClosedWhileWaitedOnIsReportedAndThenThrows() throws Exception {
    Socket pull = context.socket(SocketType.PULL);
    poller.register(pull, Poller.Event.READABLE);
    CompletableFuture<Integer> polled = CompletableFuture.supplyAsync(poller::poll);
    pull.close();
    assertThat(polled.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(poller.isReadable(pull)).isTrue();
    assertThatThrownBy(pull::tryReceive).isInstanceOf(SocketClosedException.class);
  }

  @Test
  void aSocketWithNoEventsOrUnregisteredIsNotReported() {
    Socket pull = context.socket(SocketType.PULL);
    Socket push = context.socket(SocketType.PUSH);
    pull.bind("inproc://quiet");
    push.connect("inproc://quiet");
    push.send(Message.of("x"));
    poller.register(pull);
    assertThat(poller.poll(Duration.ZERO)).isZero();
    poller.register(pull, Poller.Event.READABLE);
    assertThat(poller.poll(Duration.ZERO)).isEqualTo(1);
    poller.unregister(pull);
    assertThat(poller.poll(Duration.ZERO)).isZero();
    assertThat(poller.isReadable(pull)).isFalse();
  }

  @Test
  void reqAndRepAreReadyOnlyInTurn() {
    Socket rep = context.socket(SocketType.REP);
    Socket req = context.socket(SocketType.REQ);
    rep.bind("inproc://turns");
    req.connect("inproc://turns");
    poller.register(req, Poller.Event.READABLE, Poller.Event.WRITABLE);
    poller.register(rep, Poller.Event.READABLE, Poller.Event.WRITABLE);
    assertThat(poller.poll(WAIT)).isEqualTo(1);
    assertThat(poller.isWritable(req)).isTrue();
    assertThat(poller.isWritable(rep)).isFalse();
    req.send(Message.of("ping"));
    assertThat(poller.poll(WAIT)).isEqualTo(1);
    assertThat(poller.isReadable(rep)).isTrue();
    assertThat(poller.isWritable(req)).isFalse();
    assertThat(rep.tryReceive()).isEqualTo(Message.of("ping"));
    assertThat(poller.poll(WAIT)).isEqualTo(1);
    assertThat(poller.isWritable(rep)).isTrue();
    rep.send(Message.of("pong"));
    assertThat(poller.poll(WAIT)).isEqualTo(1);
    assertThat(poller.isReadable(req)).isTrue();
  }

  @Test
  void interruptingAPollThrows() throws Exception {
    Socket pull = context.socket(SocketType.PULL);
    poller.register(pull, Poller.Event.READABLE);
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> poller.poll(WAIT)).isInstanceOf(InterruptedOperationException.class);
    } finally {
      Thread.interrupted();
    }
  }
}
