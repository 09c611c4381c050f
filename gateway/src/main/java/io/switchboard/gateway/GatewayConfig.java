package io.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.gateway.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@link Gateway} serves: its address, its routes, the services {@code /status} reports, its limits and
 * timeouts. Immutable; made with {@link #builder()} or read from JSON with {@link #load(Path)}:
 *
 * <pre>{@code
 * {
 *   "listen": "127.0.0.1:5001",
 *   "node": "ipc:///run/user/1000/switchboard/node.sock",   // optional: the local node by default
 *   "channel": "services",
 *   "timeoutMs": 5000, "getAttemptMs": 1000, "statusTimeoutMs": 1000,
 *   "maxBodySize": 1048576, "retryAfterSeconds": 1,
 *   "services": ["people", "pets"],                          // optional: the routes' services are added
 *   "routes": [
 *     {"route": "GET /people", "service": "people", "cmd": "list"},
 *     {"route": "POST /people", "service": "people", "cmd": "add"}
 *   ]
 * }
 * }</pre>
 */
public final class GatewayConfig {
  /** The gateway's port, as the seed has it. */
  public static final int DEFAULT_PORT = 5001;
  /** How long a request may take, retries included, before the gateway answers 504. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  /** How long one attempt of a GET may take before it is retried on another instance. */
  public static final Duration DEFAULT_GET_ATTEMPT = Duration.ofSeconds(1);
  /** How long {@code /status} waits for each service. */
  public static final Duration DEFAULT_STATUS_TIMEOUT = Duration.ofSeconds(1);
  /** The largest request body, in octets; a larger one gets 413. */
  public static final int DEFAULT_MAX_BODY_SIZE = 1 << 20;
  /** The gateway's own HTTP I/O threads: none, its connections run on the bus client's I/O thread. */
  public static final int DEFAULT_IO_THREADS = 0;
  private static final Pattern SETTER_PREFIX = Pattern.compile("[A-Za-z]+: ");

  private final String host;
  private final int port;
  private final String node;
  private final String channel;
  private final List<Route> routes;
  private final List<String> services;
  private final Duration timeout;
  private final Duration getAttempt;
  private final Duration statusTimeout;
  private final int maxBodySize;
  private final int retryAfterSeconds;
  private final int ioThreads;

  private GatewayConfig(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.node = b.node;
    this.channel = b.channel;
    this.routes = List.copyOf(b.routes);
    Set<String> names = new LinkedHashSet<>(b.services);
    routes.forEach(r -> names.add(r.service()));
    this.services = List.copyOf(names);
    this.timeout = b.timeout;
    this.getAttempt = b.getAttempt;
    this.statusTimeout = b.statusTimeout;
    this.maxBodySize = b.maxBodySize;
    this.retryAfterSeconds = b.retryAfterSeconds;
    this.ioThreads = b.ioThreads;
  }

  /** A builder with the defaults and no routes. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads a configuration from a JSON file.
   *
   * @throws GatewayException if the file cannot be read, or a key is unknown or its value invalid (the message names
   *     the file and the key)
   */
  public static GatewayConfig load(Path file) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new GatewayException(file + ": " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException
          ? Json.reason(e) : "cannot read (" + e + ")"), e);
    }
    if (root == null || !root.isObject()) {
      throw new GatewayException(file + ": expected a JSON object");
    }
    Builder b = builder();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      JsonNode v = e.getValue();
      try {
        switch (key) {
          case "listen" -> b.listen(text(v));
          case "node" -> b.node(text(v));
          case "channel" -> b.channel(text(v));
          case "timeoutMs" -> b.timeout(Duration.ofMillis(number(v)));
          case "getAttemptMs" -> b.getAttempt(Duration.ofMillis(number(v)));
          case "statusTimeoutMs" -> b.statusTimeout(Duration.ofMillis(number(v)));
          case "maxBodySize" -> b.maxBodySize((int) Math.min(Integer.MAX_VALUE, number(v)));
          case "retryAfterSeconds" -> b.retryAfterSeconds((int) Math.min(Integer.MAX_VALUE, number(v)));
          case "ioThreads" -> b.ioThreads((int) Math.min(Integer.MAX_VALUE, number(v)));
          case "services" -> {
            if (!v.isArray()) {
              throw new IllegalArgumentException(v + " (expected: an array of service names)");
            }
            for (JsonNode s : v) {
              b.service(text(s));
            }
          }
          case "routes" -> {
            if (!v.isArray()) {
              throw new IllegalArgumentException(v + " (expected: an array of {\"route\",\"service\",\"cmd\"})");
            }
            int i = 0;
            for (JsonNode r : v) {
              key = "routes[" + i++ + "]";
              if (!r.isObject() || !r.path("route").isTextual() || !r.path("service").isTextual()
                  || !r.path("cmd").isTextual()) {
                throw new IllegalArgumentException(r + " (expected: {\"route\":\"GET /path\",\"service\":…,\"cmd\":…})");
              }
              b.route(Route.of(r.get("route").asText(), r.get("service").asText(), r.get("cmd").asText()));
            }
          }
          default -> throw new IllegalArgumentException("unknown key (expected one of: listen, node, channel, "
              + "timeoutMs, getAttemptMs, statusTimeoutMs, maxBodySize, retryAfterSeconds, ioThreads, services, "
              + "routes)");
        }
      } catch (IllegalArgumentException bad) {
        // a setter's message starts with its own name ("timeout: …"): the file's key replaces it
        String m = bad.getMessage();
        Matcher own = SETTER_PREFIX.matcher(m);
        throw new GatewayException(file + ": " + key + ": " + (own.lookingAt() ? m.substring(own.end()) : m), bad);
      }
    }
    return b.build();
  }

  private static String text(JsonNode v) {
    if (!v.isTextual()) {
      throw new IllegalArgumentException(v + " (expected: a string)");
    }
    return v.asText();
  }

  private static long number(JsonNode v) {
    if (!v.canConvertToLong() || !v.isIntegralNumber()) {
      throw new IllegalArgumentException(v + " (expected: a whole number)");
    }
    return v.asLong();
  }

  /** The address the gateway listens on. */
  public String host() {
    return host;
  }

  /** The port (0: any free one). */
  public int port() {
    return port;
  }

  /** The bus node's endpoint, or null for the local node. */
  public String node() {
    return node;
  }

  /** The bus channel the services are on. */
  public String channel() {
    return channel;
  }

  /** The routes, in the order they were given (the first that matches wins). */
  public List<Route> routes() {
    return routes;
  }

  /** The services {@code /status} reports: those named explicitly, then those of the routes. */
  public List<String> services() {
    return services;
  }

  /** How long a request may take, retries included. */
  public Duration timeout() {
    return timeout;
  }

  /** How long one attempt of a GET may take before it is retried. */
  public Duration getAttempt() {
    return getAttempt;
  }

  /** How long {@code /status} waits for each service. */
  public Duration statusTimeout() {
    return statusTimeout;
  }

  /** The largest request body in octets. */
  public int maxBodySize() {
    return maxBodySize;
  }

  /** The Retry-After of a 503, in seconds. */
  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** The gateway's own I/O threads for HTTP; 0 for the bus client's I/O thread. */
  public int ioThreads() {
    return ioThreads;
  }

  /** A builder holding this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.host = host;
    b.port = port;
    b.node = node;
    b.channel = channel;
    b.routes.addAll(routes);
    b.services.addAll(services);
    b.timeout = timeout;
    b.getAttempt = getAttempt;
    b.statusTimeout = statusTimeout;
    b.maxBodySize = maxBodySize;
    b.retryAfterSeconds = retryAfterSeconds;
    b.ioThreads = ioThreads;
    return b;
  }

  @Override
  public String toString() {
    return "GatewayConfig[" + host + ":" + port + ", " + routes.size() + " routes, services " + services + "]";
  }

  /** Builds a {@link GatewayConfig}; every setter checks its value. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = DEFAULT_PORT;
    private String node;
    private String channel = ServiceHost.DEFAULT_CHANNEL;
    private final List<Route> routes = new ArrayList<>();
    private final Set<String> services = new LinkedHashSet<>();
    private Duration timeout = DEFAULT_TIMEOUT;
    private Duration getAttempt = DEFAULT_GET_ATTEMPT;
    private Duration statusTimeout = DEFAULT_STATUS_TIMEOUT;
    private int maxBodySize = DEFAULT_MAX_BODY_SIZE;
    private int retryAfterSeconds = 1;
    private int ioThreads = DEFAULT_IO_THREADS;

    private Builder() {}

    /** The address and port, {@code HOST:PORT} (port 0: any free one). */
    public Builder listen(String hostPort) {
      int colon = hostPort.lastIndexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("listen: \"" + hostPort + "\" (expected: HOST:PORT, as 127.0.0.1:5001)");
      }
      int p;
      try {
        p = Integer.parseInt(hostPort.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("listen: \"" + hostPort + "\" (expected: HOST:PORT with a numeric port)");
      }
      host(hostPort.substring(0, colon));
      return port(p);
    }

    /** The address to listen on; 127.0.0.1 by default. */
    public Builder host(String host) {
      String h = Objects.requireNonNull(host, "host");
      this.host = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
      return this;
    }

    /** The port; {@value GatewayConfig#DEFAULT_PORT} by default, 0 for any free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 0 to 65535)");
      }
      this.port = port;
      return this;
    }

    /** The bus node's endpoint; the local node by default. */
    public Builder node(String endpoint) {
      this.node = endpoint;
      return this;
    }

    /** The bus channel of the services; {@value ServiceHost#DEFAULT_CHANNEL} by default. */
    public Builder channel(String channel) {
      this.channel = Objects.requireNonNull(channel, "channel");
      return this;
    }

    /** Adds a route. */
    public Builder route(Route route) {
      routes.add(Objects.requireNonNull(route, "route"));
      return this;
    }

    /** Adds a route, as {@link Route#of}. */
    public Builder route(String route, String service, String cmd) {
      return route(Route.of(route, service, cmd));
    }

    /** Adds a service to {@code /status} (the routes' services are there already). */
    public Builder service(String name) {
      services.add(Service.checkName("service", name));
      return this;
    }

    /** How long a request may take, retries included; {@link GatewayConfig#DEFAULT_TIMEOUT} by default. */
    public Builder timeout(Duration timeout) {
      this.timeout = positive("timeout", timeout);
      return this;
    }

    /**
     * How long one attempt of a GET may take before it is sent again (to the next instance, as the node takes them
     * in turn); {@link GatewayConfig#DEFAULT_GET_ATTEMPT} by default. Other methods are never retried.
     */
    public Builder getAttempt(Duration attempt) {
      this.getAttempt = positive("getAttempt", attempt);
      return this;
    }

    /** How long {@code /status} waits for each service; {@link GatewayConfig#DEFAULT_STATUS_TIMEOUT} by default. */
    public Builder statusTimeout(Duration timeout) {
      this.statusTimeout = positive("statusTimeout", timeout);
      return this;
    }

    /** The largest request body; {@value GatewayConfig#DEFAULT_MAX_BODY_SIZE} octets by default. */
    public Builder maxBodySize(int octets) {
      if (octets < 0) {
        throw new IllegalArgumentException("maxBodySize: " + octets + " (expected: at least 0)");
      }
      this.maxBodySize = octets;
      return this;
    }

    /** The Retry-After of a 503, in seconds; 1 by default. */
    public Builder retryAfterSeconds(int seconds) {
      if (seconds < 0 || seconds > 3600) {
        throw new IllegalArgumentException("retryAfterSeconds: " + seconds + " (expected: 0 to 3600)");
      }
      this.retryAfterSeconds = seconds;
      return this;
    }

    /**
     * The gateway's own I/O threads for its HTTP connections; or 0, the default, for none: the connections then run
     * on the bus client's I/O thread ({@link io.switchboard.bus.BusClient#eventLoop()}), so that a request and its
     * answer are never handed between threads inside the gateway. More threads serve more connections' HTTP in
     * parallel, at the cost of a hand-off each way.
     */
    public Builder ioThreads(int threads) {
      if (threads < 0 || threads > 256) {
        throw new IllegalArgumentException("ioThreads: " + threads + " (expected: 0 to 256)");
      }
      this.ioThreads = threads;
      return this;
    }

    private static Duration positive(String what, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + ": " + d + " (expected: more than zero)");
      }
      return d;
    }

    /** The configuration. */
    public GatewayConfig build() {
      return new GatewayConfig(this);
    }
  }
}
