package io.switchboard.socket.internal;

import io.switchboard.socket.Message;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
  /** Octets of the frames in {@link #queued} that go on the wire; counted only under {@code sendHighWaterBytes}. */
  final AtomicLong queuedBytes = new AtomicLong();
  final AtomicBoolean flushScheduled = new AtomicBoolean();
  /** Messages from this pipe waiting in the owner's inbound queue. */
  final AtomicInteger inbound = new AtomicInteger();
  private final String endpoint;
  private final int highWaterMark;
  private final long highWaterBytes;
  private volatile PipeHandler handler;
  private volatile boolean closed;

  /** A subscription change waiting to be written. */
  record Subscription(byte[] topic, boolean subscribe) {}

  NetPipe(SocketCore owner, String endpoint) {
    super(owner);
    this.endpoint = endpoint;
    this.highWaterMark = owner.options().sendHighWaterMark();
    this.highWaterBytes = owner.options().sendHighWaterBytes();
  }

  @Override
  boolean offer(Message message) {
    if (closed) {
      return false;
    }
    long octets = 0;
    if (highWaterBytes > 0) {
      if (queuedBytes.get() >= highWaterBytes) {
        return false;
      }
      octets = octets(message);
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
    if (octets > 0) {
      queuedBytes.addAndGet(octets);
    }
    out.offer(message);
    scheduleFlush();
    return true;
  }

  /** The octets of {@code message} that go on the wire: its frames but those this pipe skips (a routing id). */
  private long octets(Message message) {
    long n = 0;
    for (int i = outboundSkip(); i < message.size(); i++) {
      n += message.frame(i).length;
    }
    return n;
  }

  @Override
  boolean hasRoom() {
    return !closed && (highWaterMark == 0 || queued.get() < highWaterMark)
        && (highWaterBytes == 0 || queuedBytes.get() < highWaterBytes);
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

  /**
   * Called on the event loop after {@code count} messages of {@code octets} (their frames that go on the wire) were
   * taken from {@link #out}.
   */
  void released(int count, long octets) {
    int before = queued.getAndAdd(-count);
    boolean wasFull = highWaterMark == 0 || before >= highWaterMark;
    if (highWaterBytes > 0) {
      wasFull |= queuedBytes.getAndAdd(-octets) >= highWaterBytes;
    }
    if (wasFull || before == count) {
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
