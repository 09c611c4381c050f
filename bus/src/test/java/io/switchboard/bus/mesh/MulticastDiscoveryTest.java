package io.switchboard.bus.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.bus.mesh.internal.Beacon;
import io.switchboard.testkit.Closer;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Beacons on loopback: broadcast to 127.255.255.255 on a random port (several peers share it), so that the test
 * leaves the machine's other networks alone. The cross-host script runs real multicast between namespaces.
 */
class MulticastDiscoveryTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  @AutoClose private final Closer closer = new Closer();
  private final int port = ThreadLocalRandom.current().nextInt(20_000, 60_000);

  private MulticastDiscovery beacons() {
    return MulticastDiscovery.builder().address("127.255.255.255").port(port).interval(Duration.ofMillis(100))
        .build();
  }

  private Peer peer(String id) {
    return closer.add(Peer.start(PeerConfig.builder().id(id).dataDirectory(dir).discovery(beacons()).build()));
  }

  @Test
  void beaconIsZresFormat() {
    UUID uuid = UUID.fromString("00112233-4455-6677-8899-aabbccddeeff");
    byte[] wire = new Beacon(uuid, 5670).encode();
    assertThat(HexFormat.of().formatHex(wire)).isEqualTo("5a524501" + "00112233445566778899aabbccddeeff" + "1626");
    assertThat(Beacon.decode(ByteBuffer.wrap(wire))).isEqualTo(new Beacon(uuid, 5670));
    assertThat(Beacon.decode(ByteBuffer.wrap("ZRE\u0002xxxxxxxxxxxxxxxxxx".getBytes()))).isNull();
    assertThat(Beacon.decode(ByteBuffer.wrap(new byte[5]))).isNull();
  }

  @Test
  void peersFindEachOtherByBeaconsAndLetGoWhenOneLeaves() {
    Peer a = peer("a");
    Peer b = peer("b");
    Peer c = peer("c");
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(a.connections()).extracting(PeerInfo::id).containsExactly("b", "c");
      assertThat(b.connections()).extracting(PeerInfo::id).containsExactly("a", "c");
    });
    closer.remove(c);
    c.close();
    await().atMost(WAIT).untilAsserted(() -> assertThat(a.connections()).extracting(PeerInfo::id)
        .containsExactly("b"));
  }

  /** What a tool listening for Zyre beacons sees: our UUID and tcp port, in ZRE's 22 octets. */
  @Test
  void aZyreListenerSeesOurBeacons() throws Exception {
    try (DatagramSocket listener = new DatagramSocket(null)) {
      listener.setReuseAddress(true);
      listener.bind(new InetSocketAddress(port));
      listener.setSoTimeout((int) WAIT.toMillis());
      Peer a = peer("a");
      DatagramPacket packet = new DatagramPacket(new byte[64], 64);
      listener.receive(packet);
      Beacon beacon = Beacon.decode(ByteBuffer.wrap(packet.getData(), 0, packet.getLength()));
      assertThat(beacon).isEqualTo(new Beacon(a.uuid(), PeerTest.port(a.info())));
      assertThat(packet.getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
    }
  }
}
