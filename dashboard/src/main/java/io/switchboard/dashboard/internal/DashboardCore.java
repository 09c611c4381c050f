package io.switchboard.dashboard.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.switchboard.dashboard.DashboardException;
import io.switchboard.dashboard.spi.DashboardSection;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running dashboard: its HTTP server, the timer that makes and sends each state, and the tail. */
public final class DashboardCore {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardCore.class);
  /** The largest request the server reads (a GET has no body; this bounds the headers). */
  static final int MAX_REQUEST_OCTETS = 16 * 1024;

  /** Writes sections' records; instants and durations as ISO-8601 text (2026-01-02T03:04:05Z, PT1.5S). */
  static final ObjectMapper JSON = new ObjectMapper()
      .registerModule(new SimpleModule("iso-time")
          .addSerializer(Instant.class, ToStringSerializer.instance)
          .addSerializer(Duration.class, ToStringSerializer.instance))
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  /** What {@link io.switchboard.dashboard.DashboardServer.Builder} collected. */
  public record Settings(String host, int port, PrometheusMeterRegistry registry, Map<String, DashboardSection> sections,
      List<String> order, String tailEndpoint, Duration updateInterval, int maxStreams, List<AutoCloseable> owned) {}

  private final Settings settings;
  private final EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("switchboard-http", true));
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "switchboard-dashboard");
    t.setDaemon(true);
    return t;
  });
  private final Streams streams;
  private final EventTail tail;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile String state = "{}";
  private Channel server;

  private DashboardCore(Settings settings) {
    this.settings = settings;
    this.streams = new Streams(settings.maxStreams());
    this.tail = settings.tailEndpoint() == null ? null : new EventTail(settings.tailEndpoint(), this::runLater);
  }

  /**
   * Binds and starts serving.
   *
   * @throws DashboardException if the address cannot be bound
   */
  public static DashboardCore start(Settings settings) {
    DashboardCore core = new DashboardCore(settings);
    try {
      core.bind();
      core.update();
      long every = settings.updateInterval().toMillis();
      core.timer.scheduleWithFixedDelay(core::update, every, every, TimeUnit.MILLISECONDS);
      return core;
    } catch (RuntimeException e) {
      core.close();
      throw e;
    }
  }

  private void bind() {
    ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpServerCodec(4096, MAX_REQUEST_OCTETS, 8192),
                new HttpObjectAggregator(MAX_REQUEST_OCTETS), new HttpHandler(DashboardCore.this));
          }
        });
    String where = settings.host() + ":" + settings.port();
    try {
      server = b.bind(settings.host(), settings.port()).syncUninterruptibly().channel();
    } catch (Exception e) { // Netty rethrows the BindException unchecked

      throw new DashboardException("cannot listen on " + where + " for HTTP: " + e.getMessage(), e);
    }
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) server.localAddress();
  }

  PrometheusMeterRegistry registry() {
    return settings.registry();
  }

  Streams streams() {
    return streams;
  }

  EventTail tail() {
    return tail;
  }

  /** Runs {@code task} on the dashboard's own thread, off the HTTP event loop (it may wait on the bus). */
  void runLater(Runnable task) {
    try {
      timer.execute(task);
    } catch (RejectedExecutionException closing) {
      // the server is closing: the stream closes with it
    }
  }

  /** The last state, as JSON text. */
  String state() {
    return state;
  }

  /** Makes a new state from every section and sends it to every state stream. */
  private void update() {
    try {
      ObjectNode root = JSON.createObjectNode();
      root.put("time", Instant.now().toString());
      root.put("intervalMillis", settings.updateInterval().toMillis());
      ObjectNode sections = root.putObject("sections");
      for (String name : settings.order()) {
        try {
          sections.set(name, JSON.valueToTree(settings.sections().get(name).snapshot()));
        } catch (RuntimeException e) {
          LOG.warn("dashboard section {} failed: {}", name, e.toString());
          sections.putObject(name).put("error", String.valueOf(e.getMessage()));
        }
      }
      state = JSON.writeValueAsString(root);
      streams.broadcastState(state);
    } catch (Exception e) {
      LOG.warn("dashboard update failed", e);
    }
  }

  /** Closes everything, each within about a second. Idempotent. */
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    timer.shutdownNow();
    if (tail != null) {
      tail.close();
    }
    streams.closeAll();
    if (server != null) {
      server.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    closeAll(settings.owned());
  }

  /** Closes each of {@code resources}, logging (not throwing) what fails. */
  public static void closeAll(List<AutoCloseable> resources) {
    for (AutoCloseable c : resources) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("dashboard: closing {} failed: {}", c, e.toString());
      }
    }
  }
}
