package io.switchboard.bus.internal;

import io.switchboard.bus.BusException;
import io.switchboard.bus.ChannelConfig;
import io.switchboard.bus.NodeConfig;
import io.switchboard.bus.NodeStatistics;
import io.switchboard.bus.RequestFailedException;
import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketStatistics;
import io.switchboard.socket.SocketType;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine of a bus node: its listeners, its channels and their routing tables, requests and control. Routing
 * runs on the node's one I/O thread; the lock guards membership and configuration, which control and the probe
 * timer also touch.
 *
 * <p>Routing reads only the header frames (channel, event) and shares the data frame by reference with every
 * recipient. Tables are copy-on-write arrays, replaced under {@link #lock} when clients join or leave or the rules
 * change, so that routing an event takes no lock and matches no regular expression.
 */
public final class NodeCore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeCore.class);

  volatile String nodeId;
  final long startedAtMillis = System.currentTimeMillis();
  /** One I/O thread for every endpoint: routing is single-threaded, on the thread that reads. */
  private final Context context = new Context(1);
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "switchboard-node-timer");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, ChannelState> channels = new LinkedHashMap<>();
  private final List<NodeListener> listeners = new ArrayList<>();
  private final Object lock = new Object();
  private final Consumer<String> traceOut;
  private final Control control;
  private final Path ipcPath;
  private final AtomicBoolean closed = new AtomicBoolean();
  /**
   * Counters, written and read on the I/O thread only: routing and control run there, and the other threads' sends
   * (the probe's PINGs, a reload's CLOSED notices) count nothing. Plain fields: a shared atomic per event was a
   * tenth of the node's time.
   */
  private long eventsIn;
  private long eventsOut;
  private long dropped;
  private long errors;
  private long requests;
  /** The most events in one EVENT message, and (about) the most octets. */
  static final int BATCH_EVENTS = 32;
  static final int BATCH_BYTES = 64 * 1024;
  /** The channel of the last event from the network, so that a stream of them looks it up once; the I/O thread's. */
  private ChannelState lastNetChannel;
  /** The clients with events batched during this read; the I/O thread's. */
  private final List<Session> batched = new ArrayList<>();
  private volatile NodeConfig config;
  /** Callers of {@link #whenNodeListens} still waiting. */
  private final java.util.Queue<ListenWaiter> listenWaiters = new java.util.concurrent.ConcurrentLinkedQueue<>();
  /** The node's link to other nodes, or {@code null} if it has no mesh. */
  private volatile MeshBridge mesh;
  /** Whether this node bound the ipc socket file, and so removes it when it closes (not another node's). */
  private volatile boolean ownsIpc;

  private NodeCore(NodeConfig config, Path ipcPath, Consumer<String> traceOut) {
    this.config = config;
    this.ipcPath = ipcPath;
    this.traceOut = traceOut;
    this.nodeId = String.format("n-%012x", ThreadLocalRandom.current().nextLong() >>> 16);
    this.control = new Control(this);
  }

  /**
   * Starts a node: binds its ipc endpoint (and its tcp one, if configured) and starts routing on its I/O thread.
   *
   * @throws BusException if an endpoint cannot be bound, or a node already runs on the ipc path
   */
  public static NodeCore start(NodeConfig config, Path ipcPath, Consumer<String> traceOut) {
    NodeCore node = new NodeCore(config, ipcPath, traceOut);
    try {
      node.applyChannels(config);
      node.listen("ipc://" + prepareIpc(ipcPath), true);
      node.ownsIpc = true;
      if (config.listen() != null) {
        node.listen(config.listen(), false);
      }
      for (NodeListener l : node.listeners) {
        l.start();
      }
      if (config.mesh() != null) {
        node.mesh = MeshBridge.start(node, config.mesh(), node.context.eventLoopGroup());
        node.nodeId = node.mesh.peerId();
      }
      LOG.info("bus node {} listening on {}", node.nodeId, node.endpoints());
      long probe = NodeListener.PROBE_AFTER.toMillis();
      node.timer.scheduleWithFixedDelay(node::probeSilentClients, probe, probe, TimeUnit.MILLISECONDS);
      return node;
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  private void listen(String endpoint, boolean trusted) {
    SocketOptions options = SocketOptions.builder()
        .routerMandatory(true)
        .sendHighWaterMark(config.clientQueue())
        .sendHighWaterBytes(config.clientQueueBytes())
        .receiveHighWaterMark(config.clientQueue())
        .maxMessageSize(config.maxEventSize())
        .heartbeatInterval(Duration.ofSeconds(5))
        .heartbeatTimeout(Duration.ofSeconds(15))
        .linger(Duration.ofMillis(200))
        .build();
    Socket router = context.socket(SocketType.ROUTER, options);
    String bound;
    try {
      bound = router.bind(endpoint);
    } catch (RuntimeException e) {
      router.close();
      throw new BusException("cannot listen on " + endpoint + ": " + e.getMessage(), e);
    }
    listeners.add(new NodeListener(this, listeners.size(), router, bound, trusted));
  }

  /**
   * Makes the ipc socket's directory, open to its owner only, and removes a stale socket file; refuses if a node is
   * still listening there.
   */
  private static Path prepareIpc(Path path) {
    Path dir = path.toAbsolutePath().getParent();
    try {
      if (dir != null && !Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        try {
          Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
          // not a POSIX file system: its own rules apply
        }
      }
      if (Files.exists(path)) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
          probe.connect(UnixDomainSocketAddress.of(path));
          throw new BusException("a node is already running at " + path
              + " (stop it, or give this one another path with --ipc)");
        } catch (IOException refused) {
          Files.delete(path);
        }
      }
    } catch (IOException e) {
      throw new BusException("cannot prepare the ipc endpoint " + path + ": " + e, e);
    }
    return path.toAbsolutePath();
  }

  /** The endpoints the node listens on, the ipc one first. */
  public List<String> endpoints() {
    return listeners.stream().map(l -> l.endpoint).toList();
  }

  /** The node's id: its mesh peer id if it has a mesh. */
  public String id() {
    return nodeId;
  }

  /** The endpoint other nodes dial to reach this one, or {@code null} without a mesh. */
  public String meshEndpoint() {
    MeshBridge m = mesh;
    return m == null ? null : m.endpoint();
  }

  /** The other nodes that have told this one they listen to {@code channel}; empty without a mesh. */
  public List<String> nodesListeningTo(String channel) {
    ChannelState ch = channel(channel);
    return ch == null ? List.of() : ch.netPeers;
  }

  /** Completes once {@code nodeId} is among {@link #nodesListeningTo}; checked whenever the mesh's tables change. */
  public CompletableFuture<Void> whenNodeListens(String channel, String nodeId) {
    ListenWaiter w = new ListenWaiter(channel, nodeId, new CompletableFuture<>());
    listenWaiters.add(w);
    checkListenWaiters();
    return w.done;
  }

  /** The mesh rebuilt its tables of interested nodes: completes the waiters whose node now listens. */
  void checkListenWaiters() {
    for (ListenWaiter w : listenWaiters) {
      if (nodesListeningTo(w.channel).contains(w.nodeId) && listenWaiters.remove(w)) {
        w.done.complete(null);
      }
    }
  }

  private record ListenWaiter(String channel, String nodeId, CompletableFuture<Void> done) {}

  /** The other nodes that have told this one they handle {@code event} on {@code channel}. */
  public List<String> nodesHandling(String channel, String event) {
    ChannelState ch = channel(channel);
    return ch == null ? List.of() : ch.netHandlers.getOrDefault(event, List.of());
  }

  /** The other nodes this one knows, or an empty list without a mesh. */
  public List<io.switchboard.bus.mesh.PeerInfo> peers() {
    MeshBridge m = mesh;
    return m == null ? List.of() : m.peers();
  }

  /** The configuration in force. */
  public NodeConfig config() {
    return config;
  }

  // ---- routing, on the node's I/O thread ----

  /** EMIT channel event format | data: to the channel's members, and to those of the channels its rule copies to. */
  void emit(Session from, Fields f, byte[] data) {
    ChannelState ch = from.lastChannel;
    if (ch == null || ch.closed || !f.is(1, from.lastChannelName)) {
      ch = channel(f.string(1));
      if (ch == null) {
        from.listener.error(from, "EMIT", f.string(1), noChannel(f.string(1)));
        return;
      }
      from.lastChannel = ch;
      from.lastChannelName = ch.nameBytes;
    }
    from.eventsIn++;
    ch.eventsIn++;
    eventsIn++;
    deliver(ch, f, data, from.nameBytes);
    for (ChannelState copy : ch.propagateTo) {
      deliver(copy, f, data, from.nameBytes);
    }
    MeshBridge m = mesh;
    if (m != null && ch.config.propagateToNet() && !ch.netPeers.isEmpty()) {
      m.forwardEvent(ch, f, data, from.nameBytes);
    }
    if (ch.config.trace()) {
      trace(ch, f, data, from.name);
    }
  }

  /**
   * An event another node forwarded ({@code E channel event format from | data}): to this node's members of the
   * channel and of the channels its rules copy to, never back to the network (so no event loops or doubles).
   */
  void emitFromNet(Fields f, byte[] data) {
    ChannelState ch = lastNetChannel;
    if (ch == null || ch.closed || !f.is(1, ch.nameBytes)) {
      ch = channel(f.string(1));
      if (ch == null || ch.closed) {
        return;
      }
      lastNetChannel = ch;
    }
    eventsIn++;
    ch.eventsIn++;
    // the same sender's array as last time, so that a run of its events shares one EVENT header (eventHeader)
    byte[] sender = f.is(4, ch.lastSender) ? ch.lastSender : f.copy(4);
    deliver(ch, f, data, sender);
    for (ChannelState copy : ch.propagateTo) {
      deliver(copy, f, data, sender);
    }
    if (ch.config.trace() || config.dumpNet()) {
      trace(ch, f, data, f.string(4) + " (from the network)");
    }
  }

  /**
   * Sends one channel's copy of an event to its members: one EVENT header for all of them, {@code EVENT channel}
   * followed by the EMIT header's {@code event format} as they are, then {@code from}; the data frame is shared.
   */
  private void deliver(ChannelState ch, Fields f, byte[] data, byte[] sender) {
    Session[] members = ch.members;
    if (members.length == 0) {
      return;
    }
    byte[] header = eventHeader(ch, f, sender);
    for (Session s : members) {
      batch(s, ch, header, data);
    }
  }

  /** The EVENT header of an event on a channel: the last one made, if the event, format and sender are the same. */
  private static byte[] eventHeader(ChannelState ch, Fields f, byte[] sender) {
    byte[] emit = f.bytes();
    int tail = f.end(3) - f.start(2);
    byte[] verb = Protocol.Verb.EVENT.wire();
    int at = verb.length + 1 + ch.nameBytes.length + 1;
    byte[] last = ch.lastHeader;
    if (last != null && ch.lastSender == sender && last.length == at + tail + 1 + sender.length
        && Arrays.equals(emit, f.start(2), f.end(3), last, at, at + tail)) {
      return last;
    }
    byte[] header = new byte[at + tail + 1 + sender.length];
    System.arraycopy(verb, 0, header, 0, verb.length);
    header[verb.length] = Protocol.SEPARATOR;
    System.arraycopy(ch.nameBytes, 0, header, verb.length + 1, ch.nameBytes.length);
    header[at - 1] = Protocol.SEPARATOR;
    System.arraycopy(emit, f.start(2), header, at, tail);
    header[at + tail] = Protocol.SEPARATOR;
    System.arraycopy(sender, 0, header, at + tail + 1, sender.length);
    ch.lastHeader = header;
    ch.lastSender = sender;
    return header;
  }

  /**
   * Adds an event to what a client gets at the end of this read: one EVENT message of up to {@link #BATCH_EVENTS}
   * events ({@link #BATCH_BYTES} octets), so that a run of events costs the node, the socket layer and the client one
   * message rather than one each.
   */
  private void batch(Session s, ChannelState ch, byte[] header, byte[] data) {
    if (s.batchChannels.isEmpty()) {
      s.batch.add(s.routingId);
      batched.add(s);
    }
    // a compact client gets a run of one header as one header and empty frames, saving it a parse and a copy each
    s.batch.add(s.compact && header == s.batchHeader ? Protocol.EMPTY : header);
    s.batchHeader = header;
    s.batch.add(data);
    s.batchChannels.add(ch);
    s.batchBytes += header.length + data.length;
    if (s.batchChannels.size() >= BATCH_EVENTS || s.batchBytes >= BATCH_BYTES) {
      sendBatch(s);
    }
  }

  /** Sends the events batched for a client, if any, as one message. */
  void sendBatch(Session s) {
    int events = s.batchChannels.size();
    if (events == 0) {
      return;
    }
    Message m = Message.of(s.batch);
    boolean sent = s.listener.offer(s, m, events);
    for (ChannelState ch : s.batchChannels) {
      if (sent) {
        ch.eventsOut++;
      } else {
        ch.dropped++;
      }
    }
    if (sent) {
      s.eventsOut += events;
      eventsOut += events;
    }
    s.batch.clear();
    s.batchHeader = null;
    s.batchChannels.clear();
    s.batchBytes = 0;
  }

  /** The end of a read: every client gets what was batched for it, and every other node what goes to it. */
  void flushBatches() {
    for (Session s : batched) {
      sendBatch(s);
    }
    batched.clear();
    MeshBridge m = mesh;
    if (m != null) {
      m.flushEvents();
    }
  }

  private void trace(ChannelState ch, Fields f, byte[] data, String from) {
    String text = f.is(3, DataCodec.JSON_NAME) && data.length <= 1024
        ? Protocol.string(data) : "(" + f.string(3) + ", " + data.length + " octets)";
    traceOut.accept("[" + ch.name + "] " + f.string(2) + " " + text + " from " + from);
  }

  /**
   * REQUEST channel event format request-id | data: to one handler, taken in turn; this node's handlers first, then
   * (with a mesh) another node's.
   */
  void request(Session from, Fields f, byte[] data) {
    requests++;
    String channel = f.string(1);
    String event = f.string(2);
    ChannelState ch = channel(channel);
    byte[] requestId = f.copy(4);
    if (ch == null) {
      failRequest(from, failHeader(requestId, noChannel(channel), NO_CHANNEL));
      return;
    }
    byte[] route = new byte[from.routingId.length + 1];
    route[0] = (byte) from.listener.index;
    System.arraycopy(from.routingId, 0, route, 1, from.routingId.length);
    ChannelState.HandlerGroup group = ch.handlers.get(event);
    if (toLocalHandler(ch, group, f, from.nameBytes, requestId, route, data)) {
      return;
    }
    MeshBridge m = mesh;
    if (m != null && m.forwardRequest(ch, event, f, from.nameBytes, requestId, route, data)) {
      return;
    }
    failRequest(from, failHeader(requestId, noHandler(ch, event, group), NO_HANDLER));
  }

  private static String noHandler(ChannelState ch, String event, ChannelState.HandlerGroup group) {
    return group == null || group.sessions.length == 0
        ? "no handler for \"" + event + "\" on channel \"" + ch.name + "\""
        : "every handler of \"" + event + "\" on channel \"" + ch.name + "\" is too busy";
  }

  /** Gives a request to one of this node's handlers; false if none takes it. */
  private boolean toLocalHandler(ChannelState ch, ChannelState.HandlerGroup group, Fields f, byte[] sender,
      byte[] requestId, byte[] route, byte[] data) {
    byte[] header = null;
    // each handler once at most; a send to a connection found closed drops that handler from the group (forget), so
    // the group shrinks as it goes and the tries are counted against its size at the start
    int tries = group == null ? 0 : group.sessions.length;
    for (int attempt = 0; attempt < tries; attempt++) {
      Session handler = group.next();
      if (handler == null) {
        break;
      }
      if (header == null) {
        header = Protocol.header(Protocol.Verb.REQUEST, ch.nameBytes, f.copy(2), f.copy(3), sender, requestId);
      }
      if (handler.listener.send(handler, Message.of(handler.routingId, header, route, data))) {
        return true;
      }
    }
    return false;
  }

  /**
   * A request another node forwarded ({@code Q channel event format from request-id | route | data}): to one of this
   * node's handlers, with a route that leads the answer back through the mesh; or failed back at once.
   *
   * @return the FAIL header to send back, or {@code null} if a handler took it
   */
  byte[] requestFromNet(Fields f, byte[] netRoute, byte[] data) {
    requests++;
    ChannelState ch = channel(f.string(1));
    if (ch == null) {
      return failHeader(f.copy(5), noChannel(f.string(1)), NO_CHANNEL);
    }
    String event = f.string(2);
    ChannelState.HandlerGroup group = ch.handlers.get(event);
    return toLocalHandler(ch, group, f, f.copy(4), f.copy(5), netRoute, data) ? null
        : failHeader(f.copy(5), noHandler(ch, event, group), NO_HANDLER);
  }

  /** The route index of answers that go back through the mesh. */
  static final int NET_ROUTE = 0xff;

  /** The codes of the failures the node makes itself, the last field of its FAIL; a handler's FAIL has none. */
  private static final byte[] NO_HANDLER = Protocol.utf8(RequestFailedException.Reason.NO_HANDLER.wireName());
  private static final byte[] NO_CHANNEL = Protocol.utf8(RequestFailedException.Reason.NO_CHANNEL.wireName());

  /** {@code FAIL request-id reason code}. */
  private static byte[] failHeader(byte[] requestId, String reason, byte[] code) {
    return Protocol.header(Protocol.Verb.FAIL, requestId, Protocol.utf8(reason), code);
  }

  private void failRequest(Session to, byte[] header) {
    to.listener.send(to, Message.of(to.routingId, header));
  }

  /**
   * A handler's REPLY or FAIL, passed to the requester its route names with the same header ({@code REPLY
   * request-id format} or {@code FAIL request-id reason}) and, for REPLY, the data.
   */
  void answer(Session handler, byte[] header, byte[] route, byte[] data) {
    MeshBridge m = mesh;
    if (route.length >= 2 && (route[0] & 0xff) == NET_ROUTE && m != null) {
      m.answerToNet(route, header, data);
      return;
    }
    if (route.length < 2 || (route[0] & 0xff) >= listeners.size()) {
      if (handler != null) {
        handler.listener.error(handler, data == null ? "FAIL" : "REPLY", "", "malformed route frame");
      }
      return;
    }
    Session to = listeners.get(route[0] & 0xff).session(Arrays.copyOfRange(route, 1, route.length));
    if (to != null) {
      to.listener.send(to, data == null ? Message.of(to.routingId, header) : Message.of(to.routingId, header, data));
    }
  }

  void hello(Session s, byte[] name, int version) {
    if (name.length > 0 && name.length <= 255) {
      s.name(Protocol.string(name));
    }
    s.compact = version >= Protocol.COMPACT_VERSION;
    s.listener.send(s, Message.of(s.routingId, Protocol.header(Protocol.Verb.WELCOME, Protocol.utf8(nodeId),
        s.nameBytes)));
  }

  void membership(Session s, boolean join, String channel) {
    synchronized (lock) {
      ChannelState ch = channels.get(channel);
      if (ch == null) {
        s.listener.error(s, join ? "JOIN" : "LEAVE", channel, noChannel(channel));
        return;
      }
      if (join) {
        ch.members = ChannelState.with(ch.members, s);
        s.channels.add(ch);
      } else {
        ch.members = ChannelState.without(ch.members, s);
        s.channels.remove(ch);
      }
    }
    interestChanged();
    s.listener.send(s, Message.of(s.routingId, Protocol.header(join ? Protocol.Verb.JOINED : Protocol.Verb.LEFT,
        channel)));
  }

  void handling(Session s, boolean handle, String channel, String event) {
    synchronized (lock) {
      ChannelState ch = channels.get(channel);
      if (ch == null) {
        s.listener.error(s, handle ? "HANDLE" : "UNHANDLE", channel, noChannel(channel));
        return;
      }
      ChannelState.HandlerGroup group = ch.handlers.computeIfAbsent(event, k -> new ChannelState.HandlerGroup());
      if (handle) {
        group.sessions = ChannelState.with(group.sessions, s);
      } else {
        group.sessions = ChannelState.without(group.sessions, s);
      }
    }
    interestChanged();
    s.listener.send(s, Message.of(s.routingId, Protocol.header(handle ? Protocol.Verb.HANDLING
        : Protocol.Verb.UNHANDLED, channel, event)));
  }

  /** CTL request-id token command argument…: runs on the I/O thread (every command is quick). */
  void control(Session s, Fields f) {
    byte[] requestId = f.copy(1);
    String token = f.string(2);
    List<String> words = new ArrayList<>();
    for (int i = 3; i < f.count(); i++) {
      words.add(f.string(i));
    }
    Control.Reply reply;
    if (!config.startControl()) {
      reply = Control.Reply.error("control is off on this node (startControl is false)");
    } else if (!s.listener.trusted && (config.controlToken() == null || !config.controlToken().equals(token))) {
      reply = Control.Reply.error(config.controlToken() == null
          ? "control over tcp needs a controlToken in the node's configuration; use the local ipc endpoint"
          : "wrong control token");
    } else {
      reply = control.run(words);
    }
    s.listener.send(s, Message.of(s.routingId, Protocol.header(Protocol.Verb.CTL, requestId,
        reply.ok() ? Protocol.OK : Protocol.utf8("error")), Protocol.utf8(reply.json())));
  }

  /** Removes a client from every channel and handler group and forgets it. */
  void forget(Session s, String why) {
    synchronized (lock) {
      if (s.closed) {
        return;
      }
      s.closed = true;
      for (ChannelState ch : s.channels) {
        ch.members = ChannelState.without(ch.members, s);
      }
      for (ChannelState ch : channels.values()) {
        for (ChannelState.HandlerGroup g : ch.handlers.values()) {
          g.sessions = ChannelState.without(g.sessions, s);
        }
      }
      s.channels.clear();
      s.listener.forget(s);
    }
    interestChanged();
    LOG.debug("bus node: client {} left ({})", s.name, why);
  }

  /** Tells the mesh (if any) that what this node listens to or handles may have changed. */
  private void interestChanged() {
    MeshBridge m = mesh;
    if (m != null) {
      m.interestChanged();
    }
  }

  /** The mesh, or {@code null}. */
  MeshBridge mesh() {
    return mesh;
  }

  private void probeSilentClients() {
    for (NodeListener l : listeners) {
      l.probeSilentClients();
    }
  }

  void countDrop(int events) {
    dropped += events;
  }

  void countError() {
    errors++;
  }

  private ChannelState channel(String name) {
    synchronized (lock) {
      return channels.get(name);
    }
  }

  private static String noChannel(String channel) {
    return "no channel \"" + channel + "\" on this node";
  }

  // ---- configuration ----

  /** What a reload changed. */
  public record ReloadResult(List<String> added, List<String> removed, List<String> changed) {}

  /** Applies a new configuration to the live node: rules change in place, new channels appear, dropped ones close. */
  public ReloadResult reload(NodeConfig next) {
    synchronized (lock) {
      ReloadResult result = applyChannels(next);
      NodeConfig previous = config;
      config = next.toBuilder().listen(previous.listen()).ipc(previous.ipc()).mesh(previous.mesh()).build();
      interestChanged();
      return result;
    }
  }

  private ReloadResult applyChannels(NodeConfig next) {
    synchronized (lock) {
      List<String> added = new ArrayList<>();
      List<String> removed = new ArrayList<>();
      List<String> changed = new ArrayList<>();
      for (ChannelState ch : List.copyOf(channels.values())) {
        if (!next.channels().containsKey(ch.name)) {
          close(ch, "channel \"" + ch.name + "\" was removed from the node's configuration");
          channels.remove(ch.name);
          removed.add(ch.name);
        }
      }
      for (ChannelConfig c : next.channels().values()) {
        ChannelState ch = channels.get(c.name());
        if (ch == null) {
          channels.put(c.name(), new ChannelState(c));
          added.add(c.name());
        } else if (!ch.config.equals(c)) {
          ch.config = c;
          changed.add(c.name());
        }
      }
      for (ChannelState ch : channels.values()) {
        ch.propagateTo = channels.values().stream()
            .filter(other -> ch.config.propagatesTo(other.name))
            .toArray(ChannelState[]::new);
      }
      return new ReloadResult(added, removed, changed);
    }
  }

  private void close(ChannelState ch, String reason) {
    ch.closed = true;
    for (Session s : ch.members) {
      s.channels.remove(ch);
      s.listener.sendQuietly(s, Message.of(s.routingId, Protocol.header(Protocol.Verb.CLOSED, ch.name, reason)));
    }
    ch.members = ChannelState.NO_SESSIONS;
  }

  // ---- views for control and statistics ----

  /** A snapshot for {@link io.switchboard.bus.BusNode#statistics()}; reads the I/O thread's counters as they are. */
  public NodeStatistics statistics() {
    List<NodeStatistics.ChannelStatistics> chans = new ArrayList<>();
    for (ChannelState ch : channelStates()) {
      List<String> members = new ArrayList<>();
      for (Session s : ch.members) {
        members.add(s.name);
      }
      List<String> to = new ArrayList<>();
      for (ChannelState other : ch.propagateTo) {
        to.add(other.name);
      }
      chans.add(new NodeStatistics.ChannelStatistics(ch.name, List.copyOf(members), ch.eventsIn, ch.eventsOut,
          ch.dropped, List.copyOf(to), ch.config.trace()));
    }
    List<NodeStatistics.ClientStatistics> clients = new ArrayList<>();
    Map<String, SocketStatistics> sockets = new LinkedHashMap<>();
    for (NodeListener l : listeners) {
      sockets.put(l.endpoint, l.router.statistics());
      for (Session s : l.sessions()) {
        clients.add(new NodeStatistics.ClientStatistics(s.name, s.address, l.endpoint,
            Instant.ofEpochMilli(s.connectedAtMillis), s.channels.stream().map(c -> c.name).sorted().toList(),
            s.eventsIn, s.eventsOut, s.dropped));
      }
    }
    return new NodeStatistics(nodeId, Duration.ofMillis(System.currentTimeMillis() - startedAtMillis), eventsIn,
        eventsOut, dropped, requests, errors, List.copyOf(chans), List.copyOf(clients),
        Collections.unmodifiableMap(sockets));
  }

  List<ChannelState> channelStates() {
    synchronized (lock) {
      return List.copyOf(channels.values());
    }
  }

  List<NodeListener> listeners() {
    return listeners;
  }

  long eventsIn() {
    return eventsIn;
  }

  long eventsOut() {
    return eventsOut;
  }

  long dropped() {
    return dropped;
  }

  long errors() {
    return errors;
  }

  long requests() {
    return requests;
  }

  /** Stops the listeners, closes every connection and removes the ipc socket file. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    timer.shutdownNow();
    MeshBridge m = mesh;
    if (m != null) {
      m.close();
    }
    context.close();
    try {
      if (ownsIpc) {
        Files.deleteIfExists(ipcPath);
      }
    } catch (IOException e) {
      LOG.debug("bus node: cannot remove {}", ipcPath, e);
    }
  }
}
