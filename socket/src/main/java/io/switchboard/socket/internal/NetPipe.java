package io.switchboard.socket.internal;

import io.switchboard.socket.Message;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;

/**
 * A pipe to a peer over tcp or ipc. Senders put messages on a lock-free queue and, if no flush is pending, schedule
 * one on the connection's event loop, which drains everything queued into as few writes as it can ({@link
 * PipeHandler#run()}). A pipe made by {@code connect} outlives its connections: messages wait in it while the peer
 * is away, up to the high-water mark.
 */
final class NetPipe extends Pipe {
  final MessagePassingQueue<Message> out = new MpscUnboundedXaddArrayQueue<>(512);
  /**
   * Subscription changes: rare, so a plain linked queue (tens of octets when empty) rather than another padded
   * array queue (over a kilobyte per connection, which idle connections by the thousand feel).
   */
  final Queue<Subscription> control = new ConcurrentLinkedQueue<>();
  final AtomicInteger queued = new AtomicInteger();
  final AtomicBoolean flushScheduled = new AtomicBoolean();
  /** Messages from this pipe waiting in the owner's inbound queue. */
  final AtomicInteger inbound = new AtomicInteger();
  private final String endpoint;
  private final int highWaterMark;
  private volatile PipeHandler handler;
  private volatile boolean closed;

  /** A subscription change waiting to be written. */
  record Subscription(byte[] topic, boolean subscribe) {}

  NetPipe(SocketCore owner, String endpoint) {
    super(owner);
    this.endpoint = endpoint;
    this.highWaterMark = owner.options().sendHighWaterMark();
  }

  @Override
  boolean offer(Message message) {
    if (closed) {
      return false;
    }
    if (highWaterMark > 0) {
      int n;
      do {
        n = queued.get();
        if (n >= highWaterMark) {
          return false;
        }
      } while (!queued.compareAndSet(n, n + 1));
    } else {
      queued.incrementAndGet();
    }
    out.offer(message);
    scheduleFlush();
    return true;
  }

  @Override
  boolean hasRoom() {
    return !closed && (highWaterMark == 0 || queued.get() < highWaterMark);
  }

  @Override
  void sendSubscription(byte[] topic, boolean subscribe) {
    control.offer(new Subscription(topic, subscribe));
    scheduleFlush();
  }

  @Override
  void clearSubscriptions() {
    control.clear();
  }

  void scheduleFlush() {
    PipeHandler h = handler;
    if (h != null && !flushScheduled.get() && flushScheduled.compareAndSet(false, true)) {
      h.scheduleFlush();
    }
  }

  /** Called on the event loop after {@code count} messages were taken from {@link #out}. */
  void released(int count) {
    int before = queued.getAndAdd(-count);
    if (highWaterMark == 0 || before >= highWaterMark || before == count) {
      owner.signalWritable();
    }
  }

  @Override
  void consumed() {
    int left = inbound.decrementAndGet();
    PipeHandler h = handler;
    if (h != null && h.isPaused() && left <= owner.options().receiveHighWaterMark() / 2) {
      h.resumeReading();
    }
  }

  /** Counts one more message from this pipe in the owner's queue; returns whether reading should pause. */
  boolean countInbound() {
    int hwm = owner.options().receiveHighWaterMark();
    return inbound.incrementAndGet() >= hwm && hwm > 0;
  }

  void attach(PipeHandler h) {
    handler = h;
    flushScheduled.set(true);
    h.scheduleFlush();
  }

  void detach(PipeHandler h) {
    if (handler == h) {
      handler = null;
      flushScheduled.set(false);
      owner.signalWritable(); // with no connection, what was flushed no longer matters to a lingering close
    }
  }

  @Override
  void signalWhenIdle() {
    PipeHandler h = handler;
    if (h != null) {
      h.signalWhenWrittenLater();
    }
  }

  PipeHandler handler() {
    return handler;
  }

  @Override
  int queued() {
    return closed ? 0 : queued.get();
  }

  @Override
  boolean isIdle() {
    if (closed) {
      return true;
    }
    PipeHandler h = handler;
    return queued.get() == 0 && (h == null || h.isFlushed());
  }

  @Override
  boolean isAttached() {
    return handler != null;
  }

  /**
   * Closes the connection, if any; a closed pipe takes nothing more and counts as idle. What is still queued is
   * dropped with the pipe, never taken here: {@link #out} has one consumer, the event loop of the connection, and a
   * second one (this thread clearing the queue while a flush drains it) can leave both spinning forever on a slot
   * the other has emptied. That was the hang of a publisher closed while it flooded its subscribers.
   */
  @Override
  void close() {
    closed = true;
    PipeHandler h = handler;
    if (h != null) {
      h.close();
    }
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  String endpoint() {
    return endpoint;
  }

  @Override
  public String toString() {
    return "pipe to " + endpoint;
  }
}
