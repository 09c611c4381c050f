package io.switchboard.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link Socket#monitor}: events on an inproc PAIR in libzmq's two-frame format, read as libzmq code reads them. */
@ExtendWith(NoLeakedThreads.class)
class LibzmqMonitorTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @AutoClose private final Context context = new Context();

  /** One event as zmq_socket_monitor's readers decode it. */
  private record Event(int number, long value, String endpoint) {}

  private static Event next(Socket monitor) {
    Message m = monitor.receive(WAIT);
    assertThat(m).as("a monitor event within " + WAIT).isNotNull();
    assertThat(m.size()).isEqualTo(2);
    assertThat(m.frame(0)).hasSize(6);
    ByteBuffer b = ByteBuffer.wrap(m.frame(0)).order(ByteOrder.LITTLE_ENDIAN);
    return new Event(b.getShort() & 0xffff, b.getInt() & 0xffffffffL, new String(m.frame(1), StandardCharsets.UTF_8));
  }

  @Test
  void listeningAcceptedHandshakeDisconnectedClosedAndStopped() {
    Socket server = context.socket(SocketType.PULL);
    server.monitor("inproc://monitor-server");
    Socket monitor = context.socket(SocketType.PAIR);
    monitor.connect("inproc://monitor-server");
    String endpoint = server.bind("tcp://127.0.0.1:*");
    assertThat(next(monitor)).isEqualTo(new Event(0x0008, 0, endpoint));

    Socket client = context.socket(SocketType.PUSH);
    client.connect(endpoint);
    Event accepted = next(monitor);
    assertThat(accepted.number()).isEqualTo(0x0020);
    assertThat(accepted.endpoint()).startsWith(endpoint);
    assertThat(next(monitor).number()).isEqualTo(0x1000);
    client.close();
    assertThat(next(monitor).number()).isEqualTo(0x0200);
    server.close();
    assertThat(next(monitor).number()).isEqualTo(0x0080);
    assertThat(next(monitor)).isEqualTo(new Event(0x0400, 0, ""));
  }

  @Test
  void connectedAndRetriedWithTheDelayOnTheConnectingSide() {
    Socket peer = context.socket(SocketType.PULL);
    String endpoint = peer.bind("tcp://127.0.0.1:*");
    Socket client = context.socket(SocketType.PUSH, SocketOptions.builder()
        .reconnectInterval(Duration.ofMillis(50)).reconnectIntervalMax(Duration.ofMillis(50)).build());
    client.monitor("inproc://monitor-client", MonitorEvent.Type.CONNECTED, MonitorEvent.Type.RECONNECT_SCHEDULED);
    Socket monitor = context.socket(SocketType.PAIR);
    monitor.connect("inproc://monitor-client");
    client.connect(endpoint);
    assertThat(next(monitor)).isEqualTo(new Event(0x0001, 0, endpoint));
    assertThat(next(monitor)).isEqualTo(new Event(0x1000, 0, endpoint));
    peer.close();
    Event retried = next(monitor);
    assertThat(retried.number()).isEqualTo(0x0004);
    assertThat(retried.value()).isBetween(1L, 50L);
    client.stopMonitor();
    assertThat(next(monitor)).isEqualTo(new Event(0x0400, 0, ""));
  }

  @Test
  void aFailedHandshakeIsAProtocolFailure() throws Exception {
    Socket server = context.socket(SocketType.PULL);
    server.monitor("inproc://monitor-garbage", MonitorEvent.Type.HANDSHAKE_FAILED);
    Socket monitor = context.socket(SocketType.PAIR);
    monitor.connect("inproc://monitor-garbage");
    String endpoint = server.bind("tcp://127.0.0.1:*");
    int port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    try (java.net.Socket raw = new java.net.Socket("127.0.0.1", port)) {
      raw.getOutputStream().write("not ZMTP at all, just text\r\n".getBytes(StandardCharsets.US_ASCII));
      Event failed = next(monitor);
      assertThat(failed.number()).isEqualTo(0x2000);
      assertThat(failed.value()).isEqualTo(0x10000000L);
    }
  }

  @Test
  void aRefusedPeerIsAnAuthFailureWithTheZapStatusOnBothSides() {
    io.switchboard.socket.security.Authenticator auth = io.switchboard.socket.security.Authenticator.builder()
        .plainUser("alice", "secret").build();
    Socket server = context.socket(SocketType.PULL, SocketOptions.builder().plainServer(auth).build());
    Socket client = context.socket(SocketType.PUSH, SocketOptions.builder().plainClient("alice", "guess")
        .reconnectInterval(Duration.ofSeconds(5)).build());
    server.monitor("inproc://monitor-refusing", MonitorEvent.Type.HANDSHAKE_FAILED);
    client.monitor("inproc://monitor-refused", MonitorEvent.Type.HANDSHAKE_FAILED);
    Socket serverEvents = context.socket(SocketType.PAIR);
    serverEvents.connect("inproc://monitor-refusing");
    Socket clientEvents = context.socket(SocketType.PAIR);
    clientEvents.connect("inproc://monitor-refused");
    client.connect(server.bind("tcp://127.0.0.1:*"));
    assertThat(next(serverEvents)).extracting(Event::number, Event::value).containsExactly(0x4000, 400L);
    assertThat(next(clientEvents)).extracting(Event::number, Event::value).containsExactly(0x4000, 400L);
  }

  @Test
  void onlyInprocEndpoints() {
    Socket s = context.socket(SocketType.PUB);
    assertThatThrownBy(() -> s.monitor("tcp://127.0.0.1:*")).isInstanceOf(EndpointException.class)
        .hasMessageContaining("monitor endpoint: tcp://127.0.0.1:* (expected: inproc://NAME");
  }

  @Test
  void theEventFrameIsLittleEndian() {
    assertThat(LibzmqMonitor.code(0x1234, 0x0A0B0C0D)).containsExactly(0x34, 0x12, 0x0D, 0x0C, 0x0B, 0x0A);
  }
}
