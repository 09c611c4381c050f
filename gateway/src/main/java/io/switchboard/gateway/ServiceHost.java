package io.switchboard.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.switchboard.bus.BusChannel;
import io.switchboard.bus.BusClient;
import io.switchboard.gateway.internal.Dispatcher;
import io.switchboard.gateway.internal.JsonLineDecoder;
import io.switchboard.gateway.internal.JsonLineHandler;
import io.switchboard.gateway.internal.Servers;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a {@link Service}: registers it on a bus node, where every host of the same service shares its requests, and
 * optionally serves it on a TCP port as newline-delimited JSON.
 *
 * <pre>{@code
 * try (ServiceHost host = ServiceHost.builder(hello).node(node.localEndpoint()).tcp("127.0.0.1", 5002).start()) {
 *   host.registered().join();      // the node routes requests for "hello" here from now on
 *   ...                            // echo '{"cmd":"greet","payload":{"name":"ada"}}' | nc 127.0.0.1 5002
 * }
 * }</pre>
 *
 * <p>On the bus, the service answers requests for the event named after it on the channel {@link
 * Builder#channel} ({@value #DEFAULT_CHANNEL} by default), whose data is a request {@code {"cmd":…,"payload":…}}
 * and whose reply is the answer {@code {"res":…}} or {@code {"err":…,"kind":…}}. The host's bus client reconnects
 * by itself, so a host may start before its node and survives the node's restart.
 *
 * <p>On TCP, each request is one line (or one JSON object, line feed or not) and gets one line back, in order, with
 * the request's {@code id} if it had one. A malformed request gets {@code {"err":"…why…","kind":"invalid"}}, a
 * request longer than {@link Builder#maxRequestLength} is refused the same way, and the connection stays usable.
 *
 * <p>Commands run on the host's worker threads ({@link Builder#workers}); inline commands on the thread that read
 * the request. {@link #close()} is idempotent and bounded.
 */
public final class ServiceHost implements AutoCloseable {
  /** The bus channel services register on, unless told otherwise. */
  public static final String DEFAULT_CHANNEL = "services";
  /** Worker threads for a service's commands. */
  public static final int DEFAULT_WORKERS = 8;
  /** The longest request, in octets. */
  public static final int DEFAULT_MAX_REQUEST_LENGTH = 64 * 1024;
  /** Requests waiting for a worker before the host refuses more ({@code unavailable}). */
  public static final int DEFAULT_QUEUE = 10_000;

  private final Service service;
  private final BusClient client;
  private final boolean ownsClient;
  private final BusChannel channel;
  private final ExecutorService workers;
  private final Servers tcp;
  private final CompletableFuture<Void> registered;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ServiceHost(Builder b) {
    this.service = b.service;
    AtomicInteger threads = new AtomicInteger();
    this.workers = new ThreadPoolExecutor(b.workers, b.workers, 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(b.queue), r -> {
          Thread t = new Thread(r, "switchboard-service-" + service.name() + "-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    Dispatcher dispatcher = new Dispatcher(service.name(), cmd -> {
      Service.Entry e = service.command(cmd);
      return e == null ? null : new Dispatcher.Target(e.command(), e.inline());
    }, List.copyOf(service.commands()), workers);
    this.ownsClient = b.client == null;
    BusClient c = null;
    Servers server = null;
    try {
      c = ownsClient ? BusClient.builder().node(b.node).name(clientName(service.name())).build() : b.client;
      this.channel = c.join(b.channel);
      this.registered = channel.handle(service.name(), request -> {
        CompletableFuture<ObjectNode> answer = "json".equals(request.format())
            ? dispatcher.dispatch(request.rawData(), 0, request.rawData().length)
            : dispatcher.dispatch(request.json());
        return answer.isDone() ? answer.join() : answer;
      });
      if (b.tcpHost != null) {
        int max = b.maxRequestLength;
        server = Servers.bind(service.name() + "'s TCP port", b.tcpHost, b.tcpPort, 1,
            "switchboard-service-" + service.name() + "-io", true, new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new JsonLineDecoder(max), new JsonLineHandler(dispatcher, max));
              }
            });
      }
    } catch (RuntimeException e) {
      if (ownsClient && c != null) {
        c.close();
      }
      workers.shutdownNow();
      throw e;
    }
    this.client = c;
    this.tcp = server;
  }

  private static String clientName(String service) {
    return String.format("svc-%s-%06x", service, ThreadLocalRandom.current().nextInt(1 << 24));
  }

  /** A builder for a host of {@code service}. */
  public static Builder builder(Service service) {
    return new Builder(service);
  }

  /** The service this host runs. */
  public Service service() {
    return service;
  }

  /**
   * Completes when the node has registered this host as a handler of the service (at once if it runs, or when the
   * node appears), or exceptionally if the node refused (no such channel).
   */
  public CompletableFuture<Void> registered() {
    return registered;
  }

  /** The TCP port the service listens on, or -1 if it has none. */
  public int tcpPort() {
    return tcp == null ? -1 : tcp.port();
  }

  /**
   * Stops the host: it leaves the bus (the node sends its requests to the other hosts), its TCP port closes, and
   * commands still queued are dropped (their callers time out or retry). Idempotent; returns within about two
   * seconds.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      if (ownsClient) {
        client.close();
      } else {
        channel.unhandle(service.name());
      }
    } finally {
      workers.shutdownNow();
      if (tcp != null) {
        tcp.close(Duration.ofSeconds(1));
      }
      try {
        workers.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "ServiceHost[" + service.name() + (tcp == null ? "" : " tcp " + tcp.address()) + "]";
  }

  /** Builds and starts a {@link ServiceHost}. */
  public static final class Builder {
    private final Service service;
    private String node;
    private BusClient client;
    private String channel = DEFAULT_CHANNEL;
    private String tcpHost;
    private int tcpPort;
    private int workers = DEFAULT_WORKERS;
    private int queue = DEFAULT_QUEUE;
    private int maxRequestLength = DEFAULT_MAX_REQUEST_LENGTH;

    private Builder(Service service) {
      this.service = Objects.requireNonNull(service, "service");
    }

    /** The node to register on, by endpoint; the host makes (and closes) its own client. The local node by default. */
    public Builder node(String endpoint) {
      this.node = Objects.requireNonNull(endpoint, "endpoint");
      this.client = null;
      return this;
    }

    /**
     * Registers through an existing client, which the host does not close. One client holds one handler per
     * service: for two instances of a service, give each its own client (or let each make one with {@link #node}).
     */
    public Builder client(BusClient client) {
      this.client = Objects.requireNonNull(client, "client");
      this.node = null;
      return this;
    }

    /** The bus channel to register on; {@value ServiceHost#DEFAULT_CHANNEL} by default. */
    public Builder channel(String channel) {
      this.channel = Objects.requireNonNull(channel, "channel");
      return this;
    }

    /**
     * Also serves the service as newline-delimited JSON on TCP, at {@code host:port} (port 0 picks a free one; see
     * {@link ServiceHost#tcpPort()}).
     */
    public Builder tcp(String host, int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 0 to 65535)");
      }
      this.tcpHost = Objects.requireNonNull(host, "host");
      this.tcpPort = port;
      return this;
    }

    /** Threads that run commands; {@value ServiceHost#DEFAULT_WORKERS} by default. */
    public Builder workers(int threads) {
      if (threads < 1 || threads > 1024) {
        throw new IllegalArgumentException("workers: " + threads + " (expected: 1 to 1024)");
      }
      this.workers = threads;
      return this;
    }

    /** Requests that wait for a worker before more are refused; {@value ServiceHost#DEFAULT_QUEUE} by default. */
    public Builder queue(int requests) {
      if (requests < 1) {
        throw new IllegalArgumentException("queue: " + requests + " (expected: at least 1)");
      }
      this.queue = requests;
      return this;
    }

    /** The longest TCP request in octets; {@value ServiceHost#DEFAULT_MAX_REQUEST_LENGTH} by default. */
    public Builder maxRequestLength(int octets) {
      if (octets < 16) {
        throw new IllegalArgumentException("maxRequestLength: " + octets + " (expected: at least 16)");
      }
      this.maxRequestLength = octets;
      return this;
    }

    /**
     * Starts the host: its bus client connects in the background (see {@link ServiceHost#registered()}); its TCP
     * port, if any, is bound before this returns.
     *
     * @throws GatewayException if the TCP port cannot be bound
     */
    public ServiceHost start() {
      if (client == null && node == null) {
        node = io.switchboard.bus.BusNode.defaultEndpoint();
      }
      return new ServiceHost(this);
    }
  }
}
