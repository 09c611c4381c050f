package io.switchboard.bus.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.switchboard.bus.BusNode;
import io.switchboard.bus.NodeStatistics;
import io.switchboard.bus.NodeStatistics.ChannelStatistics;
import io.switchboard.bus.mesh.PeerInfo;
import io.switchboard.socket.SocketStatistics;
import io.switchboard.socket.SocketType;
import io.switchboard.socket.metrics.SocketMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.ToDoubleFunction;

/**
 * Publishes a bus node's {@link BusNode#statistics() statistics} to Micrometer: the node's event, drop, request and
 * error counters and its client and channel counts; per channel (tag {@code channel}) its events in, out and
 * dropped and its clients; per endpoint (tag {@code endpoint}) its socket's meters, as {@link SocketMetrics} names
 * them with {@code socket="node"}; with a mesh, its peers by state and per peer (tag {@code peer}) its messages,
 * queue, link and heartbeat round trip ({@value #MESH_PREFIX}…). docs/observability.md lists every name.
 *
 * <p>The meters read one snapshot of the node per {@value #SNAPSHOT_MILLIS} ms at most, however many of them a
 * scrape reads; nothing is added to the node's path of an event. Channels come and go with reloads, peers with the
 * mesh: a timer looks for new and removed ones every {@code refresh} (5 s by default) and adds or removes their
 * meters.
 *
 * <pre>{@code
 * try (NodeMetrics metrics = new NodeMetrics(node)) {
 *   metrics.bindTo(registry);
 *   ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. Needs {@code io.micrometer:micrometer-core} on the class path (the bus module declares it
 * optional). {@link #close()} removes the meters and stops the timer.
 */
// Micrometer is an optional dependency (requires static): an application that uses this class brings it itself.
@SuppressWarnings("exports")
public final class NodeMetrics implements MeterBinder, AutoCloseable {
  /** The prefix of every node meter's name. */
  public static final String PREFIX = "switchboard.node.";
  /** The prefix of every mesh meter's name. */
  public static final String MESH_PREFIX = "switchboard.mesh.";
  /** How often, by default, the timer looks for channels added or removed by a reload. */
  public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(5);
  /** How old a snapshot may be before a meter's read takes a new one. */
  static final long SNAPSHOT_MILLIS = 100;

  private final BusNode node;
  private final Duration refresh;
  private final List<MeterRegistry> registries = new ArrayList<>();
  private final List<Meter> nodeMeters = new ArrayList<>();
  private final List<SocketMetrics> sockets = new ArrayList<>();
  /** Per channel name, its meters in every registry. */
  private final Map<String, List<Meter>> channelMeters = new LinkedHashMap<>();
  /** Per peer id, its meters in every registry. */
  private final Map<String, List<Meter>> peerMeters = new LinkedHashMap<>();
  private ScheduledExecutorService timer;
  private boolean closed;
  /** Guards {@link #snapshot} alone: the meters read it while a scrape runs, never holding this binder's lock. */
  private final Object snapshotLock = new Object();
  private Snapshot snapshot;

  private record Snapshot(long takenAtNanos, NodeStatistics statistics, Map<String, ChannelStatistics> channels,
      Map<String, PeerInfo> peers) {}

  /** Meters for {@code node}, looking for new channels every {@link #DEFAULT_REFRESH}. */
  public NodeMetrics(BusNode node) {
    this(node, DEFAULT_REFRESH);
  }

  /**
   * Meters for {@code node}, looking for new and removed channels every {@code refresh}.
   *
   * @throws IllegalArgumentException if {@code refresh} is not positive
   */
  public NodeMetrics(BusNode node, Duration refresh) {
    if (refresh.isNegative() || refresh.isZero()) {
      throw new IllegalArgumentException("refresh: " + refresh + " (expected: > 0)");
    }
    this.node = node;
    this.refresh = refresh;
  }

  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    if (closed) {
      throw new IllegalStateException("NodeMetrics is closed");
    }
    registries.add(registry);
    nodeMeters.add(Gauge.builder(PREFIX + "info", () -> 1).tags("node", node.id())
        .description("The node's id, as a tag; always 1").strongReference(true).register(registry));
    counter(registry, "events.in", "Events clients emitted", NodeStatistics::eventsIn);
    counter(registry, "events.out", "Events delivered to clients, one per recipient", NodeStatistics::eventsOut);
    counter(registry, "events.dropped", "Events and replies dropped for slow clients (queue full)",
        NodeStatistics::dropped);
    counter(registry, "requests", "Requests clients made", NodeStatistics::requests);
    counter(registry, "errors", "Malformed or refused client messages", NodeStatistics::errors);
    gauge(registry, "clients", "Clients connected now", s -> s.clients().size());
    gauge(registry, "channels", "Channels now", s -> s.channels().size());
    for (String endpoint : snapshot().statistics().endpoints().keySet()) {
      SocketMetrics m = new SocketMetrics(() -> endpointStatistics(endpoint), SocketType.ROUTER, "node",
          Tags.of("endpoint", endpoint));
      m.bindTo(registry);
      sockets.add(m);
    }
    if (node.meshEndpoint() != null) {
      for (PeerInfo.State state : PeerInfo.State.values()) {
        nodeMeters.add(Gauge.builder(MESH_PREFIX + "peers", this,
                m -> m.snapshot().peers().values().stream().filter(p -> p.state() == state).count())
            .tags("state", state.name().toLowerCase(Locale.ROOT)).description("Peers the mesh knows, by link state")
            .strongReference(true).register(registry));
      }
    }
    channelMeters.forEach((channel, meters) -> meters.addAll(channelMeters(registry, channel)));
    peerMeters.forEach((peer, meters) -> meters.addAll(peerMeters(registry, peer)));
    refreshChannels();
    if (timer == null) {
      timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "switchboard-node-metrics");
        t.setDaemon(true);
        return t;
      });
      long every = refresh.toMillis();
      timer.scheduleWithFixedDelay(this::refreshChannels, every, every, TimeUnit.MILLISECONDS);
    }
  }

  private void counter(MeterRegistry registry, String name, String help, ToDoubleFunction<NodeStatistics> value) {
    nodeMeters.add(FunctionCounter.builder(PREFIX + name, this, m -> value.applyAsDouble(m.snapshot().statistics()))
        .description(help).register(registry));
  }

  private void gauge(MeterRegistry registry, String name, String help, ToDoubleFunction<NodeStatistics> value) {
    nodeMeters.add(Gauge.builder(PREFIX + name, this, m -> value.applyAsDouble(m.snapshot().statistics()))
        .description(help).strongReference(true).register(registry));
  }

  private List<Meter> channelMeters(MeterRegistry registry, String channel) {
    Tags tags = Tags.of("channel", channel);
    List<Meter> meters = new ArrayList<>();
    meters.add(FunctionCounter.builder(PREFIX + "channel.events.in", this, m -> m.channel(channel).eventsIn())
        .tags(tags).description("Events emitted on the channel").register(registry));
    meters.add(FunctionCounter.builder(PREFIX + "channel.events.out", this, m -> m.channel(channel).eventsOut())
        .tags(tags).description("The channel's events delivered to its members").register(registry));
    meters.add(FunctionCounter.builder(PREFIX + "channel.events.dropped", this,
        m -> m.channel(channel).dropped())
        .tags(tags).description("The channel's events dropped for slow members").register(registry));
    meters.add(Gauge.builder(PREFIX + "channel.clients", this, m -> m.channel(channel).clients().size())
        .tags(tags).description("Clients that joined the channel").strongReference(true).register(registry));
    return meters;
  }

  private List<Meter> peerMeters(MeterRegistry registry, String peer) {
    List<Meter> meters = new ArrayList<>();
    meters.add(peerCounter(registry, peer, "messages.sent", "Messages accepted for the peer", PeerInfo::sent));
    meters.add(peerCounter(registry, peer, "messages.received", "Messages delivered from the peer",
        PeerInfo::received));
    meters.add(peerCounter(registry, peer, "messages.dropped", "Messages refused at the high-water mark",
        PeerInfo::dropped));
    meters.add(peerCounter(registry, peer, "messages.duplicates", "Messages that came twice and were delivered once",
        PeerInfo::duplicates));
    meters.add(peerCounter(registry, peer, "reconnects", "Links to the peer lost and got back",
        PeerInfo::reconnects));
    meters.add(peerGauge(registry, peer, "queued", "Messages waiting: unsent, or not yet acknowledged",
        PeerInfo::queued));
    meters.add(peerGauge(registry, peer, "links", "Live links to the peer", PeerInfo::links));
    meters.add(peerGauge(registry, peer, "connected", "1 while a link is up, else 0",
        p -> p.state() == PeerInfo.State.CONNECTED ? 1 : 0));
    meters.add(Gauge.builder(MESH_PREFIX + "peer.round.trip", this, m -> {
      PeerInfo p = m.snapshot().peers().get(peer);
      return p == null || p.roundTrip() == null ? Double.NaN : p.roundTrip().toNanos() / 1e9;
    }).tags("peer", peer).baseUnit("seconds").description("The last heartbeat's round trip, PING to PONG")
        .strongReference(true).register(registry));
    return meters;
  }

  private Meter peerCounter(MeterRegistry registry, String peer, String name, String help,
      ToDoubleFunction<PeerInfo> value) {
    return FunctionCounter.builder(MESH_PREFIX + "peer." + name, this, m -> m.peer(peer, value))
        .tags("peer", peer).description(help).register(registry);
  }

  private Meter peerGauge(MeterRegistry registry, String peer, String name, String help,
      ToDoubleFunction<PeerInfo> value) {
    return Gauge.builder(MESH_PREFIX + "peer." + name, this, m -> m.peer(peer, value))
        .tags("peer", peer).description(help).strongReference(true).register(registry);
  }

  /** A figure of a peer in the current snapshot; a forgotten peer reads as 0 until its meters go. */
  private double peer(String id, ToDoubleFunction<PeerInfo> value) {
    PeerInfo p = snapshot().peers().get(id);
    return p == null ? 0 : value.applyAsDouble(p);
  }

  /** A channel's statistics in the current snapshot; a removed channel reads as zeros until its meters go. */
  private ChannelStatistics channel(String name) {
    ChannelStatistics c = snapshot().channels().get(name);
    return c != null ? c : new ChannelStatistics(name, List.of(), 0, 0, 0, List.of(), false);
  }

  private SocketStatistics endpointStatistics(String endpoint) {
    SocketStatistics s = snapshot().statistics().endpoints().get(endpoint);
    return s != null ? s : new SocketStatistics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  private Snapshot snapshot() {
    return snapshot(false);
  }

  private Snapshot snapshot(boolean fresh) {
    synchronized (snapshotLock) {
      long now = System.nanoTime();
      if (fresh || snapshot == null
          || now - snapshot.takenAtNanos() > TimeUnit.MILLISECONDS.toNanos(SNAPSHOT_MILLIS)) {
        NodeStatistics s = node.statistics();
        Map<String, ChannelStatistics> byName = new HashMap<>();
        for (ChannelStatistics c : s.channels()) {
          byName.put(c.name(), c);
        }
        Map<String, PeerInfo> peers = new HashMap<>();
        for (PeerInfo p : node.peers()) {
          peers.put(p.id(), p);
        }
        snapshot = new Snapshot(now, s, byName, peers);
      }
      return snapshot;
    }
  }

  /** Adds the meters of channels and peers that appeared and removes those of the ones that are gone. */
  synchronized void refreshChannels() {
    if (closed) {
      return;
    }
    Snapshot now = snapshot(true);
    follow(channelMeters, now.channels().keySet(), this::channelMeters);
    follow(peerMeters, now.peers().keySet(), this::peerMeters);
  }

  private void follow(Map<String, List<Meter>> meters, Set<String> names,
      BiFunction<MeterRegistry, String, List<Meter>> make) {
    for (String name : names) {
      meters.computeIfAbsent(name, n -> {
        List<Meter> made = new ArrayList<>();
        for (MeterRegistry registry : registries) {
          made.addAll(make.apply(registry, n));
        }
        return made;
      });
    }
    meters.entrySet().removeIf(e -> {
      if (names.contains(e.getKey())) {
        return false;
      }
      remove(e.getValue());
      return true;
    });
  }

  private void remove(List<Meter> meters) {
    for (Meter meter : meters) {
      for (MeterRegistry registry : registries) {
        registry.remove(meter);
      }
    }
  }

  /** Stops the timer and removes every meter this binder registered. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (timer != null) {
      timer.shutdownNow();
    }
    remove(nodeMeters);
    channelMeters.values().forEach(this::remove);
    peerMeters.values().forEach(this::remove);
    sockets.forEach(SocketMetrics::close);
    nodeMeters.clear();
    channelMeters.clear();
    peerMeters.clear();
    sockets.clear();
  }
}
