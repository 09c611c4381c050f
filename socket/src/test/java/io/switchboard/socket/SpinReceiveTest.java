package io.switchboard.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link SocketOptions.Builder#spinReceive}: a receive that busy-spins keeps every promise of a parked one. */
@ExtendWith(NoLeakedThreads.class)
class SpinReceiveTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final SocketOptions SPIN = SocketOptions.builder().spinReceive(true).build();
  @AutoClose private final Context context = new Context();

  @Test
  void offByDefaultAndKeptByToBuilder() {
    assertThat(SocketOptions.DEFAULTS.spinReceive()).isFalse();
    assertThat(SPIN.spinReceive()).isTrue();
    assertThat(SPIN.toBuilder().highWaterMark(10).build().spinReceive()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"inproc://spin-req-rep", "tcp://127.0.0.1:0"})
  void requestsAndRepliesArriveWhileSpinning(String endpoint) throws Exception {
    Socket rep = context.socket(SocketType.REP);
    Socket req = context.socket(SocketType.REQ, SPIN);
    req.connect(rep.bind(endpoint));
    CompletableFuture<Void> server = CompletableFuture.runAsync(() -> {
      for (int i = 0; i < 100; i++) {
        Message request = rep.receive(WAIT);
        rep.send(Message.of(request.frame(0)));
      }
    });
    for (int i = 0; i < 100; i++) {
      req.send("request " + i);
      Message reply = req.receive(WAIT);
      assertThat(reply).isNotNull();
      assertThat(reply.frameString(0)).isEqualTo("request " + i);
    }
    server.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void aTimeoutEndsTheSpinWithNothing() {
    Socket pull = context.socket(SocketType.PULL, SPIN);
    pull.bind("inproc://spin-timeout");
    long start = System.nanoTime();
    assertThat(pull.receive(Duration.ofMillis(50))).isNull();
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
    assertThat(pull.tryReceive()).isNull();
  }

  @Test
  void closingTheSocketEndsAWaitWithoutATimeout() throws Exception {
    Socket pull = context.socket(SocketType.PULL, SPIN);
    pull.bind("inproc://spin-close");
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread receiver = new Thread(() -> {
      try {
        pull.receive();
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    receiver.start();
    await().atMost(WAIT).until(() -> receiver.getState() == Thread.State.RUNNABLE);
    pull.close();
    receiver.join(WAIT.toMillis());
    assertThat(receiver.isAlive()).isFalse();
    assertThat(thrown.get()).isInstanceOf(SocketClosedException.class);
  }

  @Test
  void anInterruptEndsAWaitAndStaysSet() throws Exception {
    Socket pull = context.socket(SocketType.PULL, SPIN);
    pull.bind("inproc://spin-interrupt");
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> flag = new AtomicReference<>();
    Thread receiver = new Thread(() -> {
      try {
        pull.receive();
      } catch (Throwable t) {
        thrown.set(t);
        flag.set(Thread.currentThread().isInterrupted());
      }
    });
    receiver.start();
    await().atMost(WAIT).until(() -> receiver.getState() == Thread.State.RUNNABLE);
    receiver.interrupt();
    receiver.join(WAIT.toMillis());
    assertThat(receiver.isAlive()).isFalse();
    assertThat(thrown.get()).isInstanceOf(InterruptedOperationException.class);
    assertThat(flag.get()).isTrue();
    // The socket stays usable.
    Socket push = context.socket(SocketType.PUSH);
    push.connect("inproc://spin-interrupt");
    push.send("after");
    assertThat(pull.receive(WAIT).frameString(0)).isEqualTo("after");
  }

  @Test
  void aSpinningSubscriberSeesOnlyWhatItSubscribedTo() {
    Socket pub = context.socket(SocketType.PUB);
    Socket sub = context.socket(SocketType.SUB, SPIN);
    sub.subscribe("b");
    sub.connect(pub.bind("inproc://spin-sub"));
    await().atMost(WAIT).until(() -> {
      pub.send("a skipped");
      pub.send("b kept");
      return sub.receive(Duration.ofMillis(10)) != null;
    });
    pub.send("a skipped");
    pub.send("b last");
    String text;
    do {
      Message next = sub.receive(WAIT);
      assertThat(next).isNotNull();
      text = next.frameString(0);
      assertThat(text).startsWith("b");
    } while (!text.equals("b last"));
  }
}
