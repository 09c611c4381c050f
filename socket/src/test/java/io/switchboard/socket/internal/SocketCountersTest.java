package io.switchboard.socket.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.socket.MonitorEvent;
import io.switchboard.socket.SocketStatistics;
import org.junit.jupiter.api.Test;

class SocketCountersTest {
  @Test
  void aSnapshotSumsTheBatchesAndCountsEachEventOnItsOwnCounter() {
    SocketCounters counters = new SocketCounters();
    counters.sent(3, 48);
    counters.sent(2, 32);
    counters.received(4, 64);
    counters.dropped(1);
    counters.dropped(6);
    for (MonitorEvent.Type type : MonitorEvent.Type.values()) {
      counters.event(type);
    }
    counters.event(MonitorEvent.Type.RECONNECT_SCHEDULED);

    SocketStatistics s = counters.snapshot(new Pipe[0], 9);

    assertThat(s.messagesSent()).isEqualTo(5);
    assertThat(s.bytesSent()).isEqualTo(80);
    assertThat(s.messagesReceived()).isEqualTo(4);
    assertThat(s.bytesReceived()).isEqualTo(64);
    assertThat(s.dropped()).isEqualTo(7);
    assertThat(s.reconnects()).isEqualTo(2);
    assertThat(s.handshakeFailures()).isEqualTo(1);
    assertThat(s.protocolErrors()).isEqualTo(1);
    assertThat(s.queuedInbound()).isEqualTo(9);
    assertThat(s.queuedOutbound()).isZero();
    assertThat(s.connections()).isZero();
  }
}
