package io.switchboard.socket;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A receiver that stops taking messages holds back its peers: it reads up to its receive high-water mark, then stops
 * reading, and the sender blocks once its own queue, its write buffer and the kernel's are full. (The frame decoder
 * used to ask for a read after every read, so a stopped receiver buffered all that was sent.)
 */
class ReceiveHighWaterMarkTest {
  private static final int SIZE = 2000;
  private static final int CAP = 50_000;   // 100 MB: far above what the buffers hold

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "ipc"})
  void aStoppedReceiverHoldsTheSenderBack(String transport) {
    try (Context receiving = new Context(); Context sending = new Context()) {
      Socket pull = receiving.socket(SocketType.PULL, SocketOptions.builder().receiveHighWaterMark(10).build());
      String endpoint = pull.bind(transport.equals("tcp") ? "tcp://127.0.0.1:*" : "ipc://" + dir.resolve("hwm"));
      Socket push = sending.socket(SocketType.PUSH, SocketOptions.builder().sendHighWaterMark(100).build());
      push.connect(endpoint);
      byte[] data = new byte[SIZE];
      int sent = 0;
      while (sent < CAP && push.send(Message.of(data), Duration.ofMillis(500))) {
        sent++;
      }
      // 100 queued + the write buffer's 4 MiB + the kernel's buffers + the 10 the receiver takes: some thousands
      assertThat(sent).isLessThan(10_000);
      assertThat(pull.receive(Duration.ofSeconds(5))).isNotNull();
    }
  }

  /**
   * Reading stops and starts again many times at small marks, and nothing stalls or is lost. (The receiver may take
   * what was queued between the I/O thread's count and its pause, so the I/O thread looks again after pausing; that
   * race is too narrow for this test to hit at will.)
   */
  @ParameterizedTest
  @CsvSource({"tcp, 1", "tcp, 2", "ipc, 1", "tcp, 10"})
  @Timeout(60)
  void readingPausesAndResumesAtASmallMarkWithoutStalling(String transport, int mark) throws Exception {
    int count = 20_000;
    try (Context context = new Context()) {
      Socket pull = context.socket(SocketType.PULL, SocketOptions.builder().receiveHighWaterMark(mark).build());
      String endpoint = pull.bind(transport.equals("tcp") ? "tcp://127.0.0.1:*" : "ipc://" + dir.resolve("mark"));
      Socket push = context.socket(SocketType.PUSH);
      push.connect(endpoint);
      Thread sender = new Thread(() -> {
        for (int i = 0; i < count; i++) {
          push.send(Message.of(Integer.toString(i)));
        }
      });
      sender.start();
      for (int i = 0; i < count; i++) {
        assertThat(pull.receive(Duration.ofSeconds(10))).as("message %d", i).isEqualTo(Message.of(Integer.toString(i)));
      }
      sender.join();
    }
  }
}
