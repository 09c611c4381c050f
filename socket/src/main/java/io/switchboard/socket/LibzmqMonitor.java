package io.switchboard.socket;

import io.switchboard.socket.internal.SocketCore;
import io.switchboard.zmtp.ZmtpAuthenticationException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Publishes a socket's monitor events on a PAIR socket bound to an inproc endpoint, in libzmq's format, so that
 * code written for {@code zmq_socket_monitor} reads them unchanged: each event is two frames,
 *
 * <pre>
 *   frame 1 (6 octets): +----------------+--------------------------------+
 *                       | event (uint16) |          value (uint32)        |   both little-endian (libzmq writes
 *                       +----------------+--------------------------------+   them in host order; x86 and ARM are LE)
 *   frame 2:            the endpoint, as text
 * </pre>
 *
 * <p>Events are sent without waiting: if the reader falls behind by the PAIR's high-water mark, events are dropped
 * (as libzmq does) and counted. The mapping from {@link MonitorEvent.Type} is in {@link #code}.
 */
final class LibzmqMonitor implements SocketCore.CauseListener {
  // libzmq's event numbers (zmq.h).
  static final int CONNECTED = 0x0001;
  static final int CONNECT_RETRIED = 0x0004;
  static final int LISTENING = 0x0008;
  static final int ACCEPTED = 0x0020;
  static final int CLOSED = 0x0080;
  static final int DISCONNECTED = 0x0200;
  static final int MONITOR_STOPPED = 0x0400;
  static final int HANDSHAKE_SUCCEEDED = 0x1000;
  static final int HANDSHAKE_FAILED_PROTOCOL = 0x2000;
  static final int HANDSHAKE_FAILED_AUTH = 0x4000;
  /** ZMQ_PROTOCOL_ERROR_ZMTP_UNSPECIFIED: the value of a protocol handshake failure. */
  static final int PROTOCOL_ERROR_UNSPECIFIED = 0x10000000;
  /** The ZAP status code of a refused handshake. */
  static final int AUTH_REFUSED = 400;

  private static final Pattern ERROR_STATUS = Pattern.compile("ERROR: ([1-5]\\d\\d)\\b");

  private final Socket pair;
  private final Set<MonitorEvent.Type> types;
  private final AtomicBoolean stopped = new AtomicBoolean();
  final AtomicLong dropped = new AtomicLong();

  LibzmqMonitor(Socket pair, List<MonitorEvent.Type> types) {
    this.pair = pair;
    this.types = types.isEmpty() ? EnumSet.allOf(MonitorEvent.Type.class) : EnumSet.copyOf(types);
  }

  @Override
  public void onEvent(MonitorEvent event, Throwable cause) {
    if (!types.contains(event.type()) || stopped.get()) {
      return;
    }
    switch (event.type()) {
      case LISTENING -> send(LISTENING, 0, event.endpoint());
      case CONNECTED -> {
        send(CONNECTED, 0, event.endpoint());
        send(HANDSHAKE_SUCCEEDED, 0, event.endpoint());
      }
      case ACCEPTED -> {
        send(ACCEPTED, 0, event.endpoint());
        send(HANDSHAKE_SUCCEEDED, 0, event.endpoint());
      }
      case DISCONNECTED -> send(DISCONNECTED, 0, event.endpoint());
      case HANDSHAKE_FAILED -> {
        // Refused by our authenticator, or by the peer's (its ERROR command carries a ZAP status code).
        Matcher peerRefused = ERROR_STATUS.matcher(event.detail());
        if (refusedByAuthenticator(cause)) {
          send(HANDSHAKE_FAILED_AUTH, AUTH_REFUSED, event.endpoint());
        } else if (peerRefused.find()) {
          send(HANDSHAKE_FAILED_AUTH, Integer.parseInt(peerRefused.group(1)), event.endpoint());
        } else {
          send(HANDSHAKE_FAILED_PROTOCOL, PROTOCOL_ERROR_UNSPECIFIED, event.endpoint());
        }
      }
      case RECONNECT_SCHEDULED -> send(CONNECT_RETRIED, (int) Math.min(Integer.MAX_VALUE, event.delay().toMillis()),
          event.endpoint());
      case CLOSED -> {
        send(CLOSED, 0, event.endpoint());
        stop();
      }
      // CONNECT_FAILED and PROTOCOL_ERROR have no libzmq event: a RECONNECT_SCHEDULED or DISCONNECTED follows.
      default -> { }
    }
  }

  /** Whether an authenticator's refusal is somewhere in the chain of {@code cause}. */
  private static boolean refusedByAuthenticator(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof ZmtpAuthenticationException) {
        return true;
      }
    }
    return false;
  }

  /** Sends MONITOR_STOPPED and closes the PAIR. Idempotent. */
  void stop() {
    if (stopped.compareAndSet(false, true)) {
      send(MONITOR_STOPPED, 0, "");
      pair.close();
    }
  }

  /** The event frame: number and value, little-endian. */
  static byte[] code(int event, int value) {
    return new byte[] {(byte) event, (byte) (event >>> 8),
        (byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
  }

  private void send(int event, int value, String endpoint) {
    try {
      if (!pair.trySend(Message.of(code(event, value), endpoint.getBytes(java.nio.charset.StandardCharsets.UTF_8)))) {
        dropped.incrementAndGet();
      }
    } catch (SocketClosedException e) {
      dropped.incrementAndGet(); // the context is closing
    }
  }
}
