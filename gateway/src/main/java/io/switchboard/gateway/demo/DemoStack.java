package io.switchboard.gateway.demo;

import io.switchboard.bus.BusClient;
import io.switchboard.bus.BusNode;
import io.switchboard.gateway.Gateway;
import io.switchboard.gateway.GatewayConfig;
import io.switchboard.gateway.ServiceClient;
import io.switchboard.gateway.ServiceHost;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The whole demo in one process: a bus node, the people and pets services (each on the bus and on its TCP port) with
 * their databases, and the gateway. What {@code switchboard demo} runs. {@link #close()} stops it all, in reverse
 * order; idempotent.
 */
public final class DemoStack implements AutoCloseable {
  private final Deque<AutoCloseable> parts = new ArrayDeque<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private BusNode node;
  private Gateway gateway;
  private ServiceHost people;
  private ServiceHost pets;
  private DemoDatabase peopleDb;
  private DemoDatabase petsDb;

  private DemoStack() {}

  /** A builder with the seed's ports on 127.0.0.1 and SQLite in {@link DemoDatabase#dataDirectory()}. */
  public static Builder builder() {
    return new Builder();
  }

  private <T extends AutoCloseable> T own(T part) {
    parts.push(part);
    return part;
  }

  /** The node the parts share. */
  public BusNode node() {
    return node;
  }

  /** The gateway. */
  public Gateway gateway() {
    return gateway;
  }

  /** The people service's host. */
  public ServiceHost people() {
    return people;
  }

  /** The pets service's host. */
  public ServiceHost pets() {
    return pets;
  }

  /** The people database. */
  public DemoDatabase peopleDatabase() {
    return peopleDb;
  }

  /** The pets database. */
  public DemoDatabase petsDatabase() {
    return petsDb;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    RuntimeException first = null;
    while (!parts.isEmpty()) {
      try {
        parts.pop().close();
      } catch (Exception e) {
        if (first == null) {
          first = e instanceof RuntimeException r ? r : new IllegalStateException(e);
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** Builds and starts a {@link DemoStack}. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int gatewayPort = Demo.GATEWAY_PORT;
    private int peoplePort = Demo.PEOPLE_PORT;
    private int petsPort = Demo.PETS_PORT;
    private String database;
    private Path dataDirectory;
    private Path ipc;

    private Builder() {}

    /** The address everything listens on; 127.0.0.1 by default. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The ports of the gateway, people and pets (0: any free one); 5001, 5002, 5003 by default. */
    public Builder ports(int gateway, int people, int pets) {
      for (int p : new int[] {gateway, people, pets}) {
        if (p < 0 || p > 65535) {
          throw new IllegalArgumentException("port: " + p + " (expected: 0 to 65535)");
        }
      }
      this.gatewayPort = gateway;
      this.peoplePort = people;
      this.petsPort = pets;
      return this;
    }

    /** One JDBC URL for both services (PostgreSQL, say); by default a SQLite file each. */
    public Builder database(String jdbcUrl) {
      this.database = jdbcUrl;
      return this;
    }

    /** Where the SQLite files go when no {@link #database} is given; {@link DemoDatabase#dataDirectory()} by default. */
    public Builder dataDirectory(Path dir) {
      this.dataDirectory = dir;
      return this;
    }

    /** The node's ipc socket; {@code demo.sock} beside {@link BusNode#defaultIpcPath()} by default. */
    public Builder ipc(Path path) {
      this.ipc = path;
      return this;
    }

    private String url(String service) {
      if (database != null) {
        return database;
      }
      return dataDirectory == null ? DemoDatabase.defaultUrl(service)
          : "jdbc:sqlite:" + dataDirectory.resolve("demo-" + service + ".db").toAbsolutePath();
    }

    /**
     * Starts the demo. If a part cannot start (a port taken, a database unreachable), what started is stopped.
     *
     * @throws io.switchboard.gateway.GatewayException or {@link io.switchboard.bus.BusException} saying what failed
     */
    public DemoStack start() {
      DemoStack s = new DemoStack();
      try {
        Path sock = ipc != null ? ipc : BusNode.defaultIpcPath().resolveSibling("demo.sock");
        s.node = s.own(BusNode.start(Demo.nodeConfig().toBuilder().ipc(sock.toString()).build(), line -> { }));
        BusClient bus = s.own(BusClient.connect(s.node.localEndpoint()));
        ServiceClient services = ServiceClient.of(bus);
        s.peopleDb = s.own(DemoDatabase.open(url("people"), "people"));
        s.petsDb = s.own(DemoDatabase.open(url("pets"), "pets"));
        s.pets = s.own(ServiceHost.builder(Demo.pets(s.petsDb.dataSource())).client(bus).tcp(host, petsPort)
            .start());
        s.people = s.own(ServiceHost.builder(Demo.people(s.peopleDb.dataSource(), services, Duration.ofSeconds(2)))
            .client(bus).tcp(host, peoplePort).start());
        s.gateway = s.own(Gateway.start(Demo.routes(GatewayConfig.builder()).host(host).port(gatewayPort).build(),
            bus));
        s.people.registered().join();
        s.pets.registered().join();
        return s;
      } catch (RuntimeException e) {
        try {
          s.close();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    }
  }
}
