package io.switchboard.socket.internal;

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
  private int limit;

  InprocPipe(SocketCore owner, String endpoint) {
    super(owner);
    this.endpoint = endpoint;
    this.limit = owner.options().sendHighWaterMark();
  }

  /**
   * Joins two ends and hands over what waited for the peer; {@code binderReady} runs once the binder's end can
   * send, before anything is handed over (so a ROUTER knows the routing id of the first message).
   */
  static void join(InprocPipe connecter, InprocPipe binder, Runnable binderReady) {
    int send = connecter.owner.options().sendHighWaterMark();
    int receive = binder.owner.options().receiveHighWaterMark();
    int back = binder.owner.options().sendHighWaterMark();
    int backReceive = connecter.owner.options().receiveHighWaterMark();
    binder.limit = back == 0 || backReceive == 0 ? 0 : back + backReceive;
    binder.peer = connecter;
    binderReady.run();
    synchronized (connecter) {
      connecter.limit = send == 0 || receive == 0 ? 0 : send + receive;
      for (Message m; (m = connecter.pending.poll()) != null; ) {
        connecter.handOver(binder, m);
      }
      connecter.peer = binder;
    }
  }

  @Override
  boolean offer(Message message) {
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
    if (closed || p.closed) {
      return false;
    }
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
    handOver(p, message);
    return true;
  }

  private void handOver(InprocPipe p, Message message) {
    Message copy = MessageAccess.wrap(MessageAccess.frames(message));
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
