package io.switchboard.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.PooledByteBufAllocator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A subscriber that stops reading costs its publisher a bounded amount of memory: the messages up to the high-water
 * mark, then the connection's write buffer (4 MiB of frames) and the kernel's. The write buffer counts the octets of
 * the frames it holds, so each buffer written must be about the size of its frames: a flush of a few small messages
 * used to take a whole 64 KiB batch buffer, and a publisher flooding 64 subscribers that had stopped reading ran
 * out of its 1 GiB of direct memory.
 */
@Timeout(60)
class SlowSubscriberMemoryTest {
  /**
   * Per subscriber: its write buffer's 4 MiB and the 1,000 messages of its pipe, twice over for the allocator's size
   * classes and its 4 MiB chunks shared by arenas (measured: 56 MiB for 8 subscribers; 120 MiB before the fix).
   */
  private static final long PER_SUBSCRIBER = 8L * 1024 * 1024;
  /** The allocator's first chunk, whatever it holds. */
  private static final long BASE = 4L * 1024 * 1024;

  private static final int SUBSCRIBERS = 8;

  @Test
  void subscribersThatStopReadingCostThePublisherABoundedAmountOfMemory() {
    try (Context context = new Context()) {
      Socket pub = context.socket(SocketType.PUB);
      List<Socket> subs = new ArrayList<>();
      for (int i = 0; i < SUBSCRIBERS; i++) {
        Socket sub = context.socket(SocketType.SUB, SocketOptions.builder().receiveHighWaterMark(10).build());
        sub.subscribe("");
        pub.connect(sub.bind("tcp://127.0.0.1:*"));
        subs.add(sub);
      }
      byte[] body = new byte[16];
      for (Socket sub : subs) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
          pub.send(Message.of(body));
          return sub.tryReceive() != null;
        });
      }
      // Until the kernel's buffers and the write buffers are full: the I/O thread stops taking messages from the
      // pipes, and every send is dropped at the high-water mark (sends never block).
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      long sent = -1;
      int still = 0;
      while (still < 10 && System.nanoTime() < deadline) {
        for (int i = 0; i < 100_000; i++) {
          pub.send(Message.of(body));
        }
        long now = pub.statistics().messagesSent();
        still = now == sent ? still + 1 : 0;
        sent = now;
      }
      assertThat(still).as("rounds of 100,000 sends in which no message left the pipes").isEqualTo(10);
      long used = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
      assertThat(used).as("direct memory in use by the pooled allocator").isLessThan(BASE + PER_SUBSCRIBER * SUBSCRIBERS);
    }
  }
}
