package io.switchboard.socket.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.socket.Endpoint;
import io.switchboard.socket.Message;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A closing socket lingers by waiting for a signal, not by looking again every few milliseconds. */
class LingerTest {
  private static final Duration LONG_LINGER = Duration.ofSeconds(30);
  private final ContextCore context = new ContextCore(1);
  @TempDir Path dir;

  @AfterEach
  void close() {
    context.close();
  }

  @Test
  @Timeout(30)
  void aLingeringCloseSleepsUntilItsDeadlineWhenNothingCanMove() {
    SocketCore push = context.newSocket(SocketType.PUSH,
        SocketOptions.builder().linger(Duration.ofMillis(500)).build());
    push.connect(Endpoint.parse("ipc://" + dir.resolve("nobody.ipc")));
    assertThat(push.send(Message.of("stuck"), 0)).isTrue();
    long start = System.nanoTime();
    push.close();
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
    // Polling every 10 ms looked about 50 times here; a close that waits for a signal looks once (a spurious
    // wake-up or two are allowed).
    assertThat(push.lingerLooks).isLessThan(5);
  }

  @Test
  @Timeout(30)
  void aLingeringCloseReturnsOnceATcpPeerHasTakenEverything() throws Exception {
    String endpoint = "ipc://" + dir.resolve("late.ipc");
    SocketCore push = context.newSocket(SocketType.PUSH, SocketOptions.builder().linger(LONG_LINGER)
        .reconnectInterval(Duration.ofMillis(20)).reconnectIntervalMax(Duration.ofMillis(50)).build());
    push.connect(Endpoint.parse(endpoint));
    for (int i = 0; i < 100; i++) {
      assertThat(push.send(Message.of("m" + i), 0)).isTrue();
    }
    CompletableFuture<Void> closing = CompletableFuture.runAsync(push::close);
    SocketCore pull = context.newSocket(SocketType.PULL, SocketOptions.DEFAULTS);
    pull.bind(Endpoint.parse(endpoint));
    for (int i = 0; i < 100; i++) {
      assertThat(pull.receive(TimeUnit.SECONDS.toNanos(10))).isEqualTo(Message.of("m" + i));
    }
    closing.get(10, TimeUnit.SECONDS);
  }

  @Test
  @Timeout(30)
  void aLingeringCloseReturnsOnceAnInprocPeerHasBound() throws Exception {
    SocketCore push = context.newSocket(SocketType.PUSH, SocketOptions.builder().linger(LONG_LINGER).build());
    push.connect(Endpoint.parse("inproc://later"));
    assertThat(push.send(Message.of("early"), 0)).isTrue();
    CompletableFuture<Void> closing = CompletableFuture.runAsync(push::close);
    SocketCore pull = context.newSocket(SocketType.PULL, SocketOptions.DEFAULTS);
    pull.bind(Endpoint.parse("inproc://later"));
    assertThat(pull.receive(TimeUnit.SECONDS.toNanos(10))).isEqualTo(Message.of("early"));
    closing.get(10, TimeUnit.SECONDS);
  }
}
