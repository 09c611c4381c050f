package io.switchboard.bus.internal;

import io.switchboard.bus.BusException;
import io.switchboard.bus.ChannelConfig;
import io.switchboard.bus.NodeConfig;
import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The engine of a bus node: its listeners, its channels and their routing tables, requests and control.
 *
 * <p>Routing reads only the header frames (channel, event) and shares the data frame by reference with every
 * recipient. Tables are copy-on-write arrays, replaced under {@link #lock} when clients join or leave or the rules
 * change, so that routing an event takes no lock and matches no regular expression.
 */
public final class NodeCore implements AutoCloseable {
  private static final Logger LOG = System.getLogger("io.switchboard.bus");

  final String nodeId;
  final long startedAtMillis = System.currentTimeMillis();
  private final Context context = new Context();
  private final Map<String, ChannelState> channels = new LinkedHashMap<>();
  private final List<NodeListener> listeners = new ArrayList<>();
  private final Object lock = new Object();
  private final Consumer<String> traceOut;
  private final Control control;
  private final Path ipcPath;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final LongAdder eventsIn = new LongAdder();
  private final LongAdder eventsOut = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder requests = new LongAdder();
  private volatile NodeConfig config;

  private NodeCore(NodeConfig config, Path ipcPath, Consumer<String> traceOut) {
    this.config = config;
    this.ipcPath = ipcPath;
    this.traceOut = traceOut;
    this.nodeId = String.format("n-%012x", ThreadLocalRandom.current().nextLong() >>> 16);
    this.control = new Control(this);
  }

  /**
   * Starts a node: binds its ipc endpoint (and its tcp one, if configured) and starts its listener threads.
   *
   * @throws BusException if an endpoint cannot be bound, or a node already runs on the ipc path
   */
  public static NodeCore start(NodeConfig config, Path ipcPath, Consumer<String> traceOut) {
    NodeCore node = new NodeCore(config, ipcPath, traceOut);
    try {
      node.applyChannels(config);
      node.listen("ipc://" + prepareIpc(ipcPath), true);
      if (config.listen() != null) {
        node.listen(config.listen(), false);
      }
      for (NodeListener l : node.listeners) {
        l.start();
      }
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

  /** The node's id. */
  public String id() {
    return nodeId;
  }

  /** The configuration in force. */
  public NodeConfig config() {
    return config;
  }

  // ---- routing, called by listener threads ----

  void emit(Session from, byte[] channel, byte[] event, byte[] format, byte[] data) {
    ChannelState ch = from.lastChannel;
    if (ch == null || ch.closed || !Arrays.equals(channel, from.lastChannelName)) {
      ch = channel(channel);
      if (ch == null) {
        from.listener.error(from, Protocol.EMIT, channel, noChannel(channel));
        return;
      }
      from.lastChannel = ch;
      from.lastChannelName = channel;
    }
    from.eventsIn.increment();
    ch.eventsIn.increment();
    eventsIn.increment();
    byte[] sender = from.nameBytes;
    deliver(ch, ch.nameBytes, event, format, data, sender);
    for (ChannelState copy : ch.propagateTo) {
      deliver(copy, copy.nameBytes, event, format, data, sender);
    }
    if (ch.config.trace()) {
      trace(ch, event, format, data, from);
    }
  }

  private void deliver(ChannelState ch, byte[] name, byte[] event, byte[] format, byte[] data, byte[] sender) {
    Session[] members = ch.members;
    int sent = 0;
    for (Session s : members) {
      if (s.listener.send(s, Message.of(s.routingId, Protocol.EVENT, name, event, format, data, sender))) {
        s.eventsOut.increment();
        sent++;
      } else {
        ch.dropped.increment();
      }
    }
    ch.eventsOut.add(sent);
    eventsOut.add(sent);
  }

  private void trace(ChannelState ch, byte[] event, byte[] format, byte[] data, Session from) {
    String text = Arrays.equals(format, DataCodec.JSON_NAME) && data.length <= 1024
        ? Protocol.string(data) : "(" + Protocol.string(format) + ", " + data.length + " octets)";
    traceOut.accept("[" + ch.name + "] " + Protocol.string(event) + " " + text + " from " + from.name);
  }

  void request(Session from, byte[] channel, byte[] event, byte[] format, byte[] data, byte[] requestId) {
    requests.increment();
    ChannelState ch = channel(channel);
    if (ch == null) {
      from.listener.send(from, Message.of(from.routingId, Protocol.FAIL, requestId, Protocol.utf8(noChannel(channel))));
      return;
    }
    String name = Protocol.string(event);
    ChannelState.HandlerGroup group = ch.handlers.get(name);
    byte[] route = new byte[from.routingId.length + 1];
    route[0] = (byte) from.listener.index;
    System.arraycopy(from.routingId, 0, route, 1, from.routingId.length);
    for (int attempt = 0; group != null; attempt++) {
      Session handler = group.next(attempt);
      if (handler == null) {
        break;
      }
      if (handler.listener.send(handler, Message.of(handler.routingId, Protocol.REQUEST, channel, event, format, data,
          from.nameBytes, route, requestId))) {
        return;
      }
    }
    String why = group == null || group.sessions.length == 0
        ? "no handler for \"" + name + "\" on channel \"" + ch.name + "\""
        : "every handler of \"" + name + "\" on channel \"" + ch.name + "\" is too busy";
    from.listener.send(from, Message.of(from.routingId, Protocol.FAIL, requestId, Protocol.utf8(why)));
  }

  void reply(Session handler, byte[] route, byte[] requestId, byte[] format, byte[] data) {
    Session to = routeTarget(handler, route);
    if (to != null) {
      to.listener.send(to, Message.of(to.routingId, Protocol.REPLY, requestId, format, data));
    }
  }

  void fail(Session handler, byte[] route, byte[] requestId, byte[] reason) {
    Session to = routeTarget(handler, route);
    if (to != null) {
      to.listener.send(to, Message.of(to.routingId, Protocol.FAIL, requestId, reason));
    }
  }

  private Session routeTarget(Session handler, byte[] route) {
    if (route.length < 2 || (route[0] & 0xff) >= listeners.size()) {
      handler.listener.error(handler, Protocol.REPLY, Protocol.EMPTY, "malformed route frame");
      return null;
    }
    return listeners.get(route[0] & 0xff).session(Arrays.copyOfRange(route, 1, route.length));
  }

  void hello(Session s, byte[] name) {
    if (name.length > 0 && name.length <= 255) {
      s.name(Protocol.string(name));
    }
    s.listener.send(s, Message.of(s.routingId, Protocol.WELCOME, Protocol.utf8(nodeId), s.nameBytes));
  }

  void membership(Session s, boolean join, byte[] channel) {
    synchronized (lock) {
      ChannelState ch = channels.get(Protocol.string(channel));
      if (ch == null) {
        s.listener.error(s, join ? Protocol.JOIN : Protocol.LEAVE, channel, noChannel(channel));
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
    s.listener.send(s, Message.of(s.routingId, join ? Protocol.JOINED : Protocol.LEFT, channel));
  }

  void handling(Session s, boolean handle, byte[] channel, byte[] event) {
    String eventName = Protocol.string(event);
    synchronized (lock) {
      ChannelState ch = channels.get(Protocol.string(channel));
      if (ch == null) {
        s.listener.error(s, handle ? Protocol.HANDLE : Protocol.UNHANDLE, channel, noChannel(channel));
        return;
      }
      ChannelState.HandlerGroup group = ch.handlers.computeIfAbsent(eventName, k -> new ChannelState.HandlerGroup());
      if (handle) {
        group.sessions = ChannelState.with(group.sessions, s);
        s.handles.add(ch.name + "\n" + eventName);
      } else {
        group.sessions = ChannelState.without(group.sessions, s);
        s.handles.remove(ch.name + "\n" + eventName);
      }
    }
    s.listener.send(s, Message.of(s.routingId, handle ? Protocol.HANDLING : Protocol.UNHANDLED, channel, event));
  }

  void control(Session s, Message m) {
    byte[] requestId = m.frame(2);
    String token = Protocol.string(m.frame(3));
    List<String> words = new ArrayList<>();
    for (int i = 4; i < m.size(); i++) {
      words.add(Protocol.string(m.frame(i)));
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
    s.listener.send(s, Message.of(s.routingId, Protocol.CTL, requestId,
        Protocol.utf8(reply.ok() ? "ok" : "error"), Protocol.utf8(reply.json())));
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
    LOG.log(Level.DEBUG, () -> "bus node: client " + s.name + " left (" + why + ")");
  }

  void countDrop() {
    dropped.increment();
  }

  void countError() {
    errors.increment();
  }

  private ChannelState channel(byte[] name) {
    synchronized (lock) {
      return channels.get(Protocol.string(name));
    }
  }

  private static String noChannel(byte[] channel) {
    return "no channel \"" + Protocol.string(channel) + "\" on this node";
  }

  // ---- configuration ----

  /** What a reload changed. */
  public record ReloadResult(List<String> added, List<String> removed, List<String> changed) {}

  /** Applies a new configuration to the live node: rules change in place, new channels appear, dropped ones close. */
  public ReloadResult reload(NodeConfig next) {
    synchronized (lock) {
      ReloadResult result = applyChannels(next);
      NodeConfig previous = config;
      config = next.toBuilder().listen(previous.listen()).ipc(previous.ipc()).build();
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
      s.listener.send(s, Message.of(s.routingId, Protocol.CLOSED, ch.nameBytes, Protocol.utf8(reason)));
    }
    ch.members = ChannelState.NO_SESSIONS;
  }

  // ---- views for control ----

  List<ChannelState> channelStates() {
    synchronized (lock) {
      return List.copyOf(channels.values());
    }
  }

  List<NodeListener> listeners() {
    return listeners;
  }

  long eventsIn() {
    return eventsIn.sum();
  }

  long eventsOut() {
    return eventsOut.sum();
  }

  long dropped() {
    return dropped.sum();
  }

  long errors() {
    return errors.sum();
  }

  long requests() {
    return requests.sum();
  }

  /** Stops the listeners, closes every connection and removes the ipc socket file. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    context.close();
    for (NodeListener l : listeners) {
      try {
        l.join(Duration.ofSeconds(2));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    try {
      Files.deleteIfExists(ipcPath);
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "bus node: cannot remove " + ipcPath, e);
    }
  }
}
