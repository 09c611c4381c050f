package io.switchboard.bus.mesh;

import io.switchboard.bus.mesh.spi.Discovery;
import io.switchboard.bus.mesh.spi.DiscoveryContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds peers in DNS, asking again every {@link Builder#interval}: the A records of a name (each address with {@link
 * Builder#port}), or the SRV records of a name that starts with {@code _} (each target's addresses with the record's
 * port). A Kubernetes headless service gives both: {@code switchboard.default.svc.cluster.local} has an A record per
 * ready pod, {@code _mesh._tcp.switchboard.default.svc.cluster.local} an SRV record per pod and named port. Addresses
 * that disappear from the answers are reported lost.
 *
 * <p>Queries go to the system's resolvers, or to {@link Builder#server} ({@code HOST} or {@code HOST:PORT}).
 */
public final class DnsDiscovery implements Discovery {
  private static final Logger LOG = LoggerFactory.getLogger("io.switchboard.bus.mesh");
  /** How often the records are read again by default. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
  /** The port used with A records by default. */
  public static final int DEFAULT_PORT = 5670;

  private final String name;
  private final int port;
  private final String server;
  private final Duration interval;
  private ScheduledExecutorService timer;
  private volatile DiscoveryContext context;
  private Set<String> known = new HashSet<>();

  private DnsDiscovery(Builder b) {
    this.name = b.name;
    this.port = b.port;
    this.server = b.server;
    this.interval = b.interval;
  }

  /** A discovery of the A records of {@code name}, or its SRV records if it starts with {@code _}. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  @Override
  public String name() {
    return "dns";
  }

  @Override
  public void start(DiscoveryContext context) {
    this.context = context;
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "switchboard-dns-discovery");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::poll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void poll() {
    try {
      Set<String> now = new HashSet<>(lookup());
      for (String e : now) {
        if (!known.contains(e)) {
          context.found(e);
        }
      }
      for (String e : known) {
        if (!now.contains(e)) {
          context.lost(e);
        }
      }
      known = now;
    } catch (NamingException | RuntimeException e) {
      LOG.debug("dns discovery: cannot read the records of " + name + ": " + e);
    }
  }

  /** The endpoints the records name now. */
  public List<String> lookup() throws NamingException {
    Hashtable<String, String> env = new Hashtable<>();
    env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
    env.put(Context.PROVIDER_URL, server == null ? "dns:" : "dns://" + server);
    env.put("com.sun.jndi.dns.timeout.initial", "1000");
    env.put("com.sun.jndi.dns.timeout.retries", "2");
    DirContext dns = new InitialDirContext(env);
    try {
      List<String> out = new ArrayList<>();
      if (name.startsWith("_")) {
        for (String srv : records(dns, name, "SRV")) {
          String[] f = srv.trim().split("\\s+");
          if (f.length != 4) {
            continue;
          }
          int srvPort = Integer.parseInt(f[2]);
          String target = f[3].endsWith(".") ? f[3].substring(0, f[3].length() - 1) : f[3];
          List<String> addresses = records(dns, target, "A");
          if (addresses.isEmpty()) {
            out.add("tcp://" + target + ":" + srvPort);
          }
          for (String a : addresses) {
            out.add("tcp://" + a.trim() + ":" + srvPort);
          }
        }
      } else {
        for (String a : records(dns, name, "A")) {
          out.add("tcp://" + a.trim() + ":" + port);
        }
      }
      return out;
    } finally {
      dns.close();
    }
  }

  private static List<String> records(DirContext dns, String name, String type) throws NamingException {
    List<String> out = new ArrayList<>();
    Attributes attrs;
    try {
      attrs = dns.getAttributes(name, new String[] {type});
    } catch (NameNotFoundException e) {
      return out;
    }
    Attribute a = attrs.get(type);
    if (a == null) {
      return out;
    }
    NamingEnumeration<?> values = a.getAll();
    while (values.hasMore()) {
      out.add(String.valueOf(values.next()));
    }
    return out;
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /** Builds a {@link DnsDiscovery}. */
  public static final class Builder {
    private final String name;
    private int port = DEFAULT_PORT;
    private String server;
    private Duration interval = DEFAULT_INTERVAL;

    private Builder(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("dns name: \"\" (expected: a DNS name)");
      }
      this.name = name;
    }

    /** The tcp port of the peers found by A records. */
    public Builder port(int port) {
      this.port = PeerConfig.port("port", port);
      return this;
    }

    /** The DNS server to ask, {@code HOST} or {@code HOST:PORT}; the system's resolvers if unset. */
    public Builder server(String server) {
      this.server = server;
      return this;
    }

    /** How often to ask again. */
    public Builder interval(Duration interval) {
      this.interval = PeerConfig.positive("interval", interval);
      return this;
    }

    public DnsDiscovery build() {
      return new DnsDiscovery(this);
    }
  }
}
