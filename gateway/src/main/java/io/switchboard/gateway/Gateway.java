package io.switchboard.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.bus.BusClient;
import io.switchboard.bus.BusNode;
import io.switchboard.gateway.internal.HttpGateway;
import io.switchboard.gateway.internal.Servers;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An HTTP/1.1 API in front of bus services: each route of its {@link GatewayConfig} calls a service command, with the
 * path variables, the query parameters and the JSON body merged into the payload.
 *
 * <pre>{@code
 * GatewayConfig config = GatewayConfig.builder().port(0)
 *     .route("GET /people", "people", "list")
 *     .route("POST /people", "people", "add")
 *     .build();
 * try (Gateway gateway = Gateway.start(config, busClient)) {
 *   System.out.println(gateway.url() + "/people");
 * }
 * }</pre>
 *
 * <p>Answers are JSON ({@code Content-Type: application/json}): the command's result with 200; {@code
 * {"err":"…","kind":"…"}} with 400 (invalid input, with the reason), 404 (no route, or the service says not
 * found), 405 (with {@code Allow}), 409, 413 (a body over {@link GatewayConfig#maxBodySize()}), 500, 503 (with
 * {@code Retry-After}: no instance of the service is on the bus), or 504 (no answer within {@link
 * GatewayConfig#timeout()}). A GET whose attempt takes longer than {@link GatewayConfig#getAttempt()} is sent again,
 * to the next instance. {@code GET /status} reports every service: state, instances and latency. {@code GET
 * /metrics} gives the gateway's meters in Prometheus' text format: requests by route, method and status with a
 * latency histogram ({@code switchboard_gateway_requests_seconds}), and the open connections; {@link #registry()}
 * takes more.
 *
 * <p>Connections are kept alive; pipelined requests are answered in order. The gateway holds no state about its
 * services: it serves as soon as they register on the bus, whenever that is, and a restarted service is back with
 * its first registration.
 */
public final class Gateway implements AutoCloseable {
  private final GatewayConfig config;
  private final BusClient client;
  private final boolean ownsClient;
  private final Servers server;
  private final HttpGateway http;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicBoolean closed = new AtomicBoolean();

  private Gateway(GatewayConfig config, BusClient client, boolean ownsClient) {
    this.config = config;
    this.client = client;
    this.ownsClient = ownsClient;
    try {
      this.http = new HttpGateway(config, ServiceClient.of(client, config.channel()), registry);
      this.server = config.ioThreads() == 0
          ? Servers.bind("the gateway", config.host(), config.port(), client.eventLoop(), false, http.initializer())
          : Servers.bind("the gateway", config.host(), config.port(), config.ioThreads(), "switchboard-gateway-io",
              false, http.initializer());
    } catch (RuntimeException e) {
      if (ownsClient) {
        client.close();
      }
      throw e;
    }
  }

  /**
   * Starts a gateway with its own bus client, connected to {@link GatewayConfig#node()} (the local node if unset).
   *
   * @throws GatewayException if the address cannot be bound
   */
  public static Gateway start(GatewayConfig config) {
    String node = config.node() == null ? BusNode.defaultEndpoint() : config.node();
    return new Gateway(config, BusClient.builder().node(node).build(), true);
  }

  /**
   * Starts a gateway that calls services through {@code client}, which it does not close.
   *
   * @throws GatewayException if the address cannot be bound
   */
  public static Gateway start(GatewayConfig config, BusClient client) {
    return new Gateway(config, Objects.requireNonNull(client, "client"), false);
  }

  /** The configuration in force. */
  public GatewayConfig config() {
    return config;
  }

  /** The address it listens on, with the actual port. */
  public InetSocketAddress address() {
    return server.address();
  }

  /** The port it listens on. */
  public int port() {
    return server.port();
  }

  /** {@code http://HOST:PORT}. */
  public String url() {
    String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    return "http://" + host + ":" + port();
  }

  /** The registry of its meters, served at {@code /metrics}; bind more to it to have them served too. */
  public MeterRegistry registry() {
    return registry;
  }

  /**
   * Every configured service as the dashboard's {@code services} section shows it: {@code {"services":[{"name",
   * "state", "latencyMs", "instances":[{"id", "healthy"}], "requests"}]}}, the instances being the bus clients that
   * handle the service. Asks each service {@code status}, as {@code GET /status} does.
   */
  public CompletableFuture<ObjectNode> services() {
    return http.services();
  }

  /** Stops listening and closes every connection (and the bus client, if it made it). Idempotent; bounded. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      server.close(Duration.ofSeconds(2));
      registry.close();
    } finally {
      if (ownsClient) {
        client.close();
      }
    }
  }

  @Override
  public String toString() {
    return "Gateway[" + url() + ", " + config.routes().size() + " routes]";
  }
}
