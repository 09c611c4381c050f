package io.switchboard.bus.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.socket.Message;
import io.switchboard.socket.security.CurveKeyPair;
import io.switchboard.testkit.Closer;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  @AutoClose private final Closer closer = new Closer();

  private PeerConfig.Builder config(String id) {
    return PeerConfig.builder().id(id).dataDirectory(dir)
        .heartbeatInterval(Duration.ofMillis(100)).heartbeatTimeout(Duration.ofMillis(600))
        .reconnectInterval(Duration.ofMillis(20)).reconnectIntervalMax(Duration.ofMillis(200));
  }

  private Peer peer(PeerConfig config, PeerListener... listeners) {
    return closer.add(Peer.start(config, listeners));
  }

  /** Records every message: from whom, and its first frame as a number, checking order and uniqueness. */
  static final class Recorder implements PeerListener {
    final Map<String, List<Long>> got = new ConcurrentHashMap<>();
    final List<String> disconnects = new CopyOnWriteArrayList<>();
    final List<String> connects = new CopyOnWriteArrayList<>();

    @Override
    public void onMessage(String from, Message message) {
      List<Long> list = got.computeIfAbsent(from, k -> Collections.synchronizedList(new ArrayList<>()));
      list.add(ByteBuffer.wrap(message.frame(0)).getLong());
    }

    @Override
    public void onConnect(PeerInfo peer) {
      connects.add(peer.id());
    }

    @Override
    public void onDisconnect(PeerInfo peer, String reason) {
      disconnects.add(peer.id() + ": " + reason);
    }

    List<Long> from(String id) {
      List<Long> list = got.getOrDefault(id, List.of());
      synchronized (list) {
        return List.copyOf(list);
      }
    }
  }

  static Message numbered(long n) {
    return Message.of(ByteBuffer.allocate(8).putLong(n).array(), new byte[16]);
  }

  static List<Long> oneTo(long n) {
    List<Long> out = new ArrayList<>();
    for (long i = 1; i <= n; i++) {
      out.add(i);
    }
    return out;
  }

  /** Sends 1..count to a peer, retrying each until accepted (the peer may not be known yet). */
  static Thread streamer(Peer from, String to, long count, AtomicBoolean failed) {
    Thread t = new Thread(() -> {
      long deadline = System.nanoTime() + WAIT.toNanos();
      for (long i = 1; i <= count; ) {
        if (from.send(to, numbered(i))) {
          i++;
        } else if (System.nanoTime() > deadline) {
          failed.set(true);
          return;
        } else {
          // the window is full (or the peer not known yet): let the I/O threads run; two cores are shared
          java.util.concurrent.locks.LockSupport.parkNanos(200_000);
        }
      }
    });
    t.start();
    return t;
  }

  /**
   * Both peers dial each other three times at the same moment while each streams to the other: one link stays,
   * and each stream arrives whole, in order, once.
   */
  @RepeatedTest(20)
  void crossingDialsLeaveOneLinkAndLoseNothing() throws Exception {
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    // not a test of heartbeats: a loaded machine may stall a thread for longer than the short timeout of the others
    Peer a = peer(config("a").heartbeatTimeout(Duration.ofSeconds(5)).build(), ra);
    Peer b = peer(config("b").heartbeatTimeout(Duration.ofSeconds(5)).build(), rb);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> dials = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      dials.add(new Thread(() -> awaitThen(go, () -> a.connect(b.info(), true))));
      dials.add(new Thread(() -> awaitThen(go, () -> b.connect(a.info(), true))));
    }
    dials.forEach(Thread::start);
    AtomicBoolean failed = new AtomicBoolean();
    Thread ab = streamer(a, "b", 20_000, failed);
    Thread ba = streamer(b, "a", 20_000, failed);
    go.countDown();
    for (Thread t : dials) {
      t.join();
    }
    ab.join();
    ba.join();
    assertThat(failed).as(() -> "a: " + a.connections() + ", b: " + b.connections() + ", a got " + ra.from("b").size()
        + ", b got " + rb.from("a").size() + ", disconnects " + ra.disconnects + rb.disconnects).isFalse();
    await().atMost(WAIT).until(() -> rb.from("a").size() >= 20_000 && ra.from("b").size() >= 20_000);
    assertThat(rb.from("a")).isEqualTo(oneTo(20_000));
    assertThat(ra.from("b")).isEqualTo(oneTo(20_000));
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(a.connections()).singleElement().satisfies(p -> assertThat(p.links()).isEqualTo(1));
      assertThat(b.connections()).singleElement().satisfies(p -> assertThat(p.links()).isEqualTo(1));
    });
    assertThat(ra.connects).as("disconnects: " + ra.disconnects + rb.disconnects).containsExactly("b");
    assertThat(rb.connects).containsExactly("a");
  }

  private static void awaitThen(CountDownLatch go, Runnable r) {
    try {
      go.await();
      r.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Ten peers, each dialling every other at once: every pair ends with one link, and every message arrives once. */
  @Test
  void tenPeersAllDiallingAll() throws Exception {
    int n = 10;
    List<Peer> peers = new ArrayList<>();
    List<Recorder> recorders = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Recorder r = new Recorder();
      recorders.add(r);
      peers.add(peer(config("p" + i).build(), r));
    }
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> dials = new ArrayList<>();
    for (Peer from : peers) {
      for (Peer to : peers) {
        if (from != to) {
          dials.add(new Thread(() -> awaitThen(go, () -> from.connect(to.info(), true))));
        }
      }
    }
    dials.forEach(Thread::start);
    go.countDown();
    for (Thread t : dials) {
      t.join();
    }
    await().atMost(WAIT).untilAsserted(() -> {
      for (Peer p : peers) {
        assertThat(p.connections()).hasSize(n - 1).allSatisfy(c -> {
          assertThat(c.state()).isEqualTo(PeerInfo.State.CONNECTED);
          assertThat(c.links()).isEqualTo(1);
        });
      }
    });
    for (Peer p : peers) {
      List<String> others = peers.stream().filter(o -> o != p).map(Peer::id).toList();
      assertThat(p.send(others, numbered(7))).isEqualTo(n - 1);
    }
    await().atMost(WAIT).untilAsserted(() -> {
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          if (i != j) {
            assertThat(recorders.get(i).from("p" + j)).containsExactly(7L);
          }
        }
      }
    });
  }

  /** A kept peer that goes away is redialled; what was sent meanwhile waits and arrives once it is back. */
  @Test
  void keptPeerIsRedialledAndMessagesWait() throws Exception {
    Recorder rb = new Recorder();
    Peer a = peer(config("a").build());
    Peer b = Peer.start(config("b").build(), rb);
    String bEndpoint = b.info();
    assertThat(a.connect(bEndpoint, true).get(10, TimeUnit.SECONDS)).isEqualTo("b");
    assertThat(a.send("b", numbered(1))).isTrue();
    await().atMost(WAIT).until(() -> rb.from("a").size() == 1);
    b.close();
    await().atMost(WAIT).until(() -> a.connections().get(0).state() == PeerInfo.State.RECONNECTING);
    for (long i = 2; i <= 100; i++) {
      assertThat(a.send("b", numbered(i))).isTrue();
    }
    Recorder rb2 = new Recorder();
    Peer b2 = peer(config("b").listen(bEndpoint).build(), rb2);
    assertThat(b2.info()).isEqualTo(bEndpoint);
    await().atMost(WAIT).until(() -> rb2.from("a").size() >= 99);
    assertThat(rb2.from("a")).containsExactlyElementsOf(oneTo(100).subList(1, 100));
    assertThat(a.connections()).singleElement().satisfies(p -> {
      assertThat(p.state()).isEqualTo(PeerInfo.State.CONNECTED);
      assertThat(p.reconnects()).isEqualTo(1);
    });
  }

  /** What waits for a peer away is bounded in octets as well as in messages: past either, sends are refused. */
  @Test
  void messagesWaitingForAKeptPeerAreBoundedInOctetsToo() throws Exception {
    long octets = numbered(0).frame(0).length + numbered(0).frame(1).length;
    Peer a = peer(config("a").highWaterMark(1000).highWaterBytes(10 * octets).build());
    Peer b = Peer.start(config("b").build());
    String bEndpoint = b.info();
    assertThat(a.connect(bEndpoint, true).get(10, TimeUnit.SECONDS)).isEqualTo("b");
    b.close();
    await().atMost(WAIT).until(() -> a.connections().get(0).state() == PeerInfo.State.RECONNECTING);
    for (long i = 1; i <= 10; i++) {
      assertThat(a.send("b", numbered(i))).isTrue();
    }
    assertThat(a.send("b", numbered(11))).as("10 messages of %d octets wait", octets).isFalse();
    assertThat(a.connections()).singleElement().satisfies(p -> {
      assertThat(p.queued()).isEqualTo(10);
      assertThat(p.dropped()).isEqualTo(1);
    });
    Recorder rb2 = new Recorder();
    peer(config("b").listen(bEndpoint).build(), rb2);
    await().atMost(WAIT).until(() -> rb2.from("a").size() == 10);
    assertThat(rb2.from("a")).containsExactlyElementsOf(oneTo(10));
    await().atMost(WAIT).until(() -> a.send("b", numbered(11)));
  }

  /** A peer not kept is forgotten when its link goes. */
  @Test
  void peerNotKeptIsForgotten() throws Exception {
    Recorder ra = new Recorder();
    Peer a = peer(config("a").build(), ra);
    Peer b = Peer.start(config("b").build());
    a.connect(b.info()).get(10, TimeUnit.SECONDS);
    b.close();
    await().atMost(WAIT).until(() -> a.connections().isEmpty());
    assertThat(ra.disconnects).singleElement().asString().startsWith("b: ");
    assertThat(a.send("b", numbered(1))).isFalse();
  }

  /** A link that goes silent (the peer hangs, a cable is cut) is closed by heartbeat within the timeout. */
  @Test
  void deadPeerIsFoundByHeartbeat() throws Exception {
    Recorder ra = new Recorder();
    Peer a = peer(config("a").build(), ra);
    Peer b = peer(config("b").build());
    CuttableProxy proxy = closer.add(new CuttableProxy(port(b.info())));
    a.connect(proxy.endpoint()).get(10, TimeUnit.SECONDS);
    long frozenAt = System.nanoTime();
    proxy.freeze();
    await().atMost(WAIT).until(() -> !ra.disconnects.isEmpty());
    long tookMillis = (System.nanoTime() - frozenAt) / 1_000_000;
    assertThat(ra.disconnects.get(0)).isEqualTo("b: heartbeat timeout");
    assertThat(tookMillis).isLessThan(600 + 100 + 500);
  }

  /** A link cut in the middle of a stream: the kept peer comes back on a new link, the stream whole and once. */
  @Test
  void cutLinkHealsWithoutLossOrDuplicates() throws Exception {
    Recorder rb = new Recorder();
    Peer a = peer(config("a").build());
    Peer b = peer(config("b").build(), rb);
    CuttableProxy proxy = closer.add(new CuttableProxy(port(b.info())));
    assertThat(a.connect(proxy.endpoint(), true).get(10, TimeUnit.SECONDS)).isEqualTo("b");
    AtomicBoolean failed = new AtomicBoolean();
    Thread stream = streamer(a, "b", 50_000, failed);
    await().atMost(WAIT).until(() -> rb.from("a").size() > 1000);
    proxy.cut();
    stream.join();
    assertThat(failed).isFalse();
    await().atMost(WAIT).until(() -> rb.from("a").size() >= 50_000);
    assertThat(rb.from("a")).isEqualTo(oneTo(50_000));
  }

  @Test
  void curveLinksCarryMessagesAndRefuseOtherKeys() throws Exception {
    CurveKeyPair mesh = CurveKeyPair.generate();
    Recorder rb = new Recorder();
    Peer a = peer(config("a").curveKeys(mesh).build());
    Peer b = peer(config("b").curveKeys(mesh).build(), rb);
    assertThat(a.connect(b.info()).get(10, TimeUnit.SECONDS)).isEqualTo("b");
    a.send("b", numbered(5));
    await().atMost(WAIT).until(() -> rb.from("a").contains(5L));

    Peer stranger = peer(config("x").curveKeys(CurveKeyPair.generate()).reconnectLimit(2).build());
    assertThat(stranger.connect(b.info())).failsWithin(WAIT);
    assertThat(b.connections()).extracting(PeerInfo::id).containsExactly("a");
  }

  @Test
  void generatedIdIsKeptInTheDataDirectory() {
    String first;
    try (Peer p = Peer.start(PeerConfig.builder().dataDirectory(dir.resolve("data")).build())) {
      first = p.id();
    }
    try (Peer p = Peer.start(PeerConfig.builder().dataDirectory(dir.resolve("data")).build())) {
      assertThat(p.id()).isEqualTo(first);
      assertThat(p.uuid().toString()).isEqualTo(first);
      assertThat(p.info()).startsWith("tcp://127.0.0.1:").doesNotContain(":*");
    }
  }

  @Test
  void wildcardListenAdvertisesAnAddressOthersCanDial() {
    Peer p = peer(config("w").listen("tcp://0.0.0.0:*").build());
    assertThat(p.info()).doesNotContain("0.0.0.0").doesNotContain("*");
  }

  @Test
  void inMemoryDiscoveryLinksEveryPeer() {
    InMemoryDiscovery.Registry registry = new InMemoryDiscovery.Registry();
    List<Peer> peers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      peers.add(peer(config("m" + i).discovery(registry.discovery()).build()));
    }
    await().atMost(WAIT).untilAsserted(() -> {
      for (Peer p : peers) {
        assertThat(p.connections()).hasSize(3).allSatisfy(c -> assertThat(c.kept()).isTrue());
      }
    });
  }

  static int port(String endpoint) {
    return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
  }
}
