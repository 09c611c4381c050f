package io.switchboard.socket.internal;

import io.switchboard.socket.DirectMessage;
import io.switchboard.socket.Message;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;
import org.jctools.util.PaddedAtomicLong;

/**
 * A pipe to a peer over tcp or ipc. Senders put messages on a lock-free queue and, if no flush is pending, schedule
 * one on the connection's event loop, which drains everything queued into as few writes as it can ({@link
 * PipeHandler#run()}). A pipe made by {@code connect} outlives its connections: messages wait in it while the peer
 * is away, up to the high-water mark.
 */
final class NetPipe extends Pipe {
  /** {@link Message}s and {@link DirectMessage}s for the peer; its one consumer is the connection's event loop. */
  final MessagePassingQueue<Object> out = new MpscUnboundedXaddArrayQueue<>(512);
  /**
   * Subscription changes: rare, so a plain linked queue (tens of octets when empty) rather than another padded
   * array queue (over a kilobyte per connection, which idle connections by the thousand feel).
   */
  final Queue<Subscription> control = new ConcurrentLinkedQueue<>();
  /** Messages queued by the senders, and of those how many the event loop has written (or dropped). */
  private final Window window = new Window();
  /** Octets of the frames queued that go on the wire; counted only under {@code sendHighWaterBytes}. */
  final AtomicLong queuedBytes = new AtomicLong();
  final AtomicBoolean flushScheduled = new AtomicBoolean();
  /**
   * Messages from this pipe queued for the owner's user, counted by the connection's event loop; with {@link
   * #inboundTaken}, counted by the receiving threads, the receive window: two counts on lines of their own, as in a
   * {@link Window}.
   */
  private final PaddedAtomicLong inboundArrived = new PaddedAtomicLong();
  private final PaddedAtomicLong inboundTaken = new PaddedAtomicLong();
  /** Whether the connection stopped reading at the receive high-water mark; set and cleared by its event loop. */
  volatile boolean readPaused;
  /**
   * Whether a receiving thread has asked the event loop to resume reading and the loop has not looked yet: one task
   * at a time. (Every message taken below the low-water mark while the request waited asked again: at pub/sub 1:64 a
   * receiver spent over half its time queueing those tasks.)
   */
  final AtomicBoolean resumeAsked = new AtomicBoolean();
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
  boolean offer(Object message) {
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
    if (!window.reserve(highWaterMark)) {
      return false;
    }
    if (octets > 0) {
      queuedBytes.addAndGet(octets);
    }
    out.offer(message);
    scheduleFlush();
    return true;
  }

  /** The octets of {@code message} that go on the wire: its frames but those this pipe skips (a routing id). */
  private long octets(Object message) {
    long n = 0;
    if (message instanceof DirectMessage direct) {
      for (int i = outboundSkip(); i < direct.size(); i++) {
        n += direct.frame(i).readableBytes();
      }
      return n;
    }
    Message m = (Message) message;
    for (int i = outboundSkip(); i < m.size(); i++) {
      n += m.frame(i).length;
    }
    return n;
  }

  @Override
  boolean hasRoom() {
    return !closed && window.hasRoom(highWaterMark)
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
    long taken = window.take(count);
    long before = window.handed() - (taken - count);
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
    inboundTaken.incrementAndGet();
    if (readPaused) {
      PipeHandler h = handler;
      if (h != null && inboundQueued() <= owner.options().receiveHighWaterMark() / 2
          && resumeAsked.compareAndSet(false, true)) {
        h.resumeReading();
      }
    }
  }

  /** Counts one more message from this pipe in the owner's queue, on the event loop; returns the count so far. */
  long countInbound() {
    return inboundArrived.incrementAndGet();
  }

  /** How many messages from this pipe the owner's user has taken so far. */
  long inboundTaken() {
    return inboundTaken.get();
  }

  /** Messages from this pipe in the owner's queue, not yet taken by its user. */
  long inboundQueued() {
    return inboundArrived.get() - inboundTaken.get();
  }

  /**
   * Makes {@code h} the connection that drains this pipe; false if the pipe is closed, so that a connection that
   * completes its handshake after the close never becomes a second consumer of {@link #out} beside the close's
   * release of what is queued ({@link #close()}).
   */
  boolean attach(PipeHandler h) {
    synchronized (this) {
      if (closed) {
        return false;
      }
      handler = h;
    }
    flushScheduled.set(true);
    h.scheduleFlush();
    return true;
  }

  void detach(PipeHandler h) {
    boolean wasClosed;
    synchronized (this) {
      if (handler != h) {
        return;
      }
      handler = null;
      wasClosed = closed;
    }
    flushScheduled.set(false);
    if (wasClosed) {
      releaseQueued(); // the close saw this connection attached and left the queue to it
    }
    owner.signalWritable(); // with no connection, what was flushed no longer matters to a lingering close
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
    return closed ? 0 : (int) window.inFlight();
  }

  @Override
  boolean isIdle() {
    if (closed) {
      return true;
    }
    PipeHandler h = handler;
    return window.inFlight() == 0 && (h == null || h.isFlushed());
  }

  @Override
  boolean isAttached() {
    return handler != null;
  }

  /**
   * Closes the connection, if any; a closed pipe takes nothing more and counts as idle. What is still queued is
   * dropped with the pipe, its direct messages released, by the one consumer {@link #out} has: the connection's event
   * loop, when it sees the connection gone ({@link #releaseQueued}), or this thread when no connection is attached
   * (and none can attach any more). Two consumers at once (this thread clearing the queue while a flush drains it)
   * can leave both spinning forever on a slot the other has emptied: that was the hang of a publisher closed while it
   * flooded its subscribers.
   */
  @Override
  void close() {
    PipeHandler h;
    synchronized (this) {
      closed = true;
      h = handler;
    }
    if (h != null) {
      h.close();
    } else {
      releaseQueued();
    }
  }

  /**
   * Drops what is queued, releasing direct messages; only by the queue's one consumer (see {@link #close()}), once
   * the pipe is closed.
   */
  void releaseQueued() {
    Object m;
    while ((m = out.relaxedPoll()) != null) {
      if (m instanceof DirectMessage direct) {
        direct.release();
      }
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
