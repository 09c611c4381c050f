package io.switchboard.devices;

import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketClosedException;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;
import io.switchboard.socket.SwitchboardException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A worker for a {@link ReliableBroker}: runs a handler for each request, heartbeats the broker, and reconnects on a
 * fresh socket when the broker goes silent (the ZeroMQ guide's Paranoid Pirate worker).
 *
 * <pre>{@code
 * try (ReliableWorker worker = ReliableWorker.builder(context, "tcp://broker:5556", request -> Message.of("done"))
 *     .heartbeatInterval(Duration.ofSeconds(1))
 *     .start()) {
 *   ...
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> Two daemon threads: one owns the DEALER socket (heartbeats, receiving, reconnecting), the other
 * runs the handler, one request at a time, so a long request does not stop the heartbeats. The handler must be
 * thread-safe only if it is shared with other workers. A handler that throws makes the worker answer {@code FAILED}
 * with the exception's message, which the broker passes to the client; it is not retried.
 *
 * <p><b>Handler timeout.</b> With {@link Builder#handlerTimeout} set, a request whose handler runs longer is
 * answered {@code FAILED "timed out after N ms"} (the client sees {@code handler failed: timed out after N ms}; it is
 * not retried), the handler thread is interrupted, and later requests go to a fresh handler thread, so a handler
 * stuck for good costs one thread but not the worker. Whatever the abandoned handler returns later is dropped.
 *
 * <p><b>Silence.</b> When nothing has come from the broker for {@code liveness × heartbeatInterval}, the worker
 * closes its socket (dropping what was queued on it), waits the reconnect delay (doubling from {@code
 * reconnectDelay} to {@code reconnectDelayMax}) and connects again with a new socket, saying {@code READY}. A reply
 * finished after that goes nowhere: the broker has re-dispatched or failed the request.
 *
 * <p><b>Leaving.</b> {@link #close()} leaves gracefully: the worker tells the broker {@code DISCONNECT}, so it gets
 * no more work at once; a request it holds (being handled, or already on its way to it) is finished and answered;
 * the broker then releases it with {@code DISCONNECT} and the worker closes. So a graceful leave runs no request
 * twice. If that takes longer than the close timeout (a slow handler, or a broker that is gone) the worker stops
 * abruptly as {@link #abort()} does, and the broker re-dispatches what it held once it notices the silence.
 *
 * <p><b>Ownership.</b> The worker makes and closes its own sockets in the given context. {@link #abort()} stops both
 * threads, interrupting a running handler, and closes the socket at once without telling the broker (which notices
 * the silence): the way to simulate a worker's death.
 */
public final class ReliableWorker implements AutoCloseable {
  /** Default heartbeat interval: 1 s (it should be the broker's). */
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = ReliableBroker.DEFAULT_HEARTBEAT_INTERVAL;
  /** Default liveness: 3 silent intervals mean the broker is gone. */
  public static final int DEFAULT_LIVENESS = ReliableBroker.DEFAULT_LIVENESS;
  /** Default first reconnect delay: 1 s. */
  public static final Duration DEFAULT_RECONNECT_DELAY = Duration.ofSeconds(1);
  /** Default longest reconnect delay: 32 s. */
  public static final Duration DEFAULT_RECONNECT_DELAY_MAX = Duration.ofSeconds(32);
  /** How long the broker gets to release a closing worker before it stops abruptly: 5 s. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private static final AtomicInteger IDS = new AtomicInteger();
  private static final byte[] EMPTY = new byte[0];

  private final Context context;
  private final String endpoint;
  private final Function<Message, Message> handler;
  private final long intervalNanos;
  private final int liveness;
  private final long reconnectNanos;
  private final long reconnectMaxNanos;
  private final Runnable heartbeatListener;
  private final long handlerTimeoutNanos;
  private final int id;
  private final Thread thread;
  /** Runs the handler; replaced (on the socket thread) when a handler times out. */
  private volatile ExecutorService handlerThread;
  /** The request whose handler runs now, if any. */
  private final AtomicReference<Job> running = new AtomicReference<>();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final CountDownLatch done = new CountDownLatch(1);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong handled = new AtomicLong();
  private final AtomicLong connections = new AtomicLong();
  private final AtomicLong timedOut = new AtomicLong();
  /** Requests received and not yet answered. */
  private final AtomicInteger inFlight = new AtomicInteger();
  /** Orders READY before DISCONNECT on a socket, and keeps a socket made after close() from saying READY. */
  private final Object sendLock = new Object();
  /** Guarded by {@code sendLock}: close() was called; no new session starts. */
  private boolean leaving;
  /** Guarded by {@code sendLock}: DISCONNECT went out on the current socket. */
  private boolean disconnectSent;
  private volatile Socket socket;
  private volatile Throwable failure;

  private ReliableWorker(Builder b) {
    this.context = b.context;
    this.endpoint = b.endpoint;
    this.handler = b.handler;
    this.intervalNanos = b.heartbeatInterval.toNanos();
    this.liveness = b.liveness;
    this.reconnectNanos = b.reconnectDelay.toNanos();
    this.reconnectMaxNanos = b.reconnectDelayMax.toNanos();
    this.heartbeatListener = b.heartbeatListener;
    this.handlerTimeoutNanos = b.handlerTimeout.toNanos();
    this.id = IDS.incrementAndGet();
    this.thread = new Thread(this::run, "switchboard-reliable-worker-" + id);
    thread.setDaemon(true);
    this.handlerThread = newHandlerThread();
  }

  private ExecutorService newHandlerThread() {
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "switchboard-reliable-worker-" + id + "-handler");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * A builder for a worker that connects to a {@link ReliableBroker}'s backend at {@code endpoint} and answers each
   * request with {@code handler}'s result.
   */
  public static Builder builder(Context context, String endpoint, Function<Message, Message> handler) {
    return new Builder(context, endpoint, handler);
  }

  /** How many requests the handler has completed (replies and failures). */
  public long handled() {
    return handled.get();
  }

  /** How many requests were answered {@code FAILED} because their handler ran past the handler timeout. */
  public long timedOut() {
    return timedOut.get();
  }

  /** How many times the worker has connected (1 + reconnections after silence). */
  public long connections() {
    return connections.get();
  }

  /** Whether the worker still runs. */
  public boolean isRunning() {
    return done.getCount() > 0;
  }

  /** Why the worker stopped on its own, if it did (for example, its context was closed). */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  /**
   * Waits at most {@code timeout} for the worker to stop (after {@link #close()}, or on its own); returns whether it
   * has.
   *
   * @throws InterruptedException if the calling thread is interrupted while waiting
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Leaves gracefully, waiting at most {@link #DEFAULT_CLOSE_TIMEOUT}; see {@link #close(Duration)}. */
  @Override
  public void close() {
    close(DEFAULT_CLOSE_TIMEOUT);
  }

  /**
   * Leaves the broker gracefully: says {@code DISCONNECT} (no more work comes), finishes and answers the request it
   * holds, if any, and closes once the broker has released it. After {@code timeout}, stops as {@link #abort()} does.
   * Returns once the worker has stopped. Idempotent; a concurrent caller waits as well.
   */
  public void close(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    synchronized (sendLock) {
      leaving = true;
      sendDisconnect();
    }
    closing.countDown(); // ends a wait to reconnect
    try {
      done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    abort();
  }

  /** Sends DISCONNECT on the current socket if it has not gone out yet; called with {@code sendLock} held. */
  private void sendDisconnect() {
    Socket current = socket;
    if (disconnectSent || current == null || current.isClosed()) {
      return;
    }
    try {
      disconnectSent = current.trySend(Message.of(EMPTY, bytes(ReliableBroker.DISCONNECT)));
    } catch (SocketClosedException gone) {
      // the session has just ended; the socket thread sees `leaving` and does not start another
    }
  }

  /**
   * Stops the worker abruptly: closes its socket (linger 0, so an unsent reply is dropped), interrupts the handler
   * and waits at most a second for the threads. The broker is not told; it notices the silence and re-dispatches
   * the request the worker held. Idempotent.
   */
  public void abort() {
    synchronized (sendLock) {
      leaving = true;
    }
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closing.countDown();
    Socket current = socket;
    if (current != null) {
      current.close();
    }
    handlerThread.shutdownNow();
    try {
      done.await(1, TimeUnit.SECONDS);
      handlerThread.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean isLeaving() {
    synchronized (sendLock) {
      return leaving;
    }
  }

  private void beat() {
    try {
      heartbeatListener.run();
    } catch (RuntimeException e) {
      // a listener's failure must not stop the worker; there is nowhere better to report it
      Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
    }
  }

  private void run() {
    long delay = reconnectNanos;
    try {
      while (!closed.get() && !isLeaving()) {
        boolean heard = session();
        if (closed.get() || isLeaving()) {
          break;
        }
        delay = heard ? reconnectNanos : delay;
        if (awaitReconnect(delay)) {
          break;
        }
        delay = Math.min(delay * 2, reconnectMaxNanos);
      }
    } catch (InterruptedException e) {
      // only close() would interrupt; it has set closed
    } catch (SocketClosedException e) {
      if (!closed.get()) {
        failure = e;
      }
    } catch (RuntimeException | Error e) {
      failure = e;
    } finally {
      Socket current = socket;
      if (current != null) {
        current.close();
      }
      handlerThread.shutdownNow();
      done.countDown();
    }
  }

  /** Waits {@code nanos} before reconnecting, heartbeating the listener; returns whether the worker is closing. */
  private boolean awaitReconnect(long nanos) throws InterruptedException {
    long end = System.nanoTime() + nanos;
    for (long left = nanos; left > 0; left = end - System.nanoTime()) {
      beat();
      if (closing.await(Math.min(left, intervalNanos), TimeUnit.NANOSECONDS)) {
        return true;
      }
    }
    return false;
  }

  /**
   * One connection, until the broker goes silent or releases a leaving worker; returns whether anything came from the broker (then the reconnect
   * delay starts again from the beginning).
   */
  private boolean session() {
    Socket s = context.socket(SocketType.DEALER, SocketOptions.builder().linger(Duration.ZERO).build());
    boolean heard = false;
    try {
      s.connect(endpoint);
      synchronized (sendLock) {
        if (leaving || closed.get()) {
          return false;
        }
        socket = s;
        disconnectSent = false;
        s.send(Message.of(EMPTY, bytes(ReliableBroker.READY)));
      }
      connections.incrementAndGet();
      beat();
      long now = System.nanoTime();
      long silentAt = now + liveness * intervalNanos;
      long nextHeartbeat = now + intervalNanos;
      while (!closed.get()) {
        long wait = Math.min(untilHandlerTimeout(now), Math.min(silentAt, nextHeartbeat) - System.nanoTime());
        Message message = s.receive(Duration.ofNanos(Math.max(0, wait)));
        now = System.nanoTime();
        if (message != null) {
          heard = true;
          silentAt = now + liveness * intervalNanos;
          if (isRelease(message)) {
            return true; // left gracefully: the broker holds nothing for this worker
          }
          onMessage(s, message);
        }
        checkHandlerTimeout(now);
        boolean leavingNow;
        synchronized (sendLock) {
          leavingNow = leaving;
          if (leaving && !disconnectSent) {
            sendDisconnect();
          }
        }
        if (now - nextHeartbeat >= 0) {
          // a leaving worker that holds nothing says no more: the broker may have released it already, and would
          // take a heartbeat from a worker it does not know for a new one
          if (!leavingNow || inFlight.get() > 0) {
            s.trySend(Message.of(EMPTY, bytes(ReliableBroker.HEARTBEAT)));
          }
          beat();
          nextHeartbeat = now + intervalNanos;
        }
        if (now - silentAt >= 0) {
          return heard;
        }
      }
      return heard;
    } catch (SocketClosedException e) {
      if (closed.get()) {
        return heard;
      }
      throw e;
    } finally {
      s.close();
    }
  }

  private static boolean isRelease(Message message) {
    return message.size() == 2 && message.frame(0).length == 0
        && message.frameString(1).equals(ReliableBroker.DISCONNECT);
  }

  private void onMessage(Socket s, Message message) {
    // ["", "REQUEST", ticket, body...] or ["", "HEARTBEAT"]
    if (message.size() >= 3 && message.frame(0).length == 0
        && message.frameString(1).equals(ReliableBroker.REQUEST)) {
      Job job = new Job(s, message.frame(2), message.dropFirst(3));
      inFlight.incrementAndGet();
      try {
        handlerThread.execute(job);
      } catch (RejectedExecutionException closing) {
        inFlight.decrementAndGet(); // abort() has begun; the broker will re-dispatch
      }
    }
  }

  /** A request handed to the handler thread; answered once, by its handler or by the handler timeout. */
  private final class Job implements Runnable {
    final Socket socket;
    final byte[] ticket;
    final Message body;
    final AtomicBoolean settled = new AtomicBoolean();
    /** When the handler started on it; written before the job is published in {@link #running}. */
    long startedNanos;

    Job(Socket socket, byte[] ticket, Message body) {
      this.socket = socket;
      this.ticket = ticket;
      this.body = body;
    }

    @Override
    public void run() {
      startedNanos = System.nanoTime();
      running.set(this);
      try {
        serve(this);
      } finally {
        running.compareAndSet(this, null);
      }
    }
  }

  /**
   * Runs the handler and sends its answer, unless the handler timeout answered first. The request is counted done
   * before the reply is sent, so that a leaving worker's heartbeat never follows the reply that lets the broker
   * release it.
   */
  private void serve(Job job) {
    Message answer = null;
    try {
      Message reply = Objects.requireNonNull(handler.apply(job.body), "the handler returned null");
      answer = reply.prepend(job.ticket).prepend(bytes(ReliableBroker.REPLY)).prepend(EMPTY);
    } catch (RuntimeException e) {
      if (!closed.get()) {
        answer = failed(job.ticket, e.getMessage() != null ? e.getMessage() : e.getClass().getName());
      }
    } finally {
      // after an Error (which escapes to the executor) the request is settled unanswered
      if (!job.settled.compareAndSet(false, true)) {
        answer = null; // the handler timeout answered it
      } else {
        if (answer != null) {
          handled.incrementAndGet();
        }
        inFlight.decrementAndGet();
      }
    }
    if (answer == null) {
      return;
    }
    try {
      job.socket.send(answer, Duration.ofNanos(liveness * intervalNanos));
    } catch (SwitchboardException | IllegalStateException gone) {
      // the socket was closed (silence or close()); the broker re-dispatches or fails the request
    }
  }

  private static Message failed(byte[] ticket, String reason) {
    return Message.of(EMPTY, bytes(ReliableBroker.FAILED), ticket, bytes(reason));
  }

  /** How long the socket thread may wait before the running handler (if any) reaches the handler timeout. */
  private long untilHandlerTimeout(long now) {
    if (handlerTimeoutNanos == 0 || inFlight.get() == 0) {
      return Long.MAX_VALUE;
    }
    Job job = running.get();
    // a request not started yet cannot time out sooner than a whole timeout from now
    return job == null ? handlerTimeoutNanos : job.startedNanos + handlerTimeoutNanos - now;
  }

  /**
   * On the socket thread: answers the running request {@code FAILED} if its handler has run past the timeout, and
   * moves the requests still waiting to a fresh handler thread, interrupting the stuck one.
   */
  private void checkHandlerTimeout(long now) {
    Job job = running.get();
    if (handlerTimeoutNanos == 0 || job == null || now - job.startedNanos < handlerTimeoutNanos
        || !job.settled.compareAndSet(false, true)) {
      return;
    }
    inFlight.decrementAndGet();
    handled.incrementAndGet();
    timedOut.incrementAndGet();
    try {
      // on the socket the request came on: after a reconnection the broker has re-dispatched or failed it already
      job.socket.trySend(failed(job.ticket, "timed out after " + TimeUnit.NANOSECONDS.toMillis(handlerTimeoutNanos)
          + " ms"));
    } catch (SwitchboardException | IllegalStateException gone) {
      // that socket is closed
    }
    ExecutorService stuck = handlerThread;
    handlerThread = newHandlerThread();
    for (Runnable waiting : stuck.shutdownNow()) {
      handlerThread.execute(waiting);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Builds and starts a {@link ReliableWorker}; not thread-safe. */
  public static final class Builder {
    private final Context context;
    private final String endpoint;
    private final Function<Message, Message> handler;
    private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
    private int liveness = DEFAULT_LIVENESS;
    private Duration reconnectDelay = DEFAULT_RECONNECT_DELAY;
    private Duration reconnectDelayMax = DEFAULT_RECONNECT_DELAY_MAX;
    private Runnable heartbeatListener = () -> { };
    private Duration handlerTimeout = Duration.ZERO;

    private Builder(Context context, String endpoint, Function<Message, Message> handler) {
      this.context = Objects.requireNonNull(context, "context");
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      this.handler = Objects.requireNonNull(handler, "handler");
    }

    /** How often the worker heartbeats; default 1 s. Use the broker's interval. */
    public Builder heartbeatInterval(Duration interval) {
      this.heartbeatInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /** How many silent intervals mean the broker is gone; default 3. */
    public Builder liveness(int liveness) {
      this.liveness = liveness;
      return this;
    }

    /** The first delay before reconnecting; default 1 s. */
    public Builder reconnectDelay(Duration delay) {
      this.reconnectDelay = Objects.requireNonNull(delay, "delay");
      return this;
    }

    /** The longest delay before reconnecting; default 32 s. */
    public Builder reconnectDelayMax(Duration delay) {
      this.reconnectDelayMax = Objects.requireNonNull(delay, "delay");
      return this;
    }

    /**
     * How long the handler may run on one request before the worker answers it {@code FAILED "timed out after N
     * ms"} and moves on to a fresh handler thread (the class comment has the details); default {@link
     * Duration#ZERO}, no limit. Set it below the broker's request timeout, or the client sees {@code deadline
     * exceeded} first.
     */
    public Builder handlerTimeout(Duration timeout) {
      this.handlerTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Called on the worker's socket thread at least once per heartbeat interval while it runs (with each heartbeat
     * to the broker, and while it waits to reconnect): a sign of life for a supervisor such as {@link WorkerPool}.
     * Must be quick; default: nothing.
     */
    public Builder heartbeatListener(Runnable listener) {
      this.heartbeatListener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Checks the settings and starts the worker.
     *
     * @throws IllegalArgumentException if a setting is out of range
     */
    public ReliableWorker start() {
      if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
        throw new IllegalArgumentException("heartbeatInterval: " + heartbeatInterval + " (expected: > 0)");
      }
      if (liveness < 1) {
        throw new IllegalArgumentException("liveness: " + liveness + " (expected: >= 1)");
      }
      if (handlerTimeout.isNegative()) {
        throw new IllegalArgumentException("handlerTimeout: " + handlerTimeout + " (expected: >= 0, 0 for none)");
      }
      if (reconnectDelay.isNegative()) {
        throw new IllegalArgumentException("reconnectDelay: " + reconnectDelay + " (expected: >= 0)");
      }
      if (reconnectDelayMax.compareTo(reconnectDelay) < 0) {
        throw new IllegalArgumentException("reconnectDelayMax: " + reconnectDelayMax + " (expected: at least "
            + "reconnectDelay " + reconnectDelay + ")");
      }
      ReliableWorker worker = new ReliableWorker(this);
      worker.thread.start();
      return worker;
    }
  }
}
