package io.switchboard.socket.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.socket.Endpoint;
import io.switchboard.socket.Message;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two inproc PAIRs, each with a thread blocked sending to the other and a thread blocked receiving, a window of two
 * messages each way: every send and receive waits and is woken over and over, so a lost wake-up hangs it. It also
 * guards the reason the wait loop tries a send outside the socket's lock: a sender that held its own lock while
 * handing a message to the peer took the peer's lock to wake its receiver, and two senders could each hold one lock
 * and wait for the other (not seen in practice here; the window is narrow).
 */
class CrossSocketWaitTest {
  private final ContextCore context = new ContextCore(1);

  @AfterEach
  void close() {
    context.close();
  }

  @Test
  @Timeout(60)
  void twoSocketsBlockedSendingToEachOtherNeverDeadlock() throws Exception {
    SocketOptions tiny = SocketOptions.builder().highWaterMark(1).linger(java.time.Duration.ZERO).build();
    SocketCore a = context.newSocket(SocketType.PAIR, tiny);
    SocketCore b = context.newSocket(SocketType.PAIR, tiny);
    a.bind(Endpoint.parse("inproc://cross"));
    b.connect(Endpoint.parse("inproc://cross"));
    int count = 100_000;
    List<CompletableFuture<Void>> work = new ArrayList<>();
    for (SocketCore[] ends : new SocketCore[][] {{a, b}, {b, a}}) {
      SocketCore from = ends[0];
      SocketCore to = ends[1];
      work.add(CompletableFuture.runAsync(() -> {
        Message m = Message.of("x");
        for (int i = 0; i < count; i++) {
          from.send(m, -1);
        }
      }, r -> new Thread(r, "cross-sender").start()));
      work.add(CompletableFuture.runAsync(() -> {
        for (int i = 0; i < count; i++) {
          assertThat(to.receive(-1)).isNotNull();
        }
      }, r -> new Thread(r, "cross-receiver").start()));
    }
    try {
      CompletableFuture.allOf(work.toArray(new CompletableFuture<?>[0])).get(45, TimeUnit.SECONDS);
    } finally {
      a.close();
      b.close();
    }
  }
}
