package io.switchboard.bus.internal;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.switchboard.bus.BusException;
import io.switchboard.bus.MeshConfig;
import io.switchboard.bus.mesh.Peer;
import io.switchboard.bus.mesh.PeerInfo;
import io.switchboard.bus.mesh.PeerListener;
import io.switchboard.socket.Message;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's part in the mesh: it forwards events and requests to the nodes that want them and hands theirs to the
 * node, on the node's I/O thread (the peer's links run there too, so nothing changes threads).
 *
 * <p>Each node tells every other what it wants, as a whole set each time it changes (and on every new link): {@code
 * c:CHANNEL} for a channel with a listener here (or copied by a rule to one that has one), {@code h:CHANNEL NUL
 * EVENT} for a handler. An event goes only to the nodes whose set names its channel, one hop, from the node where it
 * was emitted; a node never forwards an event it got from another, so there are no loops and no doubles whatever
 * the links. For the same reason every node dials the peers its peers know ({@code P}), so that any connected
 * topology (a line, a ring) becomes a full mesh. A node's set is dropped when its last link goes: no stale routes.
 *
 * <pre>
 *  frame 0                                                  then
 *  'B'                                                      (header | data)…  events, up to 32; each header
 *                                                           'E' NUL channel NUL event NUL format NUL from
 *  'I'                                                      key…              what the sender wants, all of it
 *  'Q' NUL channel NUL event NUL format NUL from NUL id     route | data      a request
 *  'R' + the handler's REPLY or FAIL header                 route [| data]    its answer
 *  'P'                                                      endpoint…         peers the sender knows
 * </pre>
 */
final class MeshBridge implements PeerListener {
  private static final Logger LOG = LoggerFactory.getLogger("io.switchboard.bus.mesh");
  private static final byte[] INTEREST = {'I'};
  private static final byte[] REQUEST = {'Q'};
  private static final byte[] PEERS = {'P'};
  private static final byte[] BATCH = {'B'};
  /** The most events in one {@code B} message. */
  static final int BATCH_EVENTS = 32;
  /** Events waiting for the end of this read, by node; the I/O thread's. */
  private final Map<String, List<byte[]>> batches = new HashMap<>();

  private final NodeCore node;
  private final Peer peer;
  private final EventLoop loop;
  /** What each other node wants; the I/O thread's. */
  private final Map<String, Set<String>> interest = new ConcurrentHashMap<>();
  private Set<String> sent = Set.of();
  private boolean recomputeScheduled;
  private boolean flushScheduled;
  private final Fields fields = new Fields();
  private final AtomicInteger nextHandlerNode = new AtomicInteger();
  private long eventsOut;
  private long eventsIn;
  private long requestsOut;
  private long requestsIn;

  private MeshBridge(NodeCore node, MeshConfig config, EventLoopGroup group) {
    this.node = node;
    this.loop = group.next();
    try {
      this.peer = Peer.start(config.toPeerConfig(), group, this);
    } catch (IllegalArgumentException e) {
      throw new BusException("mesh: " + e.getMessage(), e);
    }
  }

  static MeshBridge start(NodeCore node, MeshConfig config, EventLoopGroup group) {
    return new MeshBridge(node, config, group);
  }

  String peerId() {
    return peer.id();
  }

  String endpoint() {
    return peer.info();
  }

  List<PeerInfo> peers() {
    return peer.connections();
  }

  Set<String> interestOf(String peerId) {
    return interest.getOrDefault(peerId, Set.of());
  }

  long eventsOut() {
    return eventsOut;
  }

  long eventsIn() {
    return eventsIn;
  }

  long requestsOut() {
    return requestsOut;
  }

  long requestsIn() {
    return requestsIn;
  }

  // ---- outbound, on the node's I/O thread ----

  /**
   * An event emitted here on a {@code propagateToNet} channel: added to what goes at the end of this read to every
   * node that wants it, up to {@link #BATCH_EVENTS} events in one message ({@code B} then header and data per event),
   * so that a run of events costs the links one message rather than one each.
   */
  void forwardEvent(ChannelState ch, Fields f, byte[] data, byte[] sender) {
    byte[] emit = f.bytes();
    int tail = f.end(3) - f.start(1);
    byte[] header = new byte[2 + tail + 1 + sender.length];
    header[0] = 'E';
    header[1] = Protocol.SEPARATOR;
    System.arraycopy(emit, f.start(1), header, 2, tail);
    header[2 + tail] = Protocol.SEPARATOR;
    System.arraycopy(sender, 0, header, 3 + tail, sender.length);
    for (String id : ch.netPeers) {
      List<byte[]> batch = batches.computeIfAbsent(id, k -> new ArrayList<>());
      if (batch.isEmpty()) {
        batch.add(BATCH);
      }
      batch.add(header);
      batch.add(data);
      if (batch.size() >= 1 + 2 * BATCH_EVENTS) {
        sendBatch(id, batch);
      }
    }
  }

  private void sendBatch(String id, List<byte[]> batch) {
    if (batch.size() > 1) {
      if (peer.send(id, Message.of(new ArrayList<>(batch)))) {
        eventsOut += (batch.size() - 1) / 2;
      }
      batch.clear();
    }
  }

  /** Sends the events batched during this read; the node calls it at the end of each read, on its I/O thread. */
  void flushEvents() {
    if (!batches.isEmpty()) {
      batches.forEach(this::sendBatch);
    }
  }

  /** A request no handler here took: to a node with a handler, taken in turn; false if there is none. */
  boolean forwardRequest(ChannelState ch, String event, Fields f, byte[] sender, byte[] requestId, byte[] route,
      byte[] data) {
    flushEvents();
    List<String> nodes = ch.netHandlers.get(event);
    if (nodes == null || nodes.isEmpty()) {
      return false;
    }
    byte[] header = Protocol.header(Protocol.Verb.REQUEST, ch.nameBytes, f.copy(2), f.copy(3), sender, requestId);
    byte[] q = new byte[header.length - Protocol.Verb.REQUEST.wire().length + 1];
    q[0] = 'Q';
    System.arraycopy(header, Protocol.Verb.REQUEST.wire().length, q, 1, q.length - 1);
    int start = Math.floorMod(nextHandlerNode.getAndIncrement(), nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      if (peer.send(nodes.get((start + i) % nodes.size()), Message.of(q, route, data))) {
        requestsOut++;
        return true;
      }
    }
    return false;
  }

  /** A handler's answer to a request from another node: back to that node, with the requester's own route. */
  void answerToNet(byte[] route, byte[] header, byte[] data) {
    flushEvents();
    int end = 1;
    while (end < route.length && route[end] != 0) {
      end++;
    }
    if (end >= route.length) {
      return;
    }
    String origin = new String(route, 1, end - 1, StandardCharsets.US_ASCII);
    byte[] back = Arrays.copyOfRange(route, end + 1, route.length);
    byte[] r = new byte[header.length + 1];
    r[0] = 'R';
    System.arraycopy(header, 0, r, 1, header.length);
    peer.send(origin, data == null ? Message.of(r, back) : Message.of(r, back, data));
  }

  // ---- interest ----

  /** Recomputes what this node wants, soon, on the I/O thread; tells the other nodes if it changed. */
  void interestChanged() {
    loop.execute(() -> {
      if (!recomputeScheduled) {
        recomputeScheduled = true;
        loop.execute(this::recompute);
      }
    });
  }

  private void recompute() {
    recomputeScheduled = false;
    flushEvents();
    Set<String> now = localInterest();
    if (!now.equals(sent)) {
      sent = now;
      peer.send(peer.connections().stream().filter(p -> p.state() == PeerInfo.State.CONNECTED)
          .map(PeerInfo::id).toList(), interestMessage(now));
    }
  }

  private Set<String> localInterest() {
    Set<String> keys = new TreeSet<>();
    for (ChannelState ch : node.channelStates()) {
      boolean wanted = ch.members.length > 0;
      for (ChannelState copy : ch.propagateTo) {
        wanted |= copy.members.length > 0;
      }
      if (wanted) {
        keys.add("c:" + ch.name);
      }
      ch.handlers.forEach((event, group) -> {
        if (group.sessions.length > 0) {
          keys.add("h:" + ch.name + "\0" + event);
        }
      });
    }
    return keys;
  }

  private static Message interestMessage(Set<String> keys) {
    List<byte[]> frames = new ArrayList<>(keys.size() + 1);
    frames.add(INTEREST);
    for (String k : keys) {
      frames.add(k.getBytes(StandardCharsets.UTF_8));
    }
    return Message.of(frames);
  }

  /** Rebuilds every channel's table of interested nodes from {@link #interest}. */
  private void rebuildRoutes() {
    for (ChannelState ch : node.channelStates()) {
      List<String> peers = new ArrayList<>();
      Map<String, List<String>> handlers = new HashMap<>();
      String channelKey = "c:" + ch.name;
      String handlerPrefix = "h:" + ch.name + "\0";
      interest.forEach((id, keys) -> {
        if (keys.contains(channelKey)) {
          peers.add(id);
        }
        for (String k : keys) {
          if (k.startsWith(handlerPrefix)) {
            handlers.computeIfAbsent(k.substring(handlerPrefix.length()), e -> new ArrayList<>()).add(id);
          }
        }
      });
      ch.netPeers = List.copyOf(peers);
      Map<String, List<String>> frozen = new HashMap<>();
      handlers.forEach((e, ids) -> frozen.put(e, List.copyOf(ids)));
      ch.netHandlers = Map.copyOf(frozen);
    }
    node.checkListenWaiters();
  }

  // ---- the peer's events, on the node's I/O thread ----

  @Override
  public void onConnect(PeerInfo info) {
    LOG.info("mesh: node " + peer.id() + " linked to " + info.id());
    peer.send(info.id(), interestMessage(sent));
    List<byte[]> frames = new ArrayList<>();
    frames.add(PEERS);
    for (PeerInfo p : peer.connections()) {
      if (!p.id().equals(info.id()) && p.state() == PeerInfo.State.CONNECTED && p.endpoint() != null) {
        frames.add(p.endpoint().getBytes(StandardCharsets.UTF_8));
      }
    }
    if (frames.size() > 1) {
      peer.send(info.id(), Message.of(frames));
    }
    // ...and the others of the newcomer: whichever of two nodes linked to this one first, each learns of the other
    // (the newcomer's list above misses a node whose link was still being made)
    if (info.endpoint() != null) {
      Message newcomer = Message.of(PEERS, info.endpoint().getBytes(StandardCharsets.UTF_8));
      for (PeerInfo p : peer.connections()) {
        if (!p.id().equals(info.id()) && p.state() == PeerInfo.State.CONNECTED) {
          peer.send(p.id(), newcomer);
        }
      }
    }
  }

  @Override
  public void onMessage(String from, Message m) {
    byte[] head = m.frame(0);
    if (head.length == 0) {
      return;
    }
    try {
      switch (head[0]) {
        case 'B' -> {
          for (int i = 1; i + 1 < m.size(); i += 2) {
            fields.parse(m.frame(i));
            if (fields.count() == 5) {
              eventsIn++;
              node.emitFromNet(fields, m.frame(i + 1));
            }
          }
          scheduleFlush();
        }
        case 'I' -> {
          Set<String> keys = new TreeSet<>();
          for (int i = 1; i < m.size(); i++) {
            keys.add(m.frameString(i));
          }
          interest.put(from, keys);
          rebuildRoutes();
        }
        case 'Q' -> {
          fields.parse(head);
          if (m.size() == 3 && fields.count() == 6) {
            requestsIn++;
            byte[] route = m.frame(1);
            byte[] netRoute = new byte[1 + from.length() + 1 + route.length];
            netRoute[0] = (byte) NodeCore.NET_ROUTE;
            System.arraycopy(from.getBytes(StandardCharsets.US_ASCII), 0, netRoute, 1, from.length());
            System.arraycopy(route, 0, netRoute, 2 + from.length(), route.length);
            byte[] fail = node.requestFromNet(fields, netRoute, m.frame(2));
            if (fail != null) {
              answerToNet(netRoute, fail, null);
            }
            scheduleFlush();
          }
        }
        case 'R' -> {
          if (m.size() >= 2) {
            node.answer(null, Arrays.copyOfRange(head, 1, head.length), m.frame(1), m.size() > 2 ? m.frame(2) : null);
          }
        }
        case 'P' -> {
          for (int i = 1; i < m.size(); i++) {
            String endpoint = m.frameString(i);
            if (endpoint.startsWith("tcp://") && !endpoint.equals(peer.info())) {
              peer.connect(endpoint, true).exceptionally(e -> null);
            }
          }
        }
        default -> LOG.debug("mesh: unknown message " + (char) head[0] + " from " + from);
      }
    } catch (RuntimeException e) {
      LOG.warn("mesh: failed to handle a message from node " + from, e);
    }
  }

  @Override
  public void onDisconnect(PeerInfo info, String reason) {
    batches.remove(info.id());
    if (interest.remove(info.id()) != null) {
      rebuildRoutes();
    }
    LOG.info("mesh: node " + peer.id() + " lost " + info.id() + " (" + reason + ")");
  }

  /** Clients get what net events were batched for them once the links' reads are done. */
  private void scheduleFlush() {
    if (!flushScheduled) {
      flushScheduled = true;
      loop.execute(() -> {
        flushScheduled = false;
        node.flushBatches();
      });
    }
  }

  void close() {
    peer.close();
  }
}
