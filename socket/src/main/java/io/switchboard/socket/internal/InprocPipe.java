package io.switchboard.socket.internal;

import io.switchboard.socket.DirectMessage;
import io.switchboard.socket.Message;
import java.util.ArrayDeque;

/**
 * One end of an in-process connection between two sockets of one context. A message is handed straight to the
 * peer socket's inbound queue, by reference; the high-water mark counts messages the peer has not yet received (the
 * sender's send mark plus the receiver's receive mark, as in libzmq). Before the peer binds, messages wait in a
 * local queue.
 *
 * <p>The window ({@link Window}) counts what the senders hand over and what the peer's receivers take. A blocked
 * sender is woken each time a quarter to a half of the window has been taken.
 */
final class InprocPipe extends Pipe {
  private final String endpoint;
  /**
   * Messages handed (or, the window reserved for them) to the peer through this end, and of those how many have left
   * the window: taken by the peer's user, or dropped by its socket.
   */
  private final Window window = new Window();
  private final ArrayDeque<Message> pending = new ArrayDeque<>();
  private volatile InprocPipe peer;
  private volatile boolean closed;
  /** The window, in messages; 0 for none. */
  private volatile int limit;
  /** A blocked sender is woken when the count taken is a multiple of this mask plus one (a power of two). */
  private volatile long wakeMask;

  InprocPipe(SocketCore owner, String endpoint) {
    super(owner);
    this.endpoint = endpoint;
    limit(owner.options().sendHighWaterMark());
  }

  /**
   * Joins two ends and hands over what waited on either side; {@code binderReady} runs once the binder's end can
   * send, before anything is handed over (so a ROUTER knows the routing id of the first message).
   */
  static void join(InprocPipe connecter, InprocPipe binder, Runnable binderReady) {
    connecter.limit(limit(connecter.owner, binder.owner));
    binder.limit(limit(binder.owner, connecter.owner));
    binder.connectTo(connecter);
    binderReady.run();
    connecter.connectTo(binder);
  }

  /** The window of messages from {@code sender} to {@code receiver}: libzmq adds the two marks; 0 is no limit. */
  private static int limit(SocketCore sender, SocketCore receiver) {
    int send = sender.options().sendHighWaterMark();
    int receive = receiver.options().receiveHighWaterMark();
    return send == 0 || receive == 0 ? 0 : send + receive;
  }

  /** Sets the window: at most {@code messages} in flight (0: no limit), senders woken every half to quarter of it. */
  private void limit(int messages) {
    limit = messages;
    wakeMask = messages == 0 ? Long.MAX_VALUE : Integer.highestOneBit(Math.max(1, messages / 2)) - 1;
  }

  private void connectTo(InprocPipe other) {
    boolean any = false;
    synchronized (this) {
      for (Message m; (m = pending.poll()) != null; ) {
        window.handOne();
        handOver(other, m);
        any = true;
      }
      peer = other;
    }
    if (any) {
      owner.signalWritable(); // nothing waits any more: a lingering close may be done
    }
  }

  /**
   * Hands a message to the peer. A direct message goes by reference to a peer that takes them ({@code
   * zeroCopyReceive}, connected, and neither end adding or removing a routing id), as itself if the pipe holds its
   * only reference and as a {@link DirectMessage#retainedDuplicate()} if not; for any other peer it is copied into a
   * simple one, and released once the copy is taken.
   */
  @Override
  boolean offer(Object message) {
    if (!(message instanceof DirectMessage direct)) {
      return offer((Message) message);
    }
    InprocPipe p = peer;
    if (p != null && p.owner.options().zeroCopyReceive() && outboundSkip() == 0 && p.inboundPrefix() == null) {
      if (closed || p.closed || !window.reserve(limit)) {
        return false;
      }
      // A message the sender shares (it kept a reference, or a publisher hands it to every subscriber) goes as a
      // duplicate of its own: its receiver reads its own indices, and the queue notes each receiver's pipe on it.
      DirectMessage given = direct.refCnt() == 1 ? direct : direct.retainedDuplicate();
      if (given != direct) {
        direct.release();
      }
      if (!p.owner.deliver(p, given, true)) {
        took();
      }
      return true;
    }
    if (!offer(direct.toMessage())) {
      return false;
    }
    direct.release();
    return true;
  }

  /**
   * One message handed through this end has left the window; wakes blocked senders now and then (libzmq's low-water
   * mark: not per message). Enough: a sender blocks only with a whole window in flight, and within any half of it
   * the count passes a multiple of the wake step.
   */
  private void took() {
    if ((window.take(1) & wakeMask) == 0) {
      owner.signalWritable();
    }
  }

  private boolean offer(Message message) {
    InprocPipe p = peer;
    if (p == null) {
      synchronized (this) {
        p = peer;
        if (p == null) {
          if (closed || (limit > 0 && pending.size() >= limit)) {
            return false;
          }
          pending.add(message);
          return true;
        }
      }
    }
    if (closed || p.closed || !window.reserve(limit)) {
      return false;
    }
    handOver(p, message);
    return true;
  }

  @Override
  boolean hasRoom() {
    InprocPipe p = peer;
    if (p == null) {
      synchronized (this) {
        if (peer == null) {
          return !closed && (limit == 0 || pending.size() < limit);
        }
        p = peer;
      }
    }
    return !closed && !p.closed && window.hasRoom(limit);
  }

  private void handOver(InprocPipe p, Message message) {
    // The copy leaves out what this end does not send (a sending ROUTER's routing id) and puts in front what the
    // receiving end adds (a receiving ROUTER's): no second message either side.
    Message copy = MessageAccess.copy(message, outboundSkip(), p.inboundPrefix());
    if (!p.owner.deliver(p, copy, true)) {
      took();
    }
  }

  @Override
  void sendSubscription(byte[] topic, boolean subscribe) {
    byte[] body = new byte[topic.length + 1];
    body[0] = (byte) (subscribe ? 1 : 0);
    System.arraycopy(topic, 0, body, 1, topic.length);
    InprocPipe p = peer;
    if (p == null) {
      synchronized (this) {
        if (peer == null) {
          pending.add(Message.of(body));
          return;
        }
        p = peer;
      }
    }
    window.handOne();
    handOver(p, Message.of(body));
  }

  @Override
  void clearSubscriptions() {
    // Subscriptions are handed over at once; nothing waits.
  }

  @Override
  void consumed() {
    InprocPipe p = peer;
    if (p != null) {
      p.took();
    }
  }

  /** Messages handed to the peer through this end. */
  long sent() {
    return window.handed();
  }

  /** Messages the peer handed to this end. */
  long received() {
    InprocPipe p = peer;
    return p == null ? 0 : p.window.handed();
  }

  @Override
  int queued() {
    // Messages waiting for the peer to bind are not counted: reading that queue would take its lock.
    return (int) window.inFlight();
  }

  @Override
  synchronized boolean isIdle() {
    return pending.isEmpty();
  }

  @Override
  boolean isAttached() {
    return peer != null && !closed;
  }

  @Override
  void close() {
    closed = true;
    InprocPipe p = peer;
    if (p != null && !p.closed) {
      p.closed = true;
      p.owner.pipeRemoved(p);
    }
  }

  @Override
  String endpoint() {
    return endpoint;
  }

  @Override
  public String toString() {
    return "inproc pipe " + endpoint;
  }
}
