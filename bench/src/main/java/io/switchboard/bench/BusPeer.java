package io.switchboard.bench;

import io.switchboard.bench.PeerSupport.PeerException;
import io.switchboard.bus.BusChannel;
import io.switchboard.bus.BusClient;
import io.switchboard.bus.BusEvent;
import io.switchboard.bus.BusNode;
import io.switchboard.bus.ChannelConfig;
import io.switchboard.bus.DataFormat;
import io.switchboard.bus.MeshConfig;
import io.switchboard.bus.NodeConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A peer of the bus benchmark on Switchboard's bus, started by {@link BusBenchRunner}: the node, or one client.
 *
 * <ul>
 *   <li>{@code role=node}: starts a {@link BusNode} with one plain channel, {@value #CHANNEL}, its ipc endpoint at
 *       {@code ipc} and, with {@code transport=tcp}, a tcp one on a port of the system's choosing; prints {@code
 *       ENDPOINT} (the tcp one, or the ipc one) and runs until stopped. With {@code memory=true}, it samples its
 *       {@link MemoryUse} before it prints {@code ENDPOINT}, and again for each {@code SAMPLE} command line on its
 *       standard input, answered with {@code MEMORY rssBefore=… heapBefore=… directBefore=… rssAfter=… …}: the
 *       runner sends one once {@link IdleBusClients} hold their sessions.
 *   <li>{@code role=listen}: joins the channel, counts its {@value #EVENT} events ({@link EventCounter}), prints
 *       {@code READY} once the node has confirmed the join and {@code RESULT} after the last event.
 *   <li>{@code role=publish}: emits {@code warmup + count} events of {@code size} octets, raw bytes, the last one
 *       marked; prints {@code SENT} once the node has routed them all.
 *   <li>{@code role=handle}: answers {@value #REQUEST} requests on the channel with their own data; prints {@code
 *       READY} once the node has registered the handler.
 *   <li>{@code role=request}: makes round trips one at a time ({@link BusChannel#request}), as {@link RoundTrips}.
 * </ul>
 *
 * <p>Every client uses {@link DataFormat#BYTES}, so that no JSON is encoded or decoded: the payload goes as it is.
 * Arguments ({@code key=value}): {@code role maxSeconds}, plus {@code transport ipc} and optionally {@code memory}
 * (node), {@code connect size} (the clients), {@code count warmup firstSeconds} (listen, publish, request), {@code
 * quietSeconds limitSeconds} (listen), {@code stallSeconds limitSeconds} (request).
 */
public final class BusPeer {
  /** The channel every client joins. */
  static final String CHANNEL = "bench";
  /** The name of the events the publisher emits. */
  static final String EVENT = "e";
  /** The name of the requests. */
  static final String REQUEST = "echo";
  /** Errors a client reports as WARN lines before it only counts them. */
  private static final int MAX_ERROR_LINES = 5;

  private BusPeer() {}

  /** Runs one peer; see the class comment for the arguments. */
  public static void main(String[] argv) {
    PeerSupport.main(argv, BusPeer::run);
  }

  private static void run(PeerSupport peer) throws Exception {
    String role = peer.arg("role");
    if (role.equals("node")) {
      node(peer);
      return;
    }
    AtomicInteger errors = new AtomicInteger();
    BusClient client = BusClient.builder()
        .node(peer.arg("connect"))
        .format(DataFormat.BYTES)
        .onError(e -> {
          if (errors.incrementAndGet() <= MAX_ERROR_LINES) {
            PeerSupport.emit("WARN the node reported: " + e.getMessage());
          }
        })
        .build();
    Duration first = Duration.ofSeconds(peer.longArg("firstSeconds"));
    BusChannel channel = client.join(CHANNEL);
    await(channel.joined(), first, "the node's confirmation of the join");
    switch (role) {
      case "listen":
        listen(peer, channel, first);
        break;
      case "publish":
        publish(peer, client, channel);
        break;
      case "handle":
        await(channel.handle(REQUEST, BusEvent::rawData), first, "the node's confirmation of the handler");
        PeerSupport.emit("READY");
        PeerSupport.awaitStop();
        break;
      case "request":
        request(peer, channel);
        break;
      default:
        throw new IllegalArgumentException("role: " + role + " (expected: node, listen, publish, handle or request)");
    }
    if (errors.get() > MAX_ERROR_LINES) {
      PeerSupport.emit("WARN the node reported " + errors.get() + " errors in all");
    }
    PeerSupport.closeTimed("bus client", client);
  }

  private static void node(PeerSupport peer) throws InterruptedException {
    String meshId = peer.optionalArg("meshId");
    NodeConfig.Builder config = NodeConfig.builder()
        .source("bench node")
        .channel(meshId == null ? ChannelConfig.plain(CHANNEL) : new ChannelConfig(CHANNEL, null, true, false))
        .ipc(peer.arg("ipc"));
    if (meshId != null) {
      String seed = peer.optionalArg("meshPeer");
      config.mesh(MeshConfig.of("tcp://127.0.0.1:*", seed == null ? List.of() : List.of(seed)).withId(meshId));
    }
    boolean tcp = peer.arg("transport").equals("tcp");
    if (tcp) {
      config.listen("tcp://127.0.0.1:0");
    } else if (!peer.arg("transport").equals("ipc")) {
      throw new IllegalArgumentException("transport: " + peer.arg("transport") + " (expected: tcp or ipc)");
    }
    BusNode node = BusNode.start(config.build(), line -> { });
    MemoryUse before = Boolean.parseBoolean(peer.optionalArg("memory")) ? MemoryUse.sample() : null;
    if (meshId != null) {
      PeerSupport.emit("MESH " + node.meshEndpoint());
    }
    PeerSupport.emit("ENDPOINT " + (tcp ? node.endpoints().get(1) : node.localEndpoint()));
    for (String command; (command = PeerSupport.nextCommand()) != null; ) {
      if (command.startsWith("AWAIT ")) {
        // AWAIT N listeners|handlers: until N other nodes told this one they listen to (handle on) the channel
        String[] words = command.split(" ");
        int n = Integer.parseInt(words[1]);
        boolean handlers = words[2].equals("handlers");
        long deadline = System.nanoTime() + Duration.ofSeconds(peer.longArg("firstSeconds")).toNanos();
        while ((handlers ? node.nodesHandling(CHANNEL, REQUEST) : node.nodesListeningTo(CHANNEL)).size() < n
            && System.nanoTime() < deadline) {
          Thread.sleep(5);   // a benchmark's set-up, polling the node's own tables
        }
        PeerSupport.emit("AWAITED");
      } else if (command.equals("SAMPLE") && before != null) {
        PeerSupport.emit("MEMORY " + before.fields("Before") + " " + MemoryUse.sample().fields("After"));
      } else {
        PeerSupport.emit("WARN the node ignored the command " + command);
      }
    }
    PeerSupport.closeTimed("bus node", node);
  }

  private static void listen(PeerSupport peer, BusChannel channel, Duration first) throws InterruptedException {
    EventCounter counter = new EventCounter(peer.intArg("size"), peer.longArg("warmup"), peer.longArg("count"));
    channel.on(EVENT, event -> counter.onEvent(event.rawData()));
    PeerSupport.emit("READY");
    String result = counter.await(first, Duration.ofSeconds(peer.longArg("quietSeconds")),
        Duration.ofSeconds(peer.longArg("limitSeconds")));
    PeerSupport.emit("RESULT " + result);
    PeerSupport.awaitStop();
  }

  private static void publish(PeerSupport peer, BusClient client, BusChannel channel) throws Exception {
    // A member of a channel gets the channel's events, its own too; the publisher only emits, as a NATS publisher
    // that subscribes to nothing. Emitting needs no membership, only the channel's name, which the left channel keeps.
    channel.leave();
    byte[] payload = ThroughputPeer.payload(peer.intArg("size"));
    byte[] last = EventCounter.last(payload);
    long total = peer.longArg("warmup") + peer.longArg("count");
    long began = System.nanoTime();
    for (long i = 0; i < total; i++) {
      if (!channel.emitEncoded(EVENT, DataFormat.BYTES, i == total - 1 ? last : payload)) {
        throw new PeerException("event " + (i + 1) + " of " + total + ": the queue to the node stayed full for "
            + BusClient.DEFAULT_SEND_TIMEOUT.toSeconds() + " s");
      }
    }
    await(client.flush(), Duration.ofSeconds(peer.longArg("firstSeconds")), "the node to take every event");
    PeerSupport.emit("SENT events=" + total + " nanos=" + (System.nanoTime() - began));
    PeerSupport.awaitStop();
  }

  private static void request(PeerSupport peer, BusChannel channel) throws Exception {
    byte[] payload = ThroughputPeer.payload(peer.intArg("size"));
    RoundTrips.measure(peer, (index, timeout) -> {
      BusEvent reply;
      try {
        reply = channel.request(REQUEST, payload, timeout).get();
      } catch (ExecutionException e) {
        throw new PeerException("request " + (index + 1) + ": " + e.getCause().getMessage());
      }
      if (reply.rawData().length != payload.length) {
        throw new PeerException("reply of " + reply.rawData().length + " octets (expected: " + payload.length + ")");
      }
    });
    PeerSupport.awaitStop();
  }

  /** Waits for {@code future}, failing the peer if it fails or takes longer than {@code timeout}. */
  private static void await(Future<?> future, Duration timeout, String what) throws InterruptedException {
    try {
      future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new PeerException("waiting for " + what + ": " + e.getCause().getMessage());
    } catch (TimeoutException e) {
      throw new PeerException("no " + what + " within " + timeout.toSeconds() + " s");
    }
  }
}
