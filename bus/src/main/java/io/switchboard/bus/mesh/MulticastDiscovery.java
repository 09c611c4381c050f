package io.switchboard.bus.mesh;

import io.switchboard.bus.BusException;
import io.switchboard.bus.mesh.internal.Beacon;
import io.switchboard.bus.mesh.spi.Discovery;
import io.switchboard.bus.mesh.spi.DiscoveryContext;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds peers on a LAN by UDP beacons in ZRE's format ({@code "ZRE"}, version 1, a 16-octet UUID, the tcp port),
 * sent every {@link Builder#interval} to a multicast group or the broadcast address, on UDP port 5670 by default,
 * as Zyre does: tools that listen for Zyre beacons see Switchboard's peers. A peer ignores its own beacons, dials
 * the sender's address and port for every new UUID, and sends a beacon with port 0 when it closes, which others
 * take as leaving.
 *
 * <p>The default address is the broadcast address {@code 255.255.255.255}, as Zyre's; a group in {@code
 * 224.0.0.0/4} is joined on {@link Builder#networkInterface} (or the system's default). Several peers on one host
 * share the port.
 */
public final class MulticastDiscovery implements Discovery {
  private static final Logger LOG = LoggerFactory.getLogger("io.switchboard.bus.mesh");
  /** Zyre's beacon address: broadcast. */
  public static final String DEFAULT_ADDRESS = "255.255.255.255";
  /** Zyre's beacon port. */
  public static final int DEFAULT_PORT = 5670;
  /** Zyre's beacon interval. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

  private final InetAddress address;
  private final int port;
  private final Duration interval;
  private final String networkInterface;
  private final Map<UUID, String> seen = new ConcurrentHashMap<>();
  private DatagramChannel channel;
  private ScheduledExecutorService sender;
  private Thread receiver;
  private volatile DiscoveryContext context;
  private volatile boolean closed;

  private MulticastDiscovery(Builder b) {
    this.address = b.address;
    this.port = b.port;
    this.interval = b.interval;
    this.networkInterface = b.networkInterface;
  }

  /** A builder with Zyre's defaults: broadcast, port 5670, every second. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "multicast";
  }

  /** Where beacons go: {@code address:port}. */
  public String target() {
    return address.getHostAddress() + ":" + port;
  }

  @Override
  public void start(DiscoveryContext context) {
    this.context = context;
    try {
      channel = DatagramChannel.open(StandardProtocolFamily.INET);
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      channel.setOption(StandardSocketOptions.SO_BROADCAST, true);
      channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
      channel.bind(new InetSocketAddress(port));
      if (address.isMulticastAddress()) {
        NetworkInterface nif = networkInterface != null ? NetworkInterface.getByName(networkInterface)
            : defaultInterface();
        if (nif == null) {
          throw new BusException("multicast discovery: no network interface "
              + (networkInterface == null ? "for multicast" : "\"" + networkInterface + "\""));
        }
        channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, nif);
        channel.join(address, nif);
      }
    } catch (IOException e) {
      close();
      throw new BusException("multicast discovery: cannot listen on UDP port " + port + " for " + target() + ": "
          + e.getMessage(), e);
    }
    receiver = new Thread(this::receive, "switchboard-beacon-receiver");
    receiver.setDaemon(true);
    receiver.start();
    sender = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "switchboard-beacon-sender");
      t.setDaemon(true);
      return t;
    });
    sender.scheduleAtFixedRate(() -> beacon(context.port()), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static NetworkInterface defaultInterface() throws IOException {
    for (NetworkInterface nif : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nif.isUp() && nif.supportsMulticast() && !nif.isLoopback()) {
        return nif;
      }
    }
    return NetworkInterface.getByName("lo");
  }

  private void beacon(int tcpPort) {
    try {
      channel.send(ByteBuffer.wrap(new Beacon(context.uuid(), tcpPort).encode()),
          new InetSocketAddress(address, port));
    } catch (IOException e) {
      if (!closed) {
        LOG.debug("multicast discovery: cannot send a beacon to " + target(), e);
      }
    }
  }

  private void receive() {
    ByteBuffer buf = ByteBuffer.allocate(512);
    while (!closed) {
      try {
        buf.clear();
        InetSocketAddress from = (InetSocketAddress) channel.receive(buf);
        buf.flip();
        Beacon b = Beacon.decode(buf);
        if (b == null || b.uuid().equals(context.uuid()) || !(from.getAddress() instanceof Inet4Address)) {
          continue;
        }
        if (b.port() == 0) {
          String gone = seen.remove(b.uuid());
          if (gone != null) {
            context.lost(gone);
          }
          continue;
        }
        String endpoint = "tcp://" + from.getAddress().getHostAddress() + ":" + b.port();
        if (!endpoint.equals(seen.put(b.uuid(), endpoint))) {
          context.found(endpoint);
        }
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException | RuntimeException e) {
        if (!closed) {
          LOG.debug("multicast discovery: a beacon could not be read", e);
        }
      }
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    if (sender != null) {
      sender.shutdownNow();
      try {
        sender.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (channel != null && channel.isOpen()) {
        beacon(0);
      }
    }
    closed = true;
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException e) {
      LOG.debug("multicast discovery: closing", e);
    }
  }

  /** Builds a {@link MulticastDiscovery}. */
  public static final class Builder {
    private InetAddress address;
    private int port = DEFAULT_PORT;
    private Duration interval = DEFAULT_INTERVAL;
    private String networkInterface;

    private Builder() {
      address(DEFAULT_ADDRESS);
    }

    /** A multicast group ({@code 224.0.0.0/4}) or a broadcast address. */
    public Builder address(String address) {
      try {
        InetAddress a = InetAddress.getByName(Objects.requireNonNull(address, "address"));
        if (!(a instanceof Inet4Address)) {
          throw new IllegalArgumentException("address: " + address + " (expected: an IPv4 multicast group or "
              + "broadcast address)");
        }
        this.address = a;
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("address: " + address + " (expected: an IPv4 address)", e);
      }
      return this;
    }

    /** The UDP port beacons go to and are heard on. */
    public Builder port(int port) {
      this.port = PeerConfig.port("port", port);
      return this;
    }

    /** How often a beacon goes out. */
    public Builder interval(Duration interval) {
      this.interval = PeerConfig.positive("interval", interval);
      return this;
    }

    /** The interface a multicast group is joined on, by name ({@code eth0}); the system's default if unset. */
    public Builder networkInterface(String name) {
      this.networkInterface = name;
      return this;
    }

    public MulticastDiscovery build() {
      return new MulticastDiscovery(this);
    }
  }
}
