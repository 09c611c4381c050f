package io.switchboard.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Socket#statistics()}: what each transport counts, drops, queue depths and failed handshakes. */
@ExtendWith(NoLeakedThreads.class)
class StatisticsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @AutoClose private final Context context = new Context();

  @ParameterizedTest
  @ValueSource(strings = {"tcp://127.0.0.1:*", "ipc://*"})
  void networkCountsMessagesAndBodyOctetsBothWays(String endpoint) {
    Socket pull = context.socket(SocketType.PULL);
    Socket push = context.socket(SocketType.PUSH);
    push.connect(pull.bind(endpoint));
    for (int i = 0; i < 100; i++) {
      push.send(Message.of("0123456789", "ab"));
    }
    for (int i = 0; i < 100; i++) {
      assertThat(pull.receive(WAIT)).isNotNull();
    }
    await().atMost(WAIT).untilAsserted(() -> assertThat(push.statistics().messagesSent()).isEqualTo(100));
    SocketStatistics sent = push.statistics();
    SocketStatistics received = pull.statistics();
    assertThat(sent.bytesSent()).isEqualTo(1200);
    assertThat(received.messagesReceived()).isEqualTo(100);
    assertThat(received.bytesReceived()).isEqualTo(1200);
    assertThat(sent.connections()).isEqualTo(1);
    assertThat(received.connections()).isEqualTo(1);
    assertThat(sent.queuedOutbound()).isZero();
    assertThat(received.queuedInbound()).isZero();
    assertThat(sent.messagesReceived()).isZero();
  }

  @Test
  void inprocCountsMessagesAndKeepsThemWhenThePeerGoes() {
    Socket pull = context.socket(SocketType.PULL);
    Socket push = context.socket(SocketType.PUSH);
    push.connect(pull.bind("inproc://statistics"));
    for (int i = 0; i < 10; i++) {
      push.send(Message.of("m"));
    }
    assertThat(pull.statistics().queuedInbound()).isEqualTo(10);
    assertThat(push.statistics().queuedOutbound()).isEqualTo(10);
    for (int i = 0; i < 4; i++) {
      pull.receive(WAIT);
    }
    assertThat(pull.statistics().queuedInbound()).isEqualTo(6);
    assertThat(push.statistics().messagesSent()).isEqualTo(10);
    assertThat(pull.statistics().messagesReceived()).isEqualTo(10);
    assertThat(pull.statistics().bytesReceived()).isZero();
    push.disconnect("inproc://statistics");
    assertThat(push.statistics().messagesSent()).isEqualTo(10);
    assertThat(pull.statistics().messagesReceived()).isEqualTo(10);
  }

  @Test
  void pubCountsWhatItDropsAtTheHighWaterMark() {
    Socket sub = context.socket(SocketType.SUB, SocketOptions.builder().receiveHighWaterMark(5).build());
    Socket pub = context.socket(SocketType.PUB, SocketOptions.builder().sendHighWaterMark(5).build());
    sub.subscribe("");
    pub.connect(sub.bind("inproc://drops"));
    for (int i = 0; i < 30; i++) {
      pub.send(Message.of("x"));
    }
    SocketStatistics s = pub.statistics();
    assertThat(s.messagesSent() + s.dropped()).isEqualTo(30);
    assertThat(s.dropped()).isGreaterThan(0);
  }

  @Test
  void countsFailedHandshakesAndScheduledReconnects() throws Exception {
    Socket pull = context.socket(SocketType.PULL);
    String endpoint = pull.bind("tcp://127.0.0.1:*");
    int port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    try (java.net.Socket raw = new java.net.Socket()) {
      raw.connect(new InetSocketAddress("127.0.0.1", port));
      OutputStream out = raw.getOutputStream();
      out.write("GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.flush();
      await().atMost(WAIT).untilAsserted(() -> assertThat(pull.statistics().handshakeFailures()).isEqualTo(1));
    }
    Socket peer = context.socket(SocketType.PULL);
    Socket push = context.socket(SocketType.PUSH, SocketOptions.builder()
        .reconnectInterval(Duration.ofMillis(10)).reconnectIntervalMax(Duration.ofMillis(20)).build());
    push.connect(peer.bind("tcp://127.0.0.1:*"));
    await().atMost(WAIT).untilAsserted(() -> assertThat(push.statistics().connections()).isEqualTo(1));
    peer.close();
    await().atMost(WAIT).untilAsserted(() -> assertThat(push.statistics().reconnects()).isGreaterThanOrEqualTo(1));
    assertThat(push.statistics().connections()).isZero();
  }
}
