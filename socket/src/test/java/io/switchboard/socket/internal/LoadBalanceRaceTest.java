package io.switchboard.socket.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.socket.Endpoint;
import io.switchboard.socket.Message;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The round-robin position of a socket is shared by every thread that sends on it ("sockets are thread-safe"): each
 * send must take a position of its own, so that with room everywhere every peer gets exactly its share. Peers that
 * never answer (an ipc path nobody binds) keep every message in their pipes, so sends are as cheap as they get and the pipes'
 * counts show where each message went. A stress test: the race it guards against is a window of a few instructions.
 */
class LoadBalanceRaceTest {
  private final ContextCore context = new ContextCore(1);
  @TempDir Path dir;

  @AfterEach
  void close() {
    context.close();
  }

  @Test
  @Timeout(60)
  void concurrentSendersEachTakeTheirOwnTurn() throws Exception {
    SocketCore push = context.newSocket(SocketType.PUSH,
        SocketOptions.builder().highWaterMark(0).linger(java.time.Duration.ZERO).build());
    int peers = 2;
    for (int i = 0; i < peers; i++) {
      // A path nothing listens on: the connector keeps trying, the pipe keeps every message.
      push.connect(Endpoint.parse("ipc://" + dir.resolve("nobody-" + i + ".ipc")));
    }
    int threads = 2;
    int perThread = 2_000_000;
    Message message = Message.of(new byte[1]);
    CountDownLatch start = new CountDownLatch(threads);
    List<CompletableFuture<Void>> senders = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      senders.add(CompletableFuture.runAsync(() -> {
        start.countDown();
        try {
          start.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        for (int i = 0; i < perThread; i++) {
          push.send(message, 0);
        }
      }, runnable -> new Thread(runnable, "lb-sender").start()));
    }
    CompletableFuture.allOf(senders.toArray(new CompletableFuture<?>[0])).get(50, TimeUnit.SECONDS);
    List<Integer> counts = new ArrayList<>();
    for (Pipe pipe : push.pipes) {
      counts.add(pipe.queued());
    }
    assertThat(counts).containsOnly(threads * perThread / peers);
  }
}
