package io.switchboard.bus;

import io.switchboard.bus.internal.NodeCore;
import io.switchboard.bus.mesh.PeerInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A bus node: named channels that clients join, emit on and listen to; rules that copy a channel's events to other
 * channels; requests answered by handlers; control commands. Run one with {@code switchboard node}, or embed one:
 *
 * <pre>{@code
 * try (BusNode node = BusNode.start(NodeConfig.defaults());
 *      BusClient client = BusClient.connect(node.localEndpoint())) {
 *   BusChannel b = client.join("B");
 *   b.on("log", event -> System.out.println(event.data(String.class)));
 *   b.joined().join();
 *   client.join("A").emit("log", "TESTE");       // A copies its events to B
 * }
 * }</pre>
 *
 * <p>A node listens on a local ipc endpoint, a Unix domain socket in a directory only its user can enter ({@link
 * #defaultIpcPath()} unless configured), and optionally on tcp ({@link NodeConfig#listen()}). Clients speak ZMTP to
 * it (a DEALER to the node's ROUTER), so any ZeroMQ binding can be a client: docs/protocol.md is the wire.
 *
 * <p>With a mesh ({@link NodeConfig#mesh()}), nodes on many machines are one bus: the events of a channel with
 * {@code propagateToNet} reach the listeners of that channel on every other node, and a request no handler here can
 * take goes to a handler on another node. See docs/mesh.md.
 *
 * <p>Threads: one per endpoint, each routing what its clients send as it arrives. Every method is thread-safe.
 */
public final class BusNode implements AutoCloseable {
  private final NodeCore core;

  private BusNode(NodeCore core) {
    this.core = core;
  }

  /**
   * Starts a node that prints traced channels' events on standard output.
   *
   * @throws BusException if an endpoint cannot be bound, or another node runs on the same ipc path
   */
  public static BusNode start(NodeConfig config) {
    return start(config, System.out::println);
  }

  /**
   * Starts a node that gives traced channels' events, one line each, to {@code trace}.
   *
   * @throws BusException if an endpoint cannot be bound, or another node runs on the same ipc path
   */
  public static BusNode start(NodeConfig config, Consumer<String> trace) {
    Path ipc = config.ipc() == null ? defaultIpcPath() : Path.of(config.ipc());
    return new BusNode(NodeCore.start(config, ipc, trace));
  }

  /**
   * Where a node listens by default: {@code $XDG_RUNTIME_DIR/switchboard/node.sock}, or {@code
   * ~/.switchboard/run/node.sock} when {@code XDG_RUNTIME_DIR} is unset.
   */
  public static Path defaultIpcPath() {
    String runtime = System.getenv("XDG_RUNTIME_DIR");
    Path dir = runtime == null || runtime.isEmpty()
        ? Path.of(System.getProperty("user.home"), ".switchboard", "run")
        : Path.of(runtime, "switchboard");
    return dir.resolve("node.sock");
  }

  /** The endpoint of a local node at the default path: {@code ipc://} and {@link #defaultIpcPath()}. */
  public static String defaultEndpoint() {
    return "ipc://" + defaultIpcPath().toAbsolutePath();
  }

  /** This node's id: its mesh peer id (stable across restarts) if it has a mesh, else new at every start. */
  public String id() {
    return core.id();
  }

  /** The endpoint other nodes dial to reach this one ({@code tcp://HOST:PORT}), or {@code null} without a mesh. */
  public String meshEndpoint() {
    return core.meshEndpoint();
  }

  /**
   * The other nodes of the mesh that listen to {@code channel} (or to a channel it copies to), as they told this
   * node: where its {@code propagateToNet} events go. Empty without a mesh or an unknown channel.
   */
  public List<String> nodesListeningTo(String channel) {
    return core.nodesListeningTo(channel);
  }

  /**
   * Completes once node {@code nodeId} has told this one that it listens to {@code channel}, so that this node's
   * events on the channel reach it from then on (at once if it already has). The future is never failed: bound the
   * wait with {@code orTimeout} or {@code get(timeout)}.
   */
  public CompletableFuture<Void> whenNodeListens(String channel, String nodeId) {
    return core.whenNodeListens(channel, nodeId);
  }

  /** The other nodes of the mesh that handle {@code event} on {@code channel}, as they told this node. */
  public List<String> nodesHandling(String channel, String event) {
    return core.nodesHandling(channel, event);
  }

  /** The other nodes of the mesh this node knows, with their links' state and counters; empty without a mesh. */
  public List<PeerInfo> peers() {
    return core.peers();
  }

  /** The endpoints the node listens on: the ipc one first, then tcp if configured, with actual ports. */
  public List<String> endpoints() {
    return core.endpoints();
  }

  /** The node's ipc endpoint. */
  public String localEndpoint() {
    return core.endpoints().get(0);
  }

  /** The configuration in force. */
  public NodeConfig config() {
    return core.config();
  }

  /**
   * A snapshot of the node's counters, channels, clients and endpoints; it walks every channel and client, so call
   * it about once a second, not per event. {@link io.switchboard.bus.metrics.NodeMetrics} publishes it to
   * Micrometer.
   */
  public NodeStatistics statistics() {
    return core.statistics();
  }

  /**
   * Applies a new configuration: changed rules apply to live channels, new channels appear, and dropped ones close
   * (their clients get a CLOSED message saying why). Endpoints stay as they are.
   *
   * @return the channels {@code added}, {@code removed} and {@code changed}
   */
  public Map<String, List<String>> reload(NodeConfig config) {
    NodeCore.ReloadResult r = core.reload(config);
    return Map.of("added", r.added(), "removed", r.removed(), "changed", r.changed());
  }

  /** Stops the node: closes every connection and removes the ipc socket file. Idempotent. */
  @Override
  public void close() {
    core.close();
  }

  @Override
  public String toString() {
    return "BusNode[" + id() + " " + endpoints() + "]";
  }
}
