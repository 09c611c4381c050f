package io.switchboard.socket.internal;

import io.switchboard.socket.DirectMessage;
import io.switchboard.socket.Endpoint;
import io.switchboard.socket.InterruptedOperationException;
import io.switchboard.socket.Message;
import io.switchboard.socket.MonitorEvent;
import io.switchboard.socket.MonitorListener;
import io.switchboard.socket.SocketClosedException;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketStatistics;
import io.switchboard.socket.SocketType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machinery every socket type shares: its pipes, blocking and waking (one loop, {@link #await}), readiness
 * listeners, monitor events and closing, with what waits for the user in {@link Inbound} and the endpoints in {@link
 * Endpoints}. Subclasses are the routing strategies: they decide where {@link #send} puts a message
 * ({@link #doSend}) and what {@link #receive} makes of one ({@link #onReceive}), and may intercept inbound messages
 * on the I/O thread ({@link #deliver}).
 *
 * <p>Threads: user threads call the public methods; I/O threads call {@link #deliver}, {@link #signalReadable},
 * {@link #signalWritable} and the pipe life-cycle methods. The inbound queue is lock-free; the lock only guards
 * waiting and the rare changes of the pipe set.
 */
public abstract class SocketCore {
  private static final Logger LOG = LoggerFactory.getLogger(SocketCore.class);
  private static final Pipe[] NO_PIPES = new Pipe[0];
  private static final AtomicLong IDS = new AtomicLong();

  final ContextCore context;
  private final SocketType type;
  private final SocketOptions options;
  private final String name;
  final ReentrantLock lock = new ReentrantLock();
  private final Condition readable = lock.newCondition();
  private final Condition writable = lock.newCondition();
  private final AtomicInteger receiveWaiters = new AtomicInteger();
  private final AtomicInteger sendWaiters = new AtomicInteger();
  /** What waits for the user, and the ways the user takes it. */
  final Inbound inbound = new Inbound(this);
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Set when the linger is over and the connections are being closed. */
  private volatile boolean terminated;
  /** Set while {@link #close(long)} waits for queued messages to go out; see {@link #linger}. */
  private volatile boolean lingering;
  private final List<MonitorListener> monitors = new CopyOnWriteArrayList<>();
  private final Endpoints endpoints = new Endpoints(this);
  final SocketCounters counters = new SocketCounters();
  /** How many times {@link #close(long)} looked at its pipes while it lingered; for tests. */
  int lingerLooks;
  /** Told of every readable and writable signal ({@link io.switchboard.socket.Poller}). */
  private final ReadinessListeners readinessListeners = new ReadinessListeners(this);
  /** Every pipe, attached or not; copy-on-write under {@link #lock}. */
  volatile Pipe[] pipes = NO_PIPES;

  SocketCore(ContextCore context, SocketType type, SocketOptions options) {
    this.context = context;
    this.type = type;
    this.options = options;
    this.name = type + "#" + IDS.incrementAndGet();
  }

  public SocketType type() {
    return type;
  }

  /** The context that made this socket. */
  public ContextCore context() {
    return context;
  }

  public SocketOptions options() {
    return options;
  }

  // ---- endpoints ----

  /** Binds; see {@link Endpoints#bind}. */
  public String bind(Endpoint endpoint) {
    checkOpen();
    return endpoints.bind(endpoint);
  }

  /** Connects; see {@link Endpoints#connect}. */
  public void connect(Endpoint endpoint) {
    checkOpen();
    endpoints.connect(endpoint);
  }

  public void unbind(Endpoint endpoint) {
    endpoints.unbind(endpoint);
  }

  public void disconnect(Endpoint endpoint) {
    endpoints.disconnect(endpoint);
  }

  public List<String> boundEndpoints() {
    return endpoints.bound();
  }

  // ---- pipes (I/O threads and endpoint calls) ----

  /** Adds a pipe to the set that strategies choose from. */
  void pipeAdded(Pipe pipe) {
    lock.lock();
    try {
      Pipe[] next = Arrays.copyOf(pipes, pipes.length + 1);
      next[pipes.length] = pipe;
      pipes = next;
    } finally {
      lock.unlock();
    }
  }

  /**
   * A pipe's peer is connected and its handshake done. Strategies may refuse it (PAIR takes one peer) by throwing
   * {@link io.switchboard.zmtp.ZmtpException}.
   */
  void pipeAttached(Pipe pipe, byte[] peerIdentity) {
    signalWritable();
  }

  /** A pipe's connection is gone; the pipe may come back (connect) or be removed next. */
  void pipeDetached(Pipe pipe) {}

  /** Removes a pipe for good. */
  void pipeRemoved(Pipe pipe) {
    pipeDetached(pipe);
    lock.lock();
    try {
      Pipe[] next = without(pipes, pipe);
      if (next != pipes) {
        pipes = next;
        counters.keep(pipe);
      }
    } finally {
      lock.unlock();
    }
    signalWritable(); // a lingering close may have waited for this pipe only
  }

  /**
   * Whether a new peer may attach now; PAIR refuses a second one. A closing socket still takes peers while it
   * lingers, so that what it queued for a connection not made yet can still go out.
   */
  boolean acceptsPeer(Pipe pipe) {
    return !terminated;
  }

  // ---- inbound ----

  /**
   * Takes a message that arrived on {@code pipe}: strategies filter or intercept it, the rest is queued for the
   * user. Called on an I/O thread, or on a sending thread for inproc.
   *
   * @param signal whether to wake a waiting receiver now (inproc) rather than at the end of the read (network)
   * @return whether the message was queued for the user
   */
  boolean deliver(Pipe pipe, Message message, boolean signal) {
    Message m = accept(pipe, message);
    if (m == null) {
      return false;
    }
    enqueue(pipe, m);
    if (signal) {
      signalReadable();
    }
    return true;
  }

  /**
   * A peer's SUBSCRIBE or CANCEL command (ZMTP 3.1), on its I/O thread: returns the message to take it as (then
   * delivered like any other, through {@link #accept}), or null to ignore it. Default: ignored, as RFC 37 has
   * every socket but a publisher do.
   */
  Message subscriptionCommand(byte[] topic, boolean subscribe) {
    return null;
  }

  /**
   * Takes a message that arrived on {@code pipe} as buffers ({@link SocketOptions#zeroCopyReceive()}): on its I/O
   * thread, or on the sending thread of an inproc peer (which wakes receivers at once). As {@link #deliver(Pipe,
   * Message, boolean)}, filtered by {@link #acceptsDirect}. Takes the message over: one dropped, or queued after the
   * socket closed, is released here.
   *
   * @param signal whether to wake a waiting receiver now (inproc) rather than at the end of the read (network)
   * @return whether the message was queued for the user
   */
  boolean deliver(Pipe pipe, DirectMessage message, boolean signal) {
    if (!acceptsDirect(pipe, message)) {
      message.release();
      return false;
    }
    inbound.offer(MessageAccess.withSource(message, pipe));
    if (closed.get()) {
      inbound.releaseQueued();
    }
    if (signal) {
      signalReadable();
    }
    return true;
  }

  /** Whether to queue a direct message; the filter of the socket types that take them. Default: every one. */
  boolean acceptsDirect(Pipe pipe, DirectMessage message) {
    return true;
  }

  /** Filters or rewrites an inbound message before it is queued; null drops it. Default: queue as is. */
  Message accept(Pipe pipe, Message message) {
    return message;
  }

  /** Queues a message for the user as if it came from {@code pipe}. */
  final void enqueue(Pipe pipe, Message message) {
    inbound.offer(MessageAccess.withSource(message, pipe));
  }

  /** Wakes receivers and tells readiness listeners, if any; cheap when there are none. */
  final void signalReadable() {
    if (receiveWaiters.get() > 0) {
      lock.lock();
      try {
        readable.signalAll();
      } finally {
        lock.unlock();
      }
    }
    if (inbound.hasAsyncReceivers()) {
      inbound.completeAsyncReceivers();
    }
    readinessListeners.tell(true);
  }

  /** Wakes senders waiting for room and tells readiness listeners, if any; cheap when there are none. */
  final void signalWritable() {
    if (sendWaiters.get() > 0) {
      lock.lock();
      try {
        writable.signalAll();
      } finally {
        lock.unlock();
      }
    }
    readinessListeners.tell(false);
  }

  // ---- readiness ----

  /**
   * Told when a socket may have become readable or writable, or has closed: a hint to look again with {@link
   * #isReadable()} and {@link #isWritable()}, given wherever the socket wakes its own blocked callers. Called on I/O
   * threads and on sending threads (inproc), never under the socket's lock: it must be quick and must not block.
   */
  public interface ReadinessListener {
    /** A message may have arrived, or the socket closed. */
    void readable();

    /** Room may have appeared, a peer attached, or the socket closed. */
    void writable();
  }

  /** Adds a readiness listener. */
  public void addReadinessListener(ReadinessListener listener) {
    readinessListeners.add(listener);
  }

  /** Removes a readiness listener added by {@link #addReadinessListener}; nothing if it is not there. */
  public void removeReadinessListener(ReadinessListener listener) {
    readinessListeners.remove(listener);
  }

  /** {@code array} without {@code element} (by identity), for the copy-on-write arrays; {@code array} if absent. */
  static <T> T[] without(T[] array, T element) {
    for (int i = 0; i < array.length; i++) {
      if (array[i] == element) {
        T[] next = Arrays.copyOf(array, array.length - 1);
        System.arraycopy(array, i + 1, next, i, array.length - i - 1);
        return next;
      }
    }
    return array;
  }

  /**
   * Whether a receive now would likely find a message (a strategy may still drop it: REQ drops a reply from the
   * wrong peer), or the socket is closed (so that the receive that follows throws).
   */
  public boolean isReadable() {
    return closed.get() || (type.canReceive() && readableNow());
  }

  /** Whether a non-blocking send now would likely be taken, or the socket is closed (so that the send throws). */
  public boolean isWritable() {
    return closed.get() || (type.canSend() && writableNow());
  }

  /** Whether a message waits for the user; strategies with turns (REQ, REP) add theirs. */
  boolean readableNow() {
    return inbound.hasMessages();
  }

  /** Whether a send would not block; the default is the round-robin's: some pipe has room. */
  boolean writableNow() {
    return anyPipeHasRoom();
  }

  private boolean anyPipeHasRoom() {
    for (Pipe pipe : pipes) {
      if (pipe.hasRoom()) {
        return true;
      }
    }
    return false;
  }

  public Message receive(long timeoutNanos) {
    checkOpen();
    if (!type.canReceive()) {
      throw new IllegalStateException(type + " cannot receive");
    }
    return inbound.receive(timeoutNanos);
  }

  /**
   * Parks a receiver until a message may be queued: true then, false on timeout. The receive's wait, with {@link
   * #await}'s guarantees.
   */
  final boolean awaitMessage(long timeoutNanos, long deadline) {
    return await(readable, receiveWaiters, timeoutNanos, deadline, "receive", inbound.anyQueuedAttempt,
        inbound.anyQueued) != null;
  }

  public DirectMessage receiveDirect(long timeoutNanos) {
    checkOpen();
    if (!type.canReceive()) {
      throw new IllegalStateException(type + " cannot receive");
    }
    return inbound.receiveDirect(timeoutNanos);
  }

  public CompletableFuture<Message> receiveAsync() {
    checkOpen();
    if (!type.canReceive()) {
      throw new IllegalStateException(type + " cannot receive");
    }
    return inbound.receiveAsync();
  }

  /** Whether some pipe has room; what a parked round-robin sender waits for. */
  private final BooleanSupplier anyRoom = this::anyPipeHasRoom;

  /**
   * The one wait loop of a socket. With {@code waiters} counted (so that a signal knows someone waits, and takes
   * {@link #lock} to wake them), it tries {@code attempt} until it gives a result, the deadline passes, or the socket
   * closes; between tries it parks on {@code condition}.
   *
   * <p>The attempt runs outside the lock: it may hand a message to an inproc peer, which takes the peer's lock to
   * wake its receivers, and holding ours meanwhile could deadlock with the peer doing the same the other way. No
   * signal is lost: the waiter is counted before the attempt, and under the lock, before parking, {@code ready} (a
   * check without side effects, true whenever the attempt could now succeed) and whether the socket closed are
   * looked at again; a signal after that finds the thread parked.
   *
   * @param timeoutNanos negative: no deadline
   * @param operation what waits, named in the {@link InterruptedOperationException} thrown on an interrupt; null for
   *     the lingering close, which runs on a closed socket, and which an interrupt only cuts short (the flag kept)
   * @return the attempt's result, or null on timeout (or, for the close, interrupt)
   * @throws SocketClosedException if the socket closes meanwhile (not for the close)
   */
  private <T> T await(Condition condition, AtomicInteger waiters, long timeoutNanos, long deadline, String operation,
      Supplier<T> attempt, BooleanSupplier ready) {
    waiters.incrementAndGet();
    try {
      for (;;) {
        T result = attempt.get();
        if (result != null) {
          return result;
        }
        lock.lock();
        try {
          if (operation != null) {
            checkOpen();
          }
          if (!ready.getAsBoolean()) {
            if (timeoutNanos < 0) {
              condition.await();
            } else {
              long left = deadline - System.nanoTime();
              if (left <= 0) {
                return null;
              }
              condition.awaitNanos(left);
            }
          }
        } finally {
          lock.unlock();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (operation == null) {
        return null;
      }
      throw new InterruptedOperationException(operation, e);
    } finally {
      waiters.decrementAndGet();
    }
  }

  /**
   * What the user receives for a queued message; null skips it. Runs on the receiving thread. Default: as is.
   */
  Message onReceive(Pipe source, Message message) {
    return message;
  }

  // ---- outbound ----

  public boolean send(Message message, long timeoutNanos) {
    checkOpen();
    if (!type.canSend()) {
      throw new IllegalStateException(type + " cannot send");
    }
    if (message.isEmpty()) {
      throw new IllegalArgumentException("message: no frames (expected: at least one frame)");
    }
    return doSend(message, timeoutNanos);
  }

  /** Routes one message; blocks up to {@code timeoutNanos} (negative: forever, zero: not at all). */
  abstract boolean doSend(Message message, long timeoutNanos);

  /**
   * Sends a message of buffers, without copying it: PUSH, DEALER, PAIR, ROUTER, PUB and XPUB. On true the socket
   * owns the caller's reference; on false or an exception the caller keeps it.
   */
  public boolean send(DirectMessage message, long timeoutNanos) {
    checkOpen();
    if (!type.canSendDirect()) {
      throw new IllegalStateException("send(DirectMessage): not on a " + type
          + " socket (expected: PUSH, DEALER, PAIR, ROUTER, PUB or XPUB)");
    }
    if (message.size() == 0) {
      throw new IllegalArgumentException("message: no frames (expected: at least one frame)");
    }
    return doSendDirect(message, timeoutNanos);
  }

  /**
   * As {@link #doSend}, for the socket types that send direct messages ({@link SocketType#canSendDirect()}); see
   * {@link #send(DirectMessage, long)}. Default: round-robin, as PUSH, DEALER and PAIR send; PUB, XPUB and ROUTER
   * route their own way.
   */
  boolean doSendDirect(DirectMessage message, long timeoutNanos) {
    return loadBalance(message, timeoutNanos) != null;
  }

  /**
   * Round-robins a message (simple or direct, see {@link Pipe#offer}) to the next pipe with room, waiting for room
   * up to the timeout.
   *
   * @return the pipe that took the message, or null on timeout
   */
  final Pipe loadBalance(Object message, long timeoutNanos) {
    Pipe p = tryLoadBalance(message);
    if (p != null || timeoutNanos == 0) {
      return p;
    }
    long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
    return await(writable, sendWaiters, timeoutNanos, deadline, "send", () -> tryLoadBalance(message), anyRoom);
  }

  /**
   * The round-robin position. Sockets are thread-safe, so several threads may send at once: each send takes a
   * position of its own with one atomic increment (a plain {@code int} lost updates between concurrent senders and
   * sent two messages where one was due). A socket with one pipe, the common case, takes none.
   */
  private final AtomicInteger next = new AtomicInteger();

  private Pipe tryLoadBalance(Object message) {
    Pipe[] ps = pipes;
    int n = ps.length;
    if (n == 1) {
      Pipe p = ps[0];
      return p.offer(message) ? p : null;
    }
    if (n == 0) {
      return null;
    }
    int start = next.getAndIncrement();
    for (int i = 0; i < n; i++) {
      Pipe p = ps[Math.floorMod(start + i, n)];
      if (p.offer(message)) {
        if (i > 0) {
          next.addAndGet(i); // the next send starts after the full pipes skipped here, as libzmq's lb does
        }
        return p;
      }
    }
    return null;
  }

  /** Blocks until {@code pipe} takes the message or the timeout passes. */
  final boolean sendTo(Pipe pipe, Object message, long timeoutNanos) {
    if (pipe.offer(message)) {
      return true;
    }
    if (timeoutNanos == 0) {
      return false;
    }
    long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
    return await(writable, sendWaiters, timeoutNanos, deadline, "send",
        () -> pipe.offer(message) ? Boolean.TRUE : null, pipe::hasRoom) != null;
  }

  public void subscribe(byte[] prefix, boolean subscribe) {
    throw new IllegalStateException(type + " has no subscribe(); "
        + (type == SocketType.XSUB ? "send 0x01+topic instead" : "only SUB subscribes"));
  }

  // ---- monitor ----

  public void addMonitor(MonitorListener listener) {
    monitors.add(listener);
  }

  public void removeMonitor(MonitorListener listener) {
    monitors.remove(listener);
  }

  final void monitor(MonitorEvent.Type eventType, String endpoint, String detail) {
    monitor(MonitorEvent.of(eventType, endpoint, detail));
  }

  /**
   * A listener that also wants the exception behind an event (for HANDSHAKE_FAILED, whether the authenticator
   * refused the peer); the libzmq-format monitor is one.
   */
  public interface CauseListener extends MonitorListener {
    /** One event and its cause, or null. */
    void onEvent(MonitorEvent event, Throwable cause);

    @Override
    default void onEvent(MonitorEvent event) {
      onEvent(event, null);
    }
  }

  final void monitor(MonitorEvent event) {
    monitor(event, null);
  }

  final void monitor(MonitorEvent event, Throwable cause) {
    counters.event(event.type());
    if (LOG.isDebugEnabled()) {
      LOG.debug("{} {} {}{}", name, event.type(), event.endpoint(),
          event.detail().isEmpty() ? "" : ": " + event.detail());
    }
    for (MonitorListener listener : monitors) {
      try {
        if (listener instanceof CauseListener withCause) {
          withCause.onEvent(event, cause);
        } else {
          listener.onEvent(event);
        }
      } catch (RuntimeException e) {
        context.listenerFailed(this, e);
      }
    }
  }

  /**
   * A snapshot of this socket's counters and queues, summed over its pipes. Takes the lock that guards the pipe set
   * (briefly, never while a user thread holds it for long), so that a pipe removed meanwhile is counted once.
   */
  public SocketStatistics statistics() {
    lock.lock();
    try {
      return counters.snapshot(pipes, inbound.size());
    } finally {
      lock.unlock();
    }
  }

  /** This socket's name, as in its messages: type and a number, {@code PUB#3}. */
  public String name() {
    return name;
  }

  // ---- closing ----

  public boolean isClosed() {
    return closed.get();
  }

  final void checkOpen() {
    if (closed.get()) {
      throw new SocketClosedException(name + " is closed");
    }
  }

  public void close() {
    long lingerNanos = options.linger().toNanos();
    close(System.nanoTime() + lingerNanos);
  }

  /** Closes after delivering what is queued, or at the deadline, whichever is first. */
  void close(long deadlineNanos) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    linger(deadlineNanos);
    terminated = true;
    List<Throwable> failures = new ArrayList<>();
    endpoints.closeAll(failures);
    for (Pipe pipe : pipes) {
      Endpoints.run(failures, pipe::close);
    }
    lock.lock();
    try {
      for (Pipe pipe : pipes) {
        counters.keep(pipe);
      }
      pipes = NO_PIPES;
    } finally {
      lock.unlock();
    }
    context.socketClosed(this);
    inbound.releaseQueued();
    List<CompletableFuture<Message>> unanswered;
    lock.lock();
    try {
      readable.signalAll();
      writable.signalAll();
      unanswered = inbound.takeAsyncReceivers();
    } finally {
      lock.unlock();
    }
    // Outside the lock: a future's dependents and a listener run on this thread and may call back into the socket.
    for (CompletableFuture<Message> f : unanswered) {
      f.completeExceptionally(new SocketClosedException(name + " is closed"));
    }
    readinessListeners.tell(true);
    readinessListeners.tell(false);
    monitor(MonitorEvent.Type.CLOSED, name, "");
    for (Throwable failure : failures) {
      context.listenerFailed(this, failure);
    }
  }

  /**
   * Waits until every pipe is idle or the deadline passes, asleep until something signals {@link #writable}: a batch
   * written ({@link NetPipe#released}), a connection's writes all gone out ({@link PipeHandler#signalWhenWritten}, armed
   * by every flush while {@link #lingering}), a connection lost ({@link NetPipe#detach}), an inproc peer bound
   * ({@link InprocPipe}), a pipe removed. An interrupt ends the wait early and is kept.
   */
  private void linger(long deadlineNanos) {
    if (deadlineNanos - System.nanoTime() <= 0) {
      return;
    }
    lingering = true;
    for (Pipe pipe : pipes) {
      pipe.signalWhenIdle();
    }
    await(writable, sendWaiters, Long.MAX_VALUE, deadlineNanos, null, () -> {
      lingerLooks++;
      return allIdle() ? Boolean.TRUE : null;
    }, this::allIdle);
  }

  /** Whether a close is waiting for the pipes to empty: flushes then signal when their writes have gone out. */
  final boolean isLingering() {
    return lingering;
  }

  private boolean allIdle() {
    for (Pipe pipe : pipes) {
      if (!pipe.isIdle()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return name;
  }
}
