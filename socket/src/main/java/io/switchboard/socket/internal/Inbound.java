package io.switchboard.socket.internal;

import io.switchboard.socket.DirectMessage;
import io.switchboard.socket.InterruptedOperationException;
import io.switchboard.socket.Message;
import io.switchboard.socket.SocketOptions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpmcUnboundedXaddArrayQueue;

/**
 * What waits for a socket's user, and the ways the user takes it: a blocking receive, which polls a little before it
 * parks ({@link #spinForMessage}); one that never parks ({@link SocketOptions#spinReceive()}); and futures. I/O
 * threads (and inproc senders) {@link #offer} messages; the socket's strategy sees each as the user takes it
 * ({@link SocketCore#onReceive}). The queue is lock-free; the futures, and the messages a cancelled future gave back,
 * are guarded by the socket's lock, and a receiver parks through the socket's one wait loop ({@link
 * SocketCore#awaitMessage}).
 */
final class Inbound {
  private static final int SPIN_TRIES = 200;
  /** Yields after the spins: on a busy machine they let the I/O thread run, and still beat a park and wake. */
  private static final int YIELD_TRIES = 50;
  /** A receiver whose {@link #queuedStreak} is at least this is pipelined, and does not yield while it waits. */
  private static final int PIPELINED_STREAK = 4;
  private static final int STREAK_CAP = 1 << 10;
  /** Polls between yields in {@link SocketOptions#spinReceive()} mode. */
  private static final int BUSY_SPIN_YIELD_EVERY = 64;

  private final SocketCore core;
  /** {@link Message}s and {@link DirectMessage}s (zero-copy receive), as they came. */
  private final MessagePassingQueue<Object> queue = new MpmcUnboundedXaddArrayQueue<>(1024);
  /** Futures waiting for a message; under the socket's lock. */
  private final ArrayDeque<CompletableFuture<Message>> asyncReceivers = new ArrayDeque<>();
  /** Messages taken for a future that was cancelled meanwhile, given back in front; under the socket's lock. */
  private final ArrayDeque<Message> returned = new ArrayDeque<>();
  private volatile int returnedCount;
  private volatile boolean hasAsyncReceivers;
  /**
   * Roughly how many receives in a row found a message already queued: one more for each that did, halved for each
   * that had to wait. A heuristic for {@link #spinForMessage}, so plain and racy: a receive from another thread may
   * lose an update.
   */
  private int queuedStreak;
  /** Whether anything waits for the user; what a parked receiver waits for. Made once, not per wait. */
  final BooleanSupplier anyQueued = this::hasMessages;
  final Supplier<Boolean> anyQueuedAttempt = () -> hasMessages() ? Boolean.TRUE : null;

  Inbound(SocketCore core) {
    this.core = core;
  }

  /** Queues a message, simple or direct, for the user. */
  void offer(Object message) {
    queue.offer(message);
  }

  /**
   * Releases the direct messages still queued, for a closed socket (which the user can no longer receive from). Any
   * thread; a message queued after the close by an I/O thread that had not seen it yet is released by that thread
   * calling this again ({@link SocketCore#deliver(Pipe, DirectMessage, boolean)}).
   */
  void releaseQueued() {
    Object m;
    while ((m = queue.poll()) != null) {
      if (m instanceof DirectMessage d) {
        d.release();
      }
    }
  }

  /** Whether a message waits for the user (before the strategy has seen it). */
  boolean hasMessages() {
    return !queue.isEmpty() || returnedCount > 0;
  }

  /** Messages queued for the user, for statistics. */
  int size() {
    return queue.size() + returnedCount;
  }

  /** Whether futures wait for messages. */
  boolean hasAsyncReceivers() {
    return hasAsyncReceivers;
  }

  /** Takes the futures still waiting, for a closing socket to fail them outside the lock; under the lock. */
  List<CompletableFuture<Message>> takeAsyncReceivers() {
    List<CompletableFuture<Message>> taken = new ArrayList<>(asyncReceivers);
    asyncReceivers.clear();
    hasAsyncReceivers = false;
    return taken;
  }

  /** A receive, after the socket's checks; see {@link io.switchboard.socket.Socket#receive}. */
  Message receive(long timeoutNanos) {
    return asMessage(receiveAny(timeoutNanos));
  }

  /** A zero-copy receive, after the socket's checks; see {@link io.switchboard.socket.Socket#receiveDirect}. */
  DirectMessage receiveDirect(long timeoutNanos) {
    Object m = receiveAny(timeoutNanos);
    return m == null || m instanceof DirectMessage ? (DirectMessage) m : DirectMessage.wrap((Message) m);
  }

  /** A message received as a direct one, as a simple one: copied out, and released. */
  private static Message asMessage(Object m) {
    if (m instanceof DirectMessage d) {
      try {
        return d.toMessage();
      } finally {
        d.release();
      }
    }
    return (Message) m;
  }

  private Object receiveAny(long timeoutNanos) {
    Object m = poll();
    if (m != null) {
      if (queuedStreak < STREAK_CAP) {
        queuedStreak++;
      }
      return m;
    }
    if (timeoutNanos == 0) {
      return null;
    }
    long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
    if (core.options().spinReceive()) {
      return busySpin(timeoutNanos, deadline);
    }
    for (;;) {
      m = spinForMessage();
      if (m != null) {
        return m;
      }
      if (!core.awaitMessage(timeoutNanos, deadline)) {
        return null;
      }
      m = poll();
      if (m != null) {
        return m;
      }
    }
  }

  /**
   * Polls a little before parking, spinning then yielding: a reply is often a few microseconds away, and parking
   * and waking a thread costs more than that (REQ/REP round trips fell from about 41 to 28 µs here). A pipelined
   * receiver (most receives found a message queued: {@link #queuedStreak}) does not yield: its next message is a
   * whole batch away, and on a machine with more busy threads than cores a yielding thread takes turns from the I/O
   * threads that carry it (ROUTER/DEALER 1:1 with 100 requests in flight: 77k replies/s yielding, 242k without).
   */
  private Object spinForMessage() {
    int tries = queuedStreak >= PIPELINED_STREAK ? SPIN_TRIES : SPIN_TRIES + YIELD_TRIES;
    queuedStreak >>= 1;
    for (int i = 0; i < tries; i++) {
      if (i < SPIN_TRIES) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
      if (hasMessages()) {
        return poll();
      }
    }
    return null;
  }

  /**
   * Receives without ever parking ({@link SocketOptions#spinReceive()}): polls the queue until a message comes, the
   * deadline passes (null), the socket closes or the thread is interrupted (thrown, as from a parked receive). It
   * yields once every {@value #BUSY_SPIN_YIELD_EVERY} polls: with a core to itself that returns at once, and on a
   * machine with more busy threads than cores it lets the I/O thread that carries the reply run.
   */
  private Object busySpin(long timeoutNanos, long deadline) {
    for (int i = 1;; i++) {
      if (hasMessages()) {
        Object m = poll();
        if (m != null) {
          return m;
        }
      }
      if (i % BUSY_SPIN_YIELD_EVERY == 0) {
        Thread.yield();
      } else {
        Thread.onSpinWait();
      }
      if ((i & 0x3FF) == 0) {
        core.checkOpen();
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedOperationException("receive", new InterruptedException());
        }
        if (timeoutNanos > 0 && System.nanoTime() - deadline >= 0) {
          return null;
        }
      }
    }
  }

  /**
   * Takes the next message the user may see, applying the strategy; null if none is queued. A message given back by
   * a cancelled future comes first, and as it was: the strategy has seen it already.
   */
  private Object poll() {
    if (returnedCount > 0) {
      core.lock.lock();
      try {
        Message m = returned.poll();
        if (m != null) {
          returnedCount--;
          return m;
        }
      } finally {
        core.lock.unlock();
      }
    }
    for (;;) {
      Object m = queue.poll();
      if (m == null) {
        return null;
      }
      Pipe source = MessageAccess.sourceOf(m);
      if (source != null) {
        source.consumed();
      }
      if (m instanceof DirectMessage) {
        return m; // only the socket types without a receive strategy take direct messages
      }
      Message result = core.onReceive(source, (Message) m);
      if (result != null) {
        return result;
      }
    }
  }

  /** A receive that completes a future; see {@link io.switchboard.socket.Socket#receiveAsync}. */
  CompletableFuture<Message> receiveAsync() {
    CompletableFuture<Message> future = new CompletableFuture<>();
    core.lock.lock();
    try {
      asyncReceivers.add(future);
      hasAsyncReceivers = true;
    } finally {
      core.lock.unlock();
    }
    completeAsyncReceivers();
    return future;
  }

  /** Completes the waiting futures with what is queued; on the thread that queued it, outside the lock. */
  void completeAsyncReceivers() {
    List<Object[]> ready = null;
    core.lock.lock();
    try {
      while (!asyncReceivers.isEmpty()) {
        CompletableFuture<Message> f = asyncReceivers.peek();
        if (f.isDone()) {
          asyncReceivers.poll();
          continue;
        }
        Object queued = poll();
        if (queued == null) {
          break;
        }
        Message m = asMessage(queued);
        asyncReceivers.poll();
        if (ready == null) {
          ready = new ArrayList<>();
        }
        ready.add(new Object[] {f, m});
      }
      hasAsyncReceivers = !asyncReceivers.isEmpty();
    } finally {
      core.lock.unlock();
    }
    if (ready != null) {
      for (Object[] pair : ready) {
        @SuppressWarnings("unchecked")
        CompletableFuture<Message> f = (CompletableFuture<Message>) pair[0];
        Message m = (Message) pair[1];
        if (!f.complete(m)) {
          giveBack(m);
        }
      }
    }
  }

  /** Puts a message taken for a cancelled future back in front of the queue. */
  private void giveBack(Message m) {
    core.lock.lock();
    try {
      returned.add(m);
      returnedCount++;
    } finally {
      core.lock.unlock();
    }
    core.signalReadable();
  }
}
