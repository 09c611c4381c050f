package io.switchboard.bus.internal;

import io.switchboard.bus.internal.Protocol.Verb;
import io.switchboard.socket.Message;
import io.switchboard.socket.RoutingException;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketClosedException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One endpoint of a node: a ROUTER socket whose messages are routed on the node's I/O thread as they are read (see
 * {@link InboundLoop}): no hand-off to another thread, and everything routed from one read goes out in one write per
 * recipient. All of a node's endpoints share its one I/O thread, so routing is single-threaded and each sender's
 * order is kept.
 */
final class NodeListener {
  private static final Logger LOG = LoggerFactory.getLogger(NodeListener.class);
  /** How long a client may be silent before the node checks that its connection is still there. */
  static final Duration PROBE_AFTER = Duration.ofSeconds(5);

  final int index;
  final Socket router;
  final String endpoint;
  /** Whether control commands need no token here (the local ipc endpoint, protected by file permissions). */
  final boolean trusted;
  private final NodeCore node;
  private final Map<ByteBuffer, Session> sessions = new ConcurrentHashMap<>();
  /** The header of the message being handled, parsed in place; used on the I/O thread only. */
  private final Fields fields = new Fields();
  /** The session of the message handled last: a run of messages from one client looks it up once. I/O thread only. */
  private Session lastSession;

  NodeListener(NodeCore node, int index, Socket router, String endpoint, boolean trusted) {
    this.node = node;
    this.index = index;
    this.router = router;
    this.endpoint = endpoint;
    this.trusted = trusted;
  }

  void start() {
    InboundLoop.start(router, this::handleSafely, node::flushBatches);
  }

  Iterable<Session> sessions() {
    return sessions.values();
  }

  int sessionCount() {
    return sessions.size();
  }

  Session session(byte[] routingId) {
    return sessions.get(ByteBuffer.wrap(routingId));
  }

  void forget(Session s) {
    sessions.remove(s.key, s);
  }

  private void handleSafely(Message m) {
    try {
      handle(m);
    } catch (RuntimeException e) {
      LOG.warn("bus node: failed to handle a message from a client on {}", endpoint, e);
    }
  }

  private void handle(Message m) {
    if (m.size() < 2) {
      return;
    }
    byte[] rid = m.frame(0);
    Session s = lastSession;
    if (s == null || s.closed || !Arrays.equals(rid, s.routingId)) {
      s = sessions.get(ByteBuffer.wrap(rid));
    }
    if (s == null) {
      s = new Session(this, rid, m.property("Peer-Address").orElse(trusted ? "local" : ""));
      sessions.put(s.key, s);
    }
    lastSession = s;
    s.lastSeenNanos = System.nanoTime();
    Fields f = fields;
    Verb verb = f.parse(m.frame(1));
    if (verb == null) {
      error(s, "?", "", "unknown verb or too many fields in header \"" + printable(m.frame(1)) + "\"");
      return;
    }
    int n = f.count() - 1;
    int binary = m.size() - 2;
    switch (verb) {
      case EMIT -> emits(s, m);
      case REQUEST -> {
        if (check(s, verb, n == 4 && binary == 1, "REQUEST channel event format request-id | data")) {
          node.request(s, f, m.frame(2));
        }
      }
      case REPLY -> {
        if (check(s, verb, n == 2 && binary == 2, "REPLY request-id format | route | data")) {
          node.answer(s, m.frame(1), m.frame(2), m.frame(3));
        }
      }
      case FAIL -> {
        if (check(s, verb, (n == 2 || n == 3) && binary == 1, "FAIL request-id reason [code] | route")) {
          node.answer(s, m.frame(1), m.frame(2), null);
        }
      }
      case JOIN, LEAVE -> {
        if (check(s, verb, n == 1 && binary == 0, verb + " channel")) {
          node.membership(s, verb == Verb.JOIN, f.string(1));
        }
      }
      case HANDLE, UNHANDLE -> {
        if (check(s, verb, n == 2 && binary == 0, verb + " channel event")) {
          node.handling(s, verb == Verb.HANDLE, f.string(1), f.string(2));
        }
      }
      case HELLO -> {
        if (check(s, verb, n >= 1 && binary == 0, "HELLO name version")) {
          node.hello(s, f.copy(1), n >= 2 ? version(f.string(2)) : 1);
        }
      }
      case CTL -> {
        if (check(s, verb, n >= 3 && binary == 0, "CTL request-id token command [argument…]")) {
          node.control(s, f);
        }
      }
      case PING -> send(s, Message.of(s.routingId, Protocol.header(Verb.PONG)));
      case PONG -> { }
      case BYE -> node.forget(s, "said BYE");
      default -> error(s, verb.name(), "", "a client does not send " + verb);
    }
  }

  /**
   * EMIT channel event format | data, then as many more header and data pairs as the client batched: each routed in
   * turn; a malformed pair is reported and ends the message (the events before it are routed).
   */
  private void emits(Session s, Message m) {
    Fields f = fields;
    int frames = m.size();
    for (int at = 1; at < frames; at += 2) {
      // a run of one event repeats its header, or sends it empty after the first: parsed once
      byte[] header = m.frame(at);
      boolean same = at == 1 || header.length == 0 || Arrays.equals(header, m.frame(at - 2));
      boolean ok = (same || f.parse(m.frame(at)) == Verb.EMIT) && f.count() == 4 && at + 1 < frames;
      if (!check(s, Verb.EMIT, ok, "EMIT channel event format | data …")) {
        return;
      }
      node.emit(s, f, m.frame(at + 1));
    }
  }

  /** A HELLO's version, 1 if it is not a number. */
  private static int version(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  private boolean check(Session s, Verb verb, boolean ok, String expected) {
    if (!ok) {
      error(s, verb.name(), "", "malformed " + verb + " (expected: " + expected + ")");
    }
    return ok;
  }

  void error(Session s, String verb, String channel, String message) {
    node.countError();
    send(s, Message.of(s.routingId, Protocol.header(Verb.ERROR, verb, channel, message)));
  }

  /**
   * Queues a message for a session without waiting, after the events batched for it (so that it stays in order with
   * them). A full queue drops it (counted); a connection that is gone makes the node forget the session.
   *
   * @return whether the message was queued
   */
  boolean send(Session s, Message m) {
    node.sendBatch(s);
    return offer(s, m, 1);
  }

  /** Queues a message carrying {@code events} events (or one other message); a full queue drops and counts them. */
  boolean offer(Session s, Message m, int events) {
    try {
      if (router.trySend(m)) {
        return true;
      }
      s.dropped += events;
      node.countDrop(events);
      return false;
    } catch (RoutingException e) {
      node.forget(s, "connection closed");
      return false;
    } catch (SocketClosedException e) {
      return false;
    }
  }

  /**
   * Queues a message from a thread other than the I/O thread, counting nothing (the counters are the I/O thread's);
   * a connection that is gone makes the node forget the session.
   */
  void sendQuietly(Session s, Message m) {
    try {
      router.trySend(m);
    } catch (RoutingException e) {
      node.forget(s, "connection closed");
    } catch (SocketClosedException e) {
      // the node is closing
    }
  }

  /** Sends PING to clients silent for {@link #PROBE_AFTER}: a connection that is gone makes the node forget them. */
  void probeSilentClients() {
    long now = System.nanoTime();
    for (Session s : sessions.values()) {
      if (now - s.lastSeenNanos >= PROBE_AFTER.toNanos()) {
        sendQuietly(s, Message.of(s.routingId, Protocol.header(Verb.PING)));
      }
    }
  }

  private static String printable(byte[] frame) {
    String s = new String(frame, 0, Math.min(frame.length, 32), java.nio.charset.StandardCharsets.UTF_8);
    return s.replaceAll("\\p{Cntrl}", "?");
  }
}
