package io.switchboard.devices;

import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The body of a worker that a {@link WorkerPool} runs as a thread in this JVM (see {@link WorkerPool#threads}). The
 * pool calls {@link #run} on a thread of its own; when {@code run} returns or throws, the worker has exited and the
 * pool replaces it under its {@link RestartPolicy}, in the same slot.
 *
 * <pre>{@code
 * ThreadWorker echo = slot -> {
 *   Socket socket = slot.closeOnStop(slot.context().socket(SocketType.REP));
 *   socket.connect(slot.endpoint());
 *   while (!slot.isStopping()) {
 *     socket.send(socket.receive());      // throws SocketClosedException once the pool stops the worker
 *   }
 * };
 * }</pre>
 *
 * <p><b>Stopping</b> is cooperative: the pool interrupts the thread and closes every resource registered with {@link
 * Slot#closeOnStop} (closing a socket ends a blocked receive with {@link io.switchboard.socket.SocketClosedException}).
 * A worker still running after the pool's stop timeout is abandoned (a thread cannot be killed) and reported as
 * {@link WorkerEvent.Type#ABANDONED}.
 *
 * <p><b>Heartbeats.</b> With {@link WorkerPool.Builder#heartbeatTimeout} set, a worker must call {@link
 * Slot#heartbeat()} at least that often; one that falls silent is stopped and replaced, as a process that exits is.
 * {@link #reliable} does this for a {@link ReliableWorker}, which heartbeats the pool each time it heartbeats its
 * broker.
 */
@FunctionalInterface
public interface ThreadWorker {
  /**
   * Runs the worker until it is stopped or fails.
   *
   * @throws Exception to end the worker with a failure (it is replaced, and the event says why)
   */
  void run(Slot slot) throws Exception;

  /**
   * A worker that runs a {@link ReliableWorker} with {@code handler} for a {@link ReliableBroker} whose backend is the
   * pool's endpoint; {@code settings} may change the worker's builder (heartbeat interval, liveness, reconnect
   * delays). The worker heartbeats the pool with each heartbeat to the broker. When the pool stops it, it leaves the
   * broker gracefully (see {@link ReliableWorker#close(Duration)}) within the pool's stop timeout.
   */
  static ThreadWorker reliable(Function<Message, Message> handler, UnaryOperator<ReliableWorker.Builder> settings) {
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(settings, "settings");
    return slot -> {
      ReliableWorker worker = settings.apply(ReliableWorker.builder(slot.context(), slot.endpoint(), handler))
          .heartbeatListener(slot::heartbeat)
          .start();
      slot.closeOnStop(() -> worker.close(slot.stopTimeout()));
      try {
        while (!worker.awaitTermination(Duration.ofSeconds(1))) {
          // until the pool stops it (interrupt) or it fails on its own
        }
      } finally {
        worker.close(slot.stopTimeout());
      }
      if (worker.failure().isPresent()) {
        throw new IllegalStateException("reliable worker failed: " + worker.failure().get(), worker.failure().get());
      }
    };
  }

  /** A {@link #reliable(Function, UnaryOperator)} worker with the default settings. */
  static ThreadWorker reliable(Function<Message, Message> handler) {
    return reliable(handler, UnaryOperator.identity());
  }

  /**
   * What a thread worker is given: its slot number, where to connect, a way to heartbeat the pool, and a place to
   * register what the pool closes to stop it. Thread-safe.
   */
  final class Slot {
    private final int number;
    private final Context context;
    private final String endpoint;
    private final Duration stopTimeout;
    /** Guarded by {@code this}. */
    private final ArrayDeque<AutoCloseable> resources = new ArrayDeque<>();
    /** Guarded by {@code this}. */
    private boolean stopping;
    private volatile long lastHeartbeat = System.nanoTime();

    Slot(int number, Context context, String endpoint, Duration stopTimeout) {
      this.number = number;
      this.context = context;
      this.endpoint = endpoint;
      this.stopTimeout = stopTimeout;
    }

    /** The worker's slot in the pool, from 1; a replacement gets the same number. */
    public int number() {
      return number;
    }

    /** The context to make sockets in; owned by whoever built the pool, not by the worker. */
    public Context context() {
      return context;
    }

    /** The endpoint the worker should connect to (a broker's or proxy's backend). */
    public String endpoint() {
      return endpoint;
    }

    /** How long the worker has to stop once asked (the pool's stop timeout). */
    public Duration stopTimeout() {
      return stopTimeout;
    }

    /** Tells the pool the worker is alive; cheap, callable from any thread. */
    public void heartbeat() {
      lastHeartbeat = System.nanoTime();
    }

    /** Whether the pool has asked the worker to stop. */
    public synchronized boolean isStopping() {
      return stopping;
    }

    /**
     * Registers {@code resource} (a socket, say) to be closed when the pool stops the worker, and when {@link
     * ThreadWorker#run} ends; resources close in the reverse order of registration. Returns {@code resource}.
     *
     * @throws IllegalStateException if the worker is already stopping (the resource is closed first)
     */
    public <T extends AutoCloseable> T closeOnStop(T resource) {
      Objects.requireNonNull(resource, "resource");
      synchronized (this) {
        if (!stopping) {
          resources.push(resource);
          return resource;
        }
      }
      closeQuietly(resource, null);
      throw new IllegalStateException("worker " + number + " is stopping");
    }

    long lastHeartbeatNanos() {
      return lastHeartbeat;
    }

    /** Marks the worker stopping and closes its resources; returns the first failure, if any. */
    Exception stop() {
      ArrayDeque<AutoCloseable> toClose;
      synchronized (this) {
        stopping = true;
        toClose = new ArrayDeque<>(resources);
        resources.clear();
      }
      Exception failure = null;
      for (AutoCloseable resource : toClose) {
        failure = closeQuietly(resource, failure);
      }
      return failure;
    }

    private static Exception closeQuietly(AutoCloseable resource, Exception failure) {
      try {
        resource.close();
      } catch (Exception e) {
        if (failure == null) {
          return e;
        }
        failure.addSuppressed(e);
      }
      return failure;
    }
  }
}
