package io.switchboard.gateway.internal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.gateway.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The gateway's meters: a timer per route, method and status ({@code switchboard.gateway.requests}, a latency
 * histogram with fixed buckets) and the open connections. A request costs one array read and one timer record: the
 * timers of a {@link Label} are made on first use of a status and kept. Labels are fixed (the configured routes, and
 * a few for what no route answers), so a client cannot make new series by sending odd methods or paths.
 */
final class RequestMetrics {
  static final String REQUESTS = "switchboard.gateway.requests";
  static final String CONNECTIONS = "switchboard.gateway.connections";
  /** The histogram's bucket bounds. */
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
    Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)
  };
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

  /** The requests the gateway answers itself: {@code /status}, {@code /metrics}, and those no route matched. */
  final Label status;
  final Label metrics;
  private final Label[] unmatched = new Label[METHODS.size() + 1];
  private final String[] methods = METHODS.stream().sorted().toArray(String[]::new);
  private final MeterRegistry registry;
  /** The configured routes' labels, made by {@link #route} while the gateway is built. */
  private final List<Label> routes = new ArrayList<>();
  final AtomicInteger connections = new AtomicInteger();

  RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.status = new Label("GET", "/status", "");
    this.metrics = new Label("GET", "/metrics", "");
    for (int i = 0; i < methods.length; i++) {
      unmatched[i] = new Label(methods[i], "unmatched", "");
    }
    unmatched[methods.length] = new Label("other", "unmatched", "");
    Gauge.builder(CONNECTIONS, connections, AtomicInteger::get).description("HTTP connections open now")
        .register(registry);
  }

  /** The label of a configured route; called while the gateway is built. */
  Label route(Route route) {
    Label label = new Label(route.method(), route.path(), route.service());
    routes.add(label);
    return label;
  }

  /** The label of a request no route answered, by its method (any unusual method is {@code other}). */
  Label unmatched(String method) {
    for (int i = 0; i < methods.length; i++) {
      if (methods[i].equals(method)) {
        return unmatched[i];
      }
    }
    return unmatched[methods.length];
  }

  /** Requests to a service through its routes that were answered, whatever the status: its timers' counts. */
  long requestsTo(String service) {
    long n = 0;
    for (Label l : routes) {
      if (l.service.equals(service)) {
        for (int i = 0; i < l.byStatus.length(); i++) {
          Timer timer = l.byStatus.get(i);
          n += timer == null ? 0 : timer.count();
        }
      }
    }
    return n;
  }

  /** A route (or one of the gateway's own answers) and its timers by status. */
  final class Label {
    final String method;
    final String route;
    /** The service its route calls; empty for the gateway's own answers. */
    final String service;
    private final AtomicReferenceArray<Timer> byStatus = new AtomicReferenceArray<>(600);

    private Label(String method, String route, String service) {
      this.method = method;
      this.route = route;
      this.service = service;
    }

    /** Counts one answer with HTTP status {@code code}, {@code nanos} after its request arrived. */
    void record(int code, long nanos) {
      int i = code >= 100 && code < 600 ? code : 0;
      Timer timer = byStatus.get(i);
      if (timer == null) {
        timer = Timer.builder(REQUESTS)
            .tags("method", method, "route", route, "status", Integer.toString(code))
            .description("HTTP requests answered, by route and status, and how long each took")
            .serviceLevelObjectives(BUCKETS)
            .register(registry);
        byStatus.set(i, timer);
      }
      timer.record(nanos, TimeUnit.NANOSECONDS);
    }
  }
}
