package io.switchboard.socket.internal;

import io.switchboard.socket.MonitorEvent;
import io.switchboard.socket.SocketStatistics;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A socket's counters, read by {@link SocketCore#statistics()} off the hot path. The tcp and ipc ones are added to
 * once per batch written or read by an I/O thread ({@link PipeHandler}), never per message; inproc pipes count in
 * their windows ({@link InprocPipe#sent()}), and what a removed inproc pipe counted is kept here ({@link #keep}).
 */
final class SocketCounters {
  private final AtomicLong netMessagesSent = new AtomicLong();
  private final AtomicLong netBytesSent = new AtomicLong();
  private final AtomicLong netMessagesReceived = new AtomicLong();
  private final AtomicLong netBytesReceived = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong reconnects = new AtomicLong();
  private final AtomicLong handshakeFailures = new AtomicLong();
  private final AtomicLong protocolErrors = new AtomicLong();
  /** What removed inproc pipes counted; under the socket's lock, as the pipe set is. */
  private long inprocSentGone;
  private long inprocReceivedGone;

  /** An I/O thread wrote {@code messages} messages of {@code octets} body octets in one batch. */
  void sent(int messages, long octets) {
    netMessagesSent.addAndGet(messages);
    netBytesSent.addAndGet(octets);
  }

  /** An I/O thread read {@code messages} messages of {@code octets} body octets in one read. */
  void received(int messages, long octets) {
    netMessagesReceived.addAndGet(messages);
    netBytesReceived.addAndGet(octets);
  }

  /** {@code messages} were dropped: at a peer's high-water mark, unroutable, or out of turn. */
  void dropped(long messages) {
    dropped.addAndGet(messages);
  }

  /** Counts the events that have a counter of their own: protocol errors, failed handshakes, reconnects. */
  void event(MonitorEvent.Type type) {
    switch (type) {
      case PROTOCOL_ERROR -> protocolErrors.incrementAndGet();
      case HANDSHAKE_FAILED -> handshakeFailures.incrementAndGet();
      case RECONNECT_SCHEDULED -> reconnects.incrementAndGet();
      default -> { }
    }
  }

  /** Keeps what a removed inproc pipe counted; under the socket's lock. */
  void keep(Pipe pipe) {
    if (pipe instanceof InprocPipe inproc) {
      inprocSentGone += inproc.sent();
      inprocReceivedGone += inproc.received();
    }
  }

  /** The counters summed with what {@code pipes} count and queue; under the socket's lock. */
  SocketStatistics snapshot(Pipe[] pipes, int queuedInbound) {
    long sent = netMessagesSent.get() + inprocSentGone;
    long received = netMessagesReceived.get() + inprocReceivedGone;
    long queuedOut = 0;
    int connections = 0;
    for (Pipe p : pipes) {
      if (p instanceof InprocPipe inproc) {
        sent += inproc.sent();
        received += inproc.received();
      }
      queuedOut += p.queued();
      if (p.isAttached()) {
        connections++;
      }
    }
    return new SocketStatistics(sent, received, netBytesSent.get(), netBytesReceived.get(), dropped.get(), queuedOut,
        queuedInbound, connections, reconnects.get(), handshakeFailures.get(), protocolErrors.get());
  }
}
