package io.switchboard.dashboard;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.bus.BusNode;
import io.switchboard.bus.metrics.NodeMetrics;
import io.switchboard.dashboard.internal.DashboardCore;
import io.switchboard.dashboard.internal.NodeView;
import io.switchboard.dashboard.spi.DashboardSection;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The HTTP port of a node: Prometheus metrics, a live dashboard page and its state as JSON.
 *
 * <ul>
 *   <li>{@code GET /metrics}: every meter of the server's registry in Prometheus text format (OpenMetrics when the
 *       scraper asks for it);
 *   <li>{@code GET /}: the dashboard page (channels and their clients and event rates, the mesh, services, a live
 *       tail of a channel's events); its script and style come from this jar, so it works offline;
 *   <li>{@code GET /api/state}: the state the page shows, as JSON; {@code GET /api/events}: the same, pushed as
 *       server-sent events every {@link Builder#updateInterval update interval};
 *   <li>{@code GET /api/tail?channel=NAME}: server-sent events, one per event on that channel.
 * </ul>
 *
 * <pre>{@code
 * try (BusNode node = BusNode.start(NodeConfig.defaults());
 *      DashboardServer http = DashboardServer.builder().node(node).bind("127.0.0.1", 7680).start()) {
 *   System.out.println("dashboard: " + http.url());
 * }
 * }</pre>
 *
 * <p>There is no authentication: the server binds the loopback address unless told otherwise, and should be
 * exposed only on a network trusted to see channel names, client ids and event data. Limits (streams, events per
 * second of a tail, request size) are constants here and in docs/observability.md; past them the server refuses
 * with 503 or drops tail events and says how many.
 *
 * <p>Threads: one I/O thread for HTTP, one for updates. {@link #close()} is idempotent and returns within about a
 * second.
 */
public final class DashboardServer implements AutoCloseable {
  /** The address bound by default: the loopback interface only. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** How often, by default, the page and {@code /api/events} get a new state. */
  public static final Duration DEFAULT_UPDATE_INTERVAL = Duration.ofSeconds(1);
  /** The shortest update interval allowed. */
  public static final Duration MIN_UPDATE_INTERVAL = Duration.ofMillis(100);
  /** Server-sent event streams open at once, by default; one more is refused with 503. */
  public static final int DEFAULT_MAX_STREAMS = 32;
  /** The most events per second one tail stream forwards; the rest are counted and reported as skipped. */
  public static final int TAIL_EVENTS_PER_SECOND = 50;
  /** The longest data preview a tail event carries, in characters. */
  public static final int TAIL_PREVIEW_CHARS = 512;

  private final DashboardCore core;
  private final PrometheusMeterRegistry registry;

  private DashboardServer(DashboardCore core, PrometheusMeterRegistry registry) {
    this.core = core;
    this.registry = registry;
  }

  /** A builder; {@link Builder#start()} binds the port. */
  public static Builder builder() {
    return new Builder();
  }

  /** The page's address, {@code http://HOST:PORT/}, with the actual port. */
  public String url() {
    InetSocketAddress a = address();
    String host = a.getAddress().getHostAddress();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/";
  }

  /** The address bound, with the actual port. */
  public InetSocketAddress address() {
    return core.address();
  }

  /** The registry {@code /metrics} shows; bind more meters to it at any time. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Stops serving: closes every stream and connection, the tail's bus client and the binders it made. */
  @Override
  public void close() {
    core.close();
  }

  @Override
  public String toString() {
    return "DashboardServer[" + url() + "]";
  }

  /** Options of a {@link DashboardServer}, validated by {@link #start()}. */
  public static final class Builder {
    private static final Pattern SECTION_NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    private String host = DEFAULT_HOST;
    private int port;
    private PrometheusMeterRegistry registry;
    private final Map<String, DashboardSection> sections = new LinkedHashMap<>();
    private final List<MeterBinder> binders = new ArrayList<>();
    private final List<AutoCloseable> owned = new ArrayList<>();
    private String tailEndpoint;
    private Duration updateInterval = DEFAULT_UPDATE_INTERVAL;
    private int maxStreams = DEFAULT_MAX_STREAMS;
    private boolean jvmMetrics = true;

    private Builder() {}

    /**
     * The address to listen on: a host name or address, and a port (0 picks a free one; {@link #address()} tells
     * which). Default: {@value #DEFAULT_HOST}, port 0.
     *
     * @throws IllegalArgumentException if the port is outside 0 to 65535
     */
    public Builder bind(String host, int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 0 to 65535)");
      }
      this.host = Objects.requireNonNull(host, "host");
      this.port = port;
      return this;
    }

    /**
     * Shows a bus node: the {@code node} section (channels, clients, endpoints), its meters ({@link NodeMetrics},
     * closed with the server) and a live tail of its channels (through a bus client named {@code dashboard},
     * connected to the node's local endpoint while someone watches a tail). A node with a mesh also gets the {@code
     * mesh} section: its peers, their link states and heartbeat round trips.
     */
    public Builder node(BusNode node) {
      NodeView view = new NodeView(node);
      section("node", view::snapshot);
      if (node.meshEndpoint() != null) {
        section("mesh", view::mesh);
      }
      NodeMetrics metrics = new NodeMetrics(node);
      binders.add(metrics);
      owned.add(metrics);
      tailEndpoint = node.localEndpoint();
      return this;
    }

    /**
     * Adds a section to the page and {@code /api/state}, under {@code name}.
     *
     * @throws IllegalArgumentException if the name is not lower-case letters, digits and dashes (up to 32,
     *     starting with a letter) or is taken
     */
    public Builder section(String name, DashboardSection section) {
      if (name == null || !SECTION_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("section name: \"" + name
            + "\" (expected: lower-case letters, digits and dashes, starting with a letter, up to 32)");
      }
      if (sections.putIfAbsent(name, Objects.requireNonNull(section, "section")) != null) {
        throw new IllegalArgumentException("section name: \"" + name + "\" (expected: a name not already added)");
      }
      return this;
    }

    /** Binds meters to the server's registry when it starts (a layer's {@code MeterBinder}). */
    public Builder meters(MeterBinder binder) {
      binders.add(Objects.requireNonNull(binder, "binder"));
      return this;
    }

    /** The registry to serve at {@code /metrics}; by default a new one. */
    public Builder registry(PrometheusMeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** Whether to add the JVM's meters (memory, GC, threads, CPU, uptime); default true. */
    public Builder jvmMetrics(boolean on) {
      this.jvmMetrics = on;
      return this;
    }

    /**
     * How often the page gets a new state; default 1 s.
     *
     * @throws IllegalArgumentException if shorter than {@link #MIN_UPDATE_INTERVAL}
     */
    public Builder updateInterval(Duration interval) {
      if (interval.compareTo(MIN_UPDATE_INTERVAL) < 0) {
        throw new IllegalArgumentException("updateInterval: " + interval + " (expected: >= "
            + MIN_UPDATE_INTERVAL + ")");
      }
      this.updateInterval = interval;
      return this;
    }

    /**
     * How many server-sent event streams may be open at once; default {@value #DEFAULT_MAX_STREAMS}.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxStreams(int streams) {
      if (streams <= 0) {
        throw new IllegalArgumentException("maxStreams: " + streams + " (expected: > 0)");
      }
      this.maxStreams = streams;
      return this;
    }

    /**
     * Binds the port and starts serving.
     *
     * @throws DashboardException if the address cannot be bound
     */
    public DashboardServer start() {
      PrometheusMeterRegistry r = registry != null ? registry : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      List<MeterBinder> all = new ArrayList<>();
      if (jvmMetrics) {
        JvmGcMetrics gc = new JvmGcMetrics();
        owned.add(gc);
        all.addAll(List.of(new JvmMemoryMetrics(), gc, new JvmThreadMetrics(), new ProcessorMetrics(),
            new UptimeMetrics()));
      }
      all.addAll(binders);
      try {
        for (MeterBinder binder : all) {
          binder.bindTo(r);
        }
        DashboardCore core = DashboardCore.start(new DashboardCore.Settings(host, port, r, Map.copyOf(sections),
            List.copyOf(sections.keySet()), tailEndpoint, updateInterval, maxStreams, List.copyOf(owned)));
        return new DashboardServer(core, r);
      } catch (RuntimeException e) {
        DashboardCore.closeAll(owned);
        throw e;
      }
    }
  }
}
