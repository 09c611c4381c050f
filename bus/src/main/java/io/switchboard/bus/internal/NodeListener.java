package io.switchboard.bus.internal;

import io.switchboard.bus.internal.Protocol.Verb;
import io.switchboard.socket.Message;
import io.switchboard.socket.RoutingException;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketClosedException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One endpoint of a node: a ROUTER socket and the thread that reads it. The thread routes each message as it comes
 * (no hand-off to another thread); sends go straight to the recipients' sockets, whichever listener they came in on.
 * Per sender, order is kept: one sender's messages are read and routed by one thread, in turn.
 */
final class NodeListener implements Runnable {
  private static final Logger LOG = System.getLogger("io.switchboard.bus");
  /** How long a client may be silent before the node checks that its connection is still there. */
  private static final long PROBE_AFTER_NANOS = Duration.ofSeconds(5).toNanos();

  final int index;
  final Socket router;
  final String endpoint;
  /** Whether control commands need no token here (the local ipc endpoint, protected by file permissions). */
  final boolean trusted;
  private final NodeCore node;
  private final Map<ByteBuffer, Session> sessions = new ConcurrentHashMap<>();
  private final Thread thread;
  private long nextSweepNanos = System.nanoTime() + PROBE_AFTER_NANOS;

  NodeListener(NodeCore node, int index, Socket router, String endpoint, boolean trusted) {
    this.node = node;
    this.index = index;
    this.router = router;
    this.endpoint = endpoint;
    this.trusted = trusted;
    this.thread = new Thread(this, "switchboard-node-" + (trusted ? "ipc" : "tcp"));
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  void join(Duration timeout) throws InterruptedException {
    thread.join(timeout.toMillis());
  }

  Iterable<Session> sessions() {
    return sessions.values();
  }

  Session session(byte[] routingId) {
    return sessions.get(ByteBuffer.wrap(routingId));
  }

  void forget(Session s) {
    sessions.remove(s.key, s);
  }

  @Override
  public void run() {
    Duration wait = Duration.ofSeconds(1);
    try {
      while (true) {
        Message m = router.receive(wait);
        if (m != null) {
          try {
            handle(m);
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "bus node: failed to handle a message from a client on " + endpoint, e);
          }
        }
        long now = System.nanoTime();
        if (now - nextSweepNanos >= 0) {
          probeSilentClients(now);
          nextSweepNanos = now + PROBE_AFTER_NANOS;
        }
      }
    } catch (SocketClosedException e) {
      // the node is closing
    }
  }

  private void handle(Message m) {
    byte[] rid = m.frame(0);
    if (m.size() < 2) {
      return;
    }
    Session s = sessions.get(ByteBuffer.wrap(rid));
    if (s == null) {
      s = new Session(this, rid, m.property("Peer-Address").orElse(trusted ? "local" : ""));
      sessions.put(s.key, s);
    }
    s.lastSeenNanos = System.nanoTime();
    Verb verb = Protocol.Verb.of(m.frame(1));
    if (verb == null) {
      error(s, m.frame(1), Protocol.EMPTY, "unknown verb \"" + printable(m.frame(1)) + "\"");
      return;
    }
    int args = m.size() - 2;
    switch (verb) {
      case EMIT -> {
        if (args == 4) {
          node.emit(s, m.frame(2), m.frame(3), m.frame(4), m.frame(5));
        } else {
          malformed(s, verb, args, "channel event format data");
        }
      }
      case REQUEST -> {
        if (args == 5) {
          node.request(s, m.frame(2), m.frame(3), m.frame(4), m.frame(5), m.frame(6));
        } else {
          malformed(s, verb, args, "channel event format data request-id");
        }
      }
      case REPLY -> {
        if (args == 4) {
          node.reply(s, m.frame(2), m.frame(3), m.frame(4), m.frame(5));
        } else {
          malformed(s, verb, args, "route request-id format data");
        }
      }
      case FAIL -> {
        if (args == 3) {
          node.fail(s, m.frame(2), m.frame(3), m.frame(4));
        } else {
          malformed(s, verb, args, "route request-id reason");
        }
      }
      case JOIN, LEAVE -> {
        if (args == 1) {
          node.membership(s, verb == Verb.JOIN, m.frame(2));
        } else {
          malformed(s, verb, args, "channel");
        }
      }
      case HANDLE, UNHANDLE -> {
        if (args == 2) {
          node.handling(s, verb == Verb.HANDLE, m.frame(2), m.frame(3));
        } else {
          malformed(s, verb, args, "channel event");
        }
      }
      case HELLO -> {
        if (args >= 1) {
          node.hello(s, m.frame(2));
        } else {
          malformed(s, verb, args, "name version");
        }
      }
      case CTL -> {
        if (args >= 3) {
          node.control(s, m);
        } else {
          malformed(s, verb, args, "request-id token command [argument…]");
        }
      }
      case PING -> send(s, Message.of(s.routingId, Protocol.PONG));
      case PONG -> { }
      case BYE -> node.forget(s, "said BYE");
      default -> error(s, m.frame(1), Protocol.EMPTY, "a client does not send " + verb);
    }
  }

  private void malformed(Session s, Verb verb, int args, String expected) {
    error(s, Protocol.utf8(verb.name()), Protocol.EMPTY,
        "malformed " + verb + ": " + args + " frames after the verb (expected: " + expected + ")");
  }

  void error(Session s, byte[] verb, byte[] channel, String message) {
    node.countError();
    send(s, Message.of(s.routingId, Protocol.ERROR, verb, channel, Protocol.utf8(message)));
  }

  /**
   * Queues a message for a session without waiting. A full queue drops it (counted); a connection that is gone makes
   * the node forget the session.
   *
   * @return whether the message was queued
   */
  boolean send(Session s, Message m) {
    try {
      if (router.trySend(m)) {
        return true;
      }
      s.dropped.increment();
      node.countDrop();
      return false;
    } catch (RoutingException e) {
      node.forget(s, "connection closed");
      return false;
    } catch (SocketClosedException e) {
      return false;
    }
  }

  private void probeSilentClients(long now) {
    for (Session s : sessions.values()) {
      if (now - s.lastSeenNanos >= PROBE_AFTER_NANOS) {
        try {
          router.trySend(Message.of(s.routingId, Protocol.PING));
        } catch (RoutingException e) {
          node.forget(s, "connection closed");
        }
      }
    }
  }

  private static String printable(byte[] frame) {
    String s = Protocol.string(Arrays.copyOf(frame, Math.min(frame.length, 32)));
    return s.replaceAll("\\p{Cntrl}", "?");
  }
}
