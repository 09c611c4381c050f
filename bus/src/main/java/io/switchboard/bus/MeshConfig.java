package io.switchboard.bus;

import io.switchboard.bus.mesh.DnsDiscovery;
import io.switchboard.bus.mesh.MulticastDiscovery;
import io.switchboard.bus.mesh.PeerConfig;
import io.switchboard.bus.mesh.StaticDiscovery;
import io.switchboard.socket.security.CurveKeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a node joins the mesh: its peer id and endpoint, how it finds other nodes, and its links' heartbeats and
 * security. A node with a mesh carries the events of its {@code propagateToNet} channels, and requests its own
 * handlers cannot answer, to the other nodes. In a node's configuration file this is the {@code mesh} object:
 *
 * <pre>{@code
 * "mesh": {
 *   "id": "node-1",                          // optional: else generated once and kept in the data directory
 *   "listen": "tcp://0.0.0.0:5670",          // where other nodes dial this one
 *   "advertise": "tcp://10.0.0.5:5670",      // optional: what they are told to dial
 *   "discovery": "multicast",                // static (the default), multicast, dns or none
 *   "peers": ["tcp://10.0.0.6:5670"],        // dialled and kept, whatever the discovery
 *   "multicast": {"address": "255.255.255.255", "port": 5670, "intervalMillis": 1000, "interface": "eth0"},
 *   "dns": {"name": "_mesh._tcp.switchboard.default.svc.cluster.local", "server": "10.96.0.10", "port": 5670},
 *   "heartbeatMillis": 1000, "heartbeatTimeoutMillis": 5000,
 *   "curveSecretKey": "…40 characters of Z85…"   // optional: CURVE on every link, with the mesh's key pair
 * }
 * }</pre>
 *
 * @param id the node's peer id, or {@code null} to use the one kept in the data directory
 * @param listen the tcp endpoint to listen on for other nodes
 * @param advertise the endpoint other nodes are told to dial, or {@code null} to derive it from {@code listen}
 * @param discovery how other nodes are found
 * @param peers endpoints dialled and kept from the start
 * @param multicastAddress the beacons' group or broadcast address
 * @param multicastPort the beacons' UDP port
 * @param beaconInterval how often a beacon goes out
 * @param multicastInterface the interface a multicast group is joined on, or {@code null} for the default
 * @param dnsName the name whose A (or, if it starts with {@code _}, SRV) records list the nodes
 * @param dnsServer the DNS server to ask ({@code HOST[:PORT]}), or {@code null} for the system's
 * @param dnsPort the port of nodes found by A records
 * @param heartbeatInterval how often an idle link sends a heartbeat
 * @param heartbeatTimeout how long a silent link lives
 * @param curveSecretKey the mesh's CURVE secret key in Z85, or {@code null} for links without CURVE
 */
public record MeshConfig(String id, String listen, String advertise, Discovery discovery, List<String> peers,
    String multicastAddress, int multicastPort, Duration beaconInterval, String multicastInterface, String dnsName,
    String dnsServer, int dnsPort, Duration heartbeatInterval, Duration heartbeatTimeout, String curveSecretKey) {

  /** How a node finds the others. */
  public enum Discovery {
    /** Only the configured {@link MeshConfig#peers()}. */
    STATIC,
    /** ZRE beacons over UDP broadcast or multicast, plus the configured peers. */
    MULTICAST,
    /** DNS A or SRV records, plus the configured peers. */
    DNS,
    /** None: peers come from {@code --peer} and from what connected nodes tell. */
    NONE
  }

  /** The default mesh port: ZRE's. */
  public static final int DEFAULT_PORT = 5670;

  /** Checks the values. */
  public MeshConfig {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(discovery, "discovery");
    peers = List.copyOf(peers);
  }

  /** A mesh on {@code listen} with static discovery of {@code peers} and the default settings. */
  public static MeshConfig of(String listen, List<String> peers) {
    return new MeshConfig(null, listen, null, Discovery.STATIC, peers, MulticastDiscovery.DEFAULT_ADDRESS,
        MulticastDiscovery.DEFAULT_PORT, MulticastDiscovery.DEFAULT_INTERVAL, null, null, null, DEFAULT_PORT,
        PeerConfig.DEFAULT_HEARTBEAT_INTERVAL, PeerConfig.DEFAULT_HEARTBEAT_TIMEOUT, null);
  }

  public MeshConfig withId(String id) {
    return new MeshConfig(id, listen, advertise, discovery, peers, multicastAddress, multicastPort, beaconInterval,
        multicastInterface, dnsName, dnsServer, dnsPort, heartbeatInterval, heartbeatTimeout, curveSecretKey);
  }

  public MeshConfig withListen(String listen) {
    return new MeshConfig(id, listen, advertise, discovery, peers, multicastAddress, multicastPort, beaconInterval,
        multicastInterface, dnsName, dnsServer, dnsPort, heartbeatInterval, heartbeatTimeout, curveSecretKey);
  }

  public MeshConfig withAdvertise(String advertise) {
    return new MeshConfig(id, listen, advertise, discovery, peers, multicastAddress, multicastPort, beaconInterval,
        multicastInterface, dnsName, dnsServer, dnsPort, heartbeatInterval, heartbeatTimeout, curveSecretKey);
  }

  public MeshConfig withDiscovery(Discovery discovery) {
    return new MeshConfig(id, listen, advertise, discovery, peers, multicastAddress, multicastPort, beaconInterval,
        multicastInterface, dnsName, dnsServer, dnsPort, heartbeatInterval, heartbeatTimeout, curveSecretKey);
  }

  public MeshConfig withPeers(List<String> peers) {
    return new MeshConfig(id, listen, advertise, discovery, peers, multicastAddress, multicastPort, beaconInterval,
        multicastInterface, dnsName, dnsServer, dnsPort, heartbeatInterval, heartbeatTimeout, curveSecretKey);
  }

  public MeshConfig withMulticast(String address, int port, Duration interval, String networkInterface) {
    return new MeshConfig(id, listen, advertise, discovery, peers, address, port, interval, networkInterface,
        dnsName, dnsServer, dnsPort, heartbeatInterval, heartbeatTimeout, curveSecretKey);
  }

  public MeshConfig withDns(String name, String server, int port) {
    return new MeshConfig(id, listen, advertise, discovery, peers, multicastAddress, multicastPort, beaconInterval,
        multicastInterface, name, server, port, heartbeatInterval, heartbeatTimeout, curveSecretKey);
  }

  public MeshConfig withHeartbeat(Duration interval, Duration timeout) {
    return new MeshConfig(id, listen, advertise, discovery, peers, multicastAddress, multicastPort, beaconInterval,
        multicastInterface, dnsName, dnsServer, dnsPort, interval, timeout, curveSecretKey);
  }

  public MeshConfig withCurveSecretKey(String z85) {
    return new MeshConfig(id, listen, advertise, discovery, peers, multicastAddress, multicastPort, beaconInterval,
        multicastInterface, dnsName, dnsServer, dnsPort, heartbeatInterval, heartbeatTimeout, z85);
  }

  /**
   * The peer configuration this mesh gives a node.
   *
   * @throws IllegalArgumentException naming the value that does not fit
   */
  public PeerConfig toPeerConfig() {
    if (discovery == Discovery.DNS && (dnsName == null || dnsName.isBlank())) {
      throw new IllegalArgumentException("mesh.dns.name: missing (expected: a DNS name, for discovery dns)");
    }
    PeerConfig.Builder b = PeerConfig.builder().id(id).listen(listen).advertise(advertise)
        .heartbeatInterval(heartbeatInterval).heartbeatTimeout(heartbeatTimeout);
    if (curveSecretKey != null) {
      b.curveKeys(CurveKeyPair.fromSecretKey(curveSecretKey));
    }
    if (!peers.isEmpty()) {
      b.discovery(new StaticDiscovery(peers));
    }
    switch (discovery) {
      case MULTICAST -> b.discovery(MulticastDiscovery.builder().address(multicastAddress).port(multicastPort)
          .interval(beaconInterval).networkInterface(multicastInterface).build());
      case DNS -> b.discovery(DnsDiscovery.builder(dnsName).server(dnsServer).port(dnsPort).build());
      default -> { }
    }
    return b.build();
  }
}
