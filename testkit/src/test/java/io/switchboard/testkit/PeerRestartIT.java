package io.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import io.switchboard.socket.MonitorEvent;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A libzmq peer process is killed with SIGKILL and started again: our connecting socket comes back by itself. */
class PeerRestartIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private Context context;
  private LibzmqLibrary libzmq;
  @TempDir Path dir;

  @BeforeEach
  void start() {
    context = new Context();
    libzmq = new LibzmqLibrary();
  }

  @AfterEach
  void stop() {
    libzmq.close();
    context.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "ipc"})
  void pushReconnectsToARestartedPullProcess(String transport) {
    Socket push = context.socket(SocketType.PUSH, SocketOptions.builder()
        .reconnectInterval(Duration.ofMillis(20)).reconnectIntervalMax(Duration.ofMillis(200)).build());
    List<MonitorEvent> events = new CopyOnWriteArrayList<>();
    push.addMonitor(events::add);
    PeerSocket first = libzmq.socket(SocketType.PULL, new byte[0]);
    String endpoint = first.bind(transport.equals("tcp") ? "tcp://127.0.0.1:*" : "ipc://" + dir.resolve("pull.ipc"));
    push.connect(endpoint);
    push.send(Message.of("before"));
    assertThat(first.receive(WAIT)).isEqualTo(Message.of("before"));

    first.kill();
    await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> e.type() == MonitorEvent.Type.DISCONNECTED));
    push.send(Message.of("after"));

    try (PeerSocket second = libzmq.socket(SocketType.PULL, new byte[0])) {
      second.bind(endpoint);
      assertThat(second.receive(WAIT)).isEqualTo(Message.of("after"));
    }
    assertThat(events).extracting(MonitorEvent::type)
        .containsSubsequence(MonitorEvent.Type.CONNECTED, MonitorEvent.Type.DISCONNECTED,
            MonitorEvent.Type.RECONNECT_SCHEDULED, MonitorEvent.Type.CONNECTED);
  }
}
