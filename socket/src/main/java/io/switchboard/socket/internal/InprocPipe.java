package io.switchboard.socket.internal;

import io.switchboard.socket.DirectMessage;
import io.switchboard.socket.Message;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One end of an in-process connection between two sockets of one context. A message is handed straight to the
 * peer socket's inbound queue, by reference; the high-water mark counts messages the peer has not yet received (the
 * sender's send mark plus the receiver's receive mark, as in libzmq). Before the peer binds, messages wait in a
 * local queue.
 */
final class InprocPipe extends Pipe {
  private final String endpoint;
  /** Messages sent through this end that the peer's user has not taken yet. */
  private final AtomicInteger inflight = new AtomicInteger();
  private final ArrayDeque<Message> pending = new ArrayDeque<>();
  private volatile InprocPipe peer;
  private volatile boolean closed;
  private volatile int limit;
  /**
   * Messages handed to the peer through this end: a plain field, written by the thread that sends (one at a time,
   * as ZeroMQ sockets are used), read by statistics. An atomic here would cost the inproc hot path more than all
   * the rest of the counting; with several threads sending on one socket at the same instant a count can be lost.
   */
  long sent;

  InprocPipe(SocketCore owner, String endpoint) {
    super(owner);
    this.endpoint = endpoint;
    this.limit = owner.options().sendHighWaterMark();
  }

  /**
   * Joins two ends and hands over what waited on either side; {@code binderReady} runs once the binder's end can
   * send, before anything is handed over (so a ROUTER knows the routing id of the first message).
   */
  static void join(InprocPipe connecter, InprocPipe binder, Runnable binderReady) {
    connecter.limit = limit(connecter.owner, binder.owner);
    binder.limit = limit(binder.owner, connecter.owner);
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

  private void connectTo(InprocPipe other) {
    boolean handed = false;
    synchronized (this) {
      for (Message m; (m = pending.poll()) != null; ) {
        inflight.incrementAndGet();
        handOver(other, m);
        handed = true;
      }
      peer = other;
    }
    if (handed) {
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
      if (closed || p.closed || !reserve()) {
        return false;
      }
      sent++;
      // A message the sender shares (it kept a reference, or a publisher hands it to every subscriber) goes as a
      // duplicate of its own: its receiver reads its own indices, and the queue notes each receiver's pipe on it.
      DirectMessage handed = direct.refCnt() == 1 ? direct : direct.retainedDuplicate();
      if (handed != direct) {
        direct.release();
      }
      if (!p.owner.deliver(p, handed, true)) {
        inflight.decrementAndGet();
      }
      return true;
    }
    if (!offer(direct.toMessage())) {
      return false;
    }
    direct.release();
    return true;
  }

  /** Takes a place in the window for one more message in flight; false if it is full. */
  private boolean reserve() {
    if (limit > 0) {
      int n;
      do {
        n = inflight.get();
        if (n >= limit) {
          return false;
        }
      } while (!inflight.compareAndSet(n, n + 1));
    } else {
      inflight.incrementAndGet();
    }
    return true;
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
    if (closed || p.closed || !reserve()) {
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
    return !closed && !p.closed && (limit == 0 || inflight.get() < limit);
  }

  private void handOver(InprocPipe p, Message message) {
    sent++;
    // The copy leaves out what this end does not send (a sending ROUTER's routing id) and puts in front what the
    // receiving end adds (a receiving ROUTER's): no second message either side.
    Message copy = MessageAccess.copy(message, outboundSkip(), p.inboundPrefix());
    if (!p.owner.deliver(p, copy, true)) {
      inflight.decrementAndGet();
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
    inflight.incrementAndGet();
    handOver(p, Message.of(body));
  }

  @Override
  void clearSubscriptions() {
    // Subscriptions are handed over at once; nothing waits.
  }

  @Override
  void consumed() {
    InprocPipe p = peer;
    // Like libzmq's low-water mark: a blocked sender is woken once half its window is free, not per message.
    if (p != null && p.inflight.decrementAndGet() == p.limit / 2) {
      p.owner.signalWritable();
    }
  }

  /** Messages the peer handed to this end. */
  long received() {
    InprocPipe p = peer;
    return p == null ? 0 : p.sent;
  }

  @Override
  int queued() {
    // Messages waiting for the peer to bind are not counted: reading that queue would take its lock.
    return Math.max(0, inflight.get());
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
