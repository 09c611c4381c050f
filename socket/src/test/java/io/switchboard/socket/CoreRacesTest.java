package io.switchboard.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.switchboard.zmtp.ZmtpCommand;
import io.switchboard.zmtp.ZmtpGreeting;
import io.switchboard.zmtp.ZmtpMetadata;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Races between threads of one socket, and between a socket's user and its I/O threads (issue 17). */
@ExtendWith(NoLeakedThreads.class)
class CoreRacesTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @AutoClose private final Context context = new Context();
  @TempDir Path dir;

  /**
   * A peer that connects the instant the listener is up meets a binding that {@code bind} has not published yet. A
   * raw client spins on connect() while the socket binds, so that its connection is accepted in that window.
   */
  @Test
  @Timeout(60)
  void aConnectionAcceptedWhileBindCompletesIsServed() throws Exception {
    for (int i = 0; i < 20; i++) {
      Path file = dir.resolve("race-" + i + ".ipc");
      try (Socket pull = context.socket(SocketType.PULL)) {
        List<MonitorEvent> events = new CopyOnWriteArrayList<>();
        pull.addMonitor(events::add);
        AtomicBoolean giveUp = new AtomicBoolean();
        CompletableFuture<SocketChannel> client = CompletableFuture.supplyAsync(() -> spinConnect(file, giveUp));
        String bound;
        try {
          bound = pull.bind("ipc://" + file);
        } finally {
          giveUp.set(true);
        }
        try (SocketChannel raw = client.get(10, TimeUnit.SECONDS)) {
          raw.write(ByteBuffer.wrap(pushHandshakeAndMessage("m" + i)));
          assertThat(pull.receive(WAIT)).as("message %d", i).isEqualTo(Message.of("m" + i));
          assertThat(events).filteredOn(e -> e.type() == MonitorEvent.Type.ACCEPTED)
              .extracting(MonitorEvent::endpoint).singleElement().asString().startsWith(bound + " from ");
        }
      }
    }
  }

  private static SocketChannel spinConnect(Path file, AtomicBoolean giveUp) {
    UnixDomainSocketAddress address = UnixDomainSocketAddress.of(file);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() - deadline < 0) {
      SocketChannel channel = null;
      try {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(address);
        return channel;
      } catch (IOException notYet) {
        closeQuietly(channel);
        if (giveUp.get() && !file.toFile().exists()) {
          throw new IllegalStateException("bind finished and " + file + " does not exist");
        }
      }
    }
    throw new IllegalStateException("no connection to " + file + " within 10 s");
  }

  private static void closeQuietly(SocketChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }

  /** A ZMTP 3.1 greeting, a NULL handshake as PUSH, and one message frame. */
  private static byte[] pushHandshakeAndMessage(String text) {
    ByteBuf out = Unpooled.buffer();
    ZmtpGreeting.ours("NULL", false).encode(out);
    new ZmtpCommand.Ready(ZmtpMetadata.of(Map.of(ZmtpMetadata.SOCKET_TYPE, "PUSH".getBytes(StandardCharsets.US_ASCII))))
        .encode(out);
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    out.writeByte(0).writeByte(body.length).writeBytes(body);
    byte[] bytes = new byte[out.readableBytes()];
    out.readBytes(bytes);
    return bytes;
  }

  /**
   * A PUB flooding 64 subscribers over tcp is closed while its sends are in flight; the close must return within its
   * bound, and the sending thread must see the socket closed rather than hang (the pub/sub 1:64 bench once printed
   * "did not exit within 5 s of the stop").
   */
  @Test
  @Timeout(120)
  void closingAFloodingPublisherNeverHangs() throws Exception {
    for (int round = 0; round < 8; round++) {
      Context subscribers = new Context(1);
      Context publishers = new Context(1);
      try {
        List<Socket> subs = new ArrayList<>();
        List<String> endpoints = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
          Socket sub = subscribers.socket(SocketType.SUB);
          sub.subscribe("");
          endpoints.add(sub.bind("tcp://127.0.0.1:*"));
          subs.add(sub);
        }
        Socket pub = publishers.socket(SocketType.PUB, SocketOptions.builder().linger(Duration.ZERO).build());
        for (String endpoint : endpoints) {
          pub.connect(endpoint);
        }
        AtomicLong received = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        Thread reader = new Thread(() -> {
          try {
            while (!stop.get()) {
              for (Socket sub : subs) {
                for (int k = 0; k < 64 && sub.tryReceive() != null; k++) {
                  received.incrementAndGet();
                }
              }
            }
          } catch (SocketClosedException closedUnderUs) {
            // the subscribers' context closed first
          }
        }, "flood-reader");
        reader.start();
        Message message = Message.of(new byte[16]);
        CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
          try {
            for (;;) {
              pub.send(message);
            }
          } catch (SocketClosedException expected) {
            // the way out
          }
        }, runnable -> new Thread(runnable, "flood-sender").start());
        long before = received.get();
        await().atMost(WAIT).until(() -> received.get() > before + 100_000);
        if (round % 2 == 1) {
          // As in the bench: the subscribers stop reading, so the publisher's connections back up and it drops.
          stop.set(true);
          reader.join(TimeUnit.SECONDS.toMillis(10));
          long dropped = pub.statistics().dropped();
          await().atMost(WAIT).until(() -> pub.statistics().dropped() > dropped + 10_000);
        }
        // As in the bench, the subscribers' side closes at the same time as the publisher.
        CompletableFuture<Void> closingSubscribers = round >= 2
            ? CompletableFuture.runAsync(subscribers::close, runnable -> new Thread(runnable, "sub-closer").start())
            : CompletableFuture.completedFuture(null);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> {
          pub.close();
          publishers.close();
        }, runnable -> new Thread(runnable, "flood-closer").start());
        try {
          within(closing, 5, "round " + round + ": the publisher's close");
          within(sender, 5, "round " + round + ": the sending thread");
          within(closingSubscribers, 10, "round " + round + ": the subscribers' close");
        } finally {
          stop.set(true);
          reader.join(TimeUnit.SECONDS.toMillis(10));
        }
      } finally {
        subscribers.close();
        publishers.close();
      }
    }
  }

  /** Waits for {@code future}; on timeout fails with the stacks of the threads involved, to show where it hangs. */
  private static void within(CompletableFuture<Void> future, long seconds, String what) throws Exception {
    try {
      future.get(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      StringBuilder stacks = new StringBuilder();
      Thread.getAllStackTraces().forEach((thread, stack) -> {
        if (thread.getName().startsWith("flood-") || thread.getName().startsWith("switchboard-")
            || thread.getName().startsWith("sub-closer")) {
          stacks.append('\n').append(thread.getName()).append(' ').append(thread.getState());
          for (StackTraceElement frame : stack) {
            stacks.append("\n    at ").append(frame);
          }
        }
      });
      throw new AssertionError(what + " did not finish within " + seconds + " s" + stacks, e);
    }
  }
}
