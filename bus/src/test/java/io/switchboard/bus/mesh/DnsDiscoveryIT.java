package io.switchboard.bus.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.testkit.Closer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DNS discovery against a real DNS server: dnsmasq (Debian's dnsmasq-base; .ci/run installs it) serving A and SRV
 * records on loopback, as a Kubernetes headless service does.
 */
class DnsDiscoveryIT {
  private static final Path DNSMASQ = Path.of("/usr/sbin/dnsmasq");
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  /** Closed by {@link #stop()}, before dnsmasq stops. */
  private final Closer closer = new Closer();
  private Process dnsmasq;
  private int dnsPort;

  @BeforeAll
  static void needsDnsmasq() {
    Assumptions.assumeTrue(Files.isExecutable(DNSMASQ), "dnsmasq is not installed (apt-get install dnsmasq-base)");
  }

  @AfterEach
  void stop() throws Exception {
    closer.close();
    if (dnsmasq != null) {
      dnsmasq.destroy();
      dnsmasq.waitFor(5, TimeUnit.SECONDS);
    }
  }

  /**
   * Starts dnsmasq on 127.0.0.1 with these record options, on a random high port; another port if that one is taken
   * (dnsmasq cannot report a port the system picked).
   */
  private void startDns(List<String> records) throws Exception {
    for (int attempt = 0; attempt < 10; attempt++) {
      dnsPort = ThreadLocalRandom.current().nextInt(20_000, 60_000);
      Path log = dir.resolve("dnsmasq-" + attempt + ".log");
      Process p = new ProcessBuilder(dnsmasqCommand(records)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      await().atMost(WAIT).until(() -> !p.isAlive() || Files.readString(log).contains("started"));
      if (p.isAlive()) {
        dnsmasq = p;
        return;
      }
      String why = Files.readString(log, StandardCharsets.UTF_8);
      if (!why.contains("in use")) {
        throw new IOException("dnsmasq did not start: " + why);
      }
    }
    throw new IOException("dnsmasq found no free port in 10 attempts");
  }

  private Peer peer(String id, String listen, DnsDiscovery discovery) {
    return closer.add(Peer.start(PeerConfig.builder().id(id).dataDirectory(dir).listen(listen)
        .reconnectInterval(Duration.ofMillis(50)).reconnectIntervalMax(Duration.ofMillis(500))
        .discovery(discovery).build()));
  }

  private static Peer quiet(String id, String listen, Path dir, Closer closer) {
    return closer.add(Peer.start(PeerConfig.builder().id(id).dataDirectory(dir).listen(listen).build()));
  }

  @Test
  void srvRecordsOfAHeadlessServiceLinkTheNodes() throws Exception {
    // the nodes listen first, so that their ports can go in the records
    Peer b = quiet("b", "tcp://127.0.0.1:*", dir, closer);
    Peer c = quiet("c", "tcp://127.0.0.1:*", dir, closer);
    startDns(List.of(
        "--host-record=b.mesh.test,127.0.0.1", "--host-record=c.mesh.test,127.0.0.1",
        "--srv-host=_mesh._tcp.mesh.test,b.mesh.test," + PeerTest.port(b.info()),
        "--srv-host=_mesh._tcp.mesh.test,c.mesh.test," + PeerTest.port(c.info())));
    DnsDiscovery dns = DnsDiscovery.builder("_mesh._tcp.mesh.test").server("127.0.0.1:" + dnsPort)
        .interval(Duration.ofMillis(200)).build();
    assertThat(dns.lookup()).containsExactlyInAnyOrder(b.info(), c.info());
    Peer a = peer("a", "tcp://127.0.0.1:*", dns);
    await().atMost(WAIT).untilAsserted(() -> assertThat(a.connections()).extracting(PeerInfo::id)
        .containsExactly("b", "c"));
    assertThat(a.connections()).allSatisfy(p -> assertThat(p.kept()).isTrue());
  }

  @Test
  void aRecordsWithOnePortLinkTheNodesAndRecordsThatGoAreLost() throws Exception {
    Peer b = quiet("b", "tcp://127.0.0.2:*", dir, closer);
    int port = PeerTest.port(b.info());
    Peer c = quiet("c", "tcp://127.0.0.3:" + port, dir, closer);
    startDns(List.of("--host-record=nodes.mesh.test,127.0.0.2", "--host-record=nodes.mesh.test,127.0.0.3"));
    DnsDiscovery dns = DnsDiscovery.builder("nodes.mesh.test").server("127.0.0.1:" + dnsPort).port(port)
        .interval(Duration.ofMillis(200)).build();
    assertThat(dns.lookup()).containsExactlyInAnyOrder(b.info(), c.info());
    Peer a = peer("a", "tcp://127.0.0.1:*", dns);
    await().atMost(WAIT).untilAsserted(() -> assertThat(a.connections()).extracting(PeerInfo::id)
        .containsExactly("b", "c"));

    // c leaves the service: its record goes, and a lets it go
    dnsmasq.destroy();
    dnsmasq.waitFor(5, TimeUnit.SECONDS);
    startDnsOnSamePort(List.of("--host-record=nodes.mesh.test,127.0.0.2"));
    await().atMost(WAIT).untilAsserted(() -> assertThat(a.connections()).extracting(PeerInfo::id)
        .containsExactly("b"));
  }

  private List<String> dnsmasqCommand(List<String> records) {
    List<String> command = new ArrayList<>(List.of(DNSMASQ.toString(), "--keep-in-foreground", "--no-resolv",
        "--no-hosts", "--conf-file=/dev/null", "--listen-address=127.0.0.1", "--bind-interfaces",
        "--port=" + dnsPort, "--pid-file=" + dir.resolve("dnsmasq.pid"), "--user=root", "--log-facility=-"));
    command.addAll(records);
    return command;
  }

  private void startDnsOnSamePort(List<String> records) throws Exception {
    Path log = dir.resolve("dnsmasq-again.log");
    dnsmasq = new ProcessBuilder(dnsmasqCommand(records)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    await().atMost(WAIT).until(() -> !dnsmasq.isAlive() || Files.readString(log).contains("started"));
    assertThat(dnsmasq.isAlive()).as("dnsmasq restarted: " + Files.readString(log)).isTrue();
  }
}
