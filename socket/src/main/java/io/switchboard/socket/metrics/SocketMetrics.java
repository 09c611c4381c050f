package io.switchboard.socket.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketStatistics;
import io.switchboard.socket.SocketType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Publishes one socket's {@link Socket#statistics() statistics} to a Micrometer registry: message and octet counts,
 * drops, queue depths, connections, reconnects and handshake failures, each tagged {@code socket} (the socket's
 * {@link Socket#name() name}, or the name given) and {@code type}.
 *
 * <p>The meters read the socket's own counters when the registry asks (function counters and gauges): binding adds
 * nothing to the path of a message. Names, as Prometheus shows them (docs/observability.md lists them all):
 *
 * <pre>
 * switchboard_socket_messages_sent_total      switchboard_socket_messages_received_total
 * switchboard_socket_sent_bytes_total         switchboard_socket_received_bytes_total
 * switchboard_socket_messages_dropped_total   switchboard_socket_queued{direction="out"|"in"}
 * switchboard_socket_connections              switchboard_socket_reconnects_total
 * switchboard_socket_handshake_failures_total switchboard_socket_protocol_errors_total
 * </pre>
 *
 * <pre>{@code
 * SocketMetrics metrics = new SocketMetrics(pub, "quotes");
 * metrics.bindTo(registry);
 * ...
 * metrics.close();   // removes the meters, e.g. when the socket closes
 * }</pre>
 *
 * <p>Thread-safe. Needs {@code io.micrometer:micrometer-core} on the class path (the socket module declares it
 * optional).
 */
// Micrometer is an optional dependency (requires static): an application that uses this class brings it itself.
@SuppressWarnings("exports")
public final class SocketMetrics implements MeterBinder, AutoCloseable {
  /** The prefix of every socket meter's name. */
  public static final String PREFIX = "switchboard.socket.";

  private final Supplier<SocketStatistics> source;
  private final Tags tags;
  private final List<Bound> bound = new ArrayList<>();

  private record Bound(MeterRegistry registry, Meter meter) {}

  /** Binds a socket's meters tagged with its own name. */
  public SocketMetrics(Socket socket) {
    this(socket, socket.name(), Tags.empty());
  }

  /** Binds a socket's meters tagged {@code socket=name}. */
  public SocketMetrics(Socket socket, String name) {
    this(socket, name, Tags.empty());
  }

  /**
   * Binds a socket's meters tagged {@code socket=name}, {@code type} and {@code extraTags}.
   *
   * @throws IllegalArgumentException if {@code name} is empty
   */
  public SocketMetrics(Socket socket, String name, Iterable<Tag> extraTags) {
    this(socket::statistics, socket.type(), name, extraTags);
  }

  /**
   * Binds meters that read {@code statistics}, for a socket that its owner does not hand out (a bus node's, say),
   * tagged {@code socket=name}, {@code type} and {@code extraTags}. The meters call {@code statistics} once each
   * when the registry reads them; it must be cheap and thread-safe.
   *
   * @throws IllegalArgumentException if {@code name} is empty
   */
  public SocketMetrics(Supplier<SocketStatistics> statistics, SocketType type, String name,
      Iterable<Tag> extraTags) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("name: \"\" (expected: a non-empty name for the socket tag)");
    }
    this.source = statistics;
    this.tags = Tags.of("socket", name, "type", type.name()).and(extraTags);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    counter(registry, "messages.sent", null, "Messages handed to peers", SocketStatistics::messagesSent);
    counter(registry, "messages.received", null, "Messages that arrived from peers",
        SocketStatistics::messagesReceived);
    counter(registry, "sent", BaseUnits.BYTES, "Octets of frame bodies written to tcp and ipc connections",
        SocketStatistics::bytesSent);
    counter(registry, "received", BaseUnits.BYTES, "Octets of frame bodies read from tcp and ipc connections",
        SocketStatistics::bytesReceived);
    counter(registry, "messages.dropped", null, "Messages dropped at a peer's high-water mark or unroutable",
        SocketStatistics::dropped);
    counter(registry, "reconnects", null, "Reconnection attempts scheduled", SocketStatistics::reconnects);
    counter(registry, "handshake.failures", null, "Connections closed during their handshake",
        SocketStatistics::handshakeFailures);
    counter(registry, "protocol.errors", null, "Connections closed for a protocol violation after the handshake",
        SocketStatistics::protocolErrors);
    gauge(registry, "queued", Tags.of("direction", "out"), "Messages waiting to go out",
        SocketStatistics::queuedOutbound);
    gauge(registry, "queued", Tags.of("direction", "in"), "Messages waiting for the user to receive them",
        SocketStatistics::queuedInbound);
    gauge(registry, "connections", Tags.empty(), "Peers connected now", SocketStatistics::connections);
  }

  private void counter(MeterRegistry registry, String name, String unit, String help,
      ToDoubleFunction<SocketStatistics> value) {
    // The function holds this binder, and so the source, strongly: the meters work until close() removes them.
    FunctionCounter meter = FunctionCounter.builder(PREFIX + name, this, m -> value.applyAsDouble(source.get()))
        .tags(tags).baseUnit(unit).description(help).register(registry);
    remember(registry, meter);
  }

  private void gauge(MeterRegistry registry, String name, Tags more, String help,
      ToDoubleFunction<SocketStatistics> value) {
    Gauge meter = Gauge.builder(PREFIX + name, this, m -> value.applyAsDouble(source.get()))
        .tags(tags.and(more)).description(help).strongReference(true).register(registry);
    remember(registry, meter);
  }

  private synchronized void remember(MeterRegistry registry, Meter meter) {
    bound.add(new Bound(registry, meter));
  }

  /** Removes every meter this binder registered, from every registry it was bound to. Idempotent. */
  @Override
  public synchronized void close() {
    for (Bound b : bound) {
      b.registry().remove(b.meter());
    }
    bound.clear();
  }
}
