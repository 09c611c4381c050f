package io.switchboard.devices;

import io.switchboard.socket.Context;
import io.switchboard.socket.Endpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs N workers and keeps N running: a worker that exits (or, for thread workers, stops heartbeating) is replaced
 * after a growing delay, within the limits of a {@link RestartPolicy}. Each worker has a numbered slot (from 1); its
 * replacement takes the same slot. Workers are of one of two kinds, with the same supervision:
 *
 * <ul>
 *   <li><b>processes</b> running a command ({@link #builder(String...)}; PM2's cluster mode, for any language);
 *   <li><b>threads</b> in this JVM running a {@link ThreadWorker} given its slot, a {@link Context} and an endpoint
 *       to connect to ({@link #threads}).
 * </ul>
 *
 * <pre>{@code
 * try (WorkerPool pool = WorkerPool.builder("python3", "worker.py")
 *     .environment("SWITCHBOARD_BACKEND", backend)
 *     .size(4)
 *     .listener(event -> System.err.println(event.describe()))
 *     .start()) {
 *   pool.scale(8);
 * }
 * try (WorkerPool pool = WorkerPool.threads(context, backend, ThreadWorker.reliable(request -> request))
 *     .size(4)
 *     .heartbeatTimeout(Duration.ofSeconds(3))
 *     .start()) {
 *   pool.scale(2);
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> Every method may be called from any thread. Exits are handled, and replacements started, on one
 * daemon thread of the pool's own; stopping thread workers (which may wait for them to leave a broker) happens on
 * other daemon threads of the pool. The listener is called on those threads or on the caller's, never under a lock,
 * and must not block for long.
 *
 * <p><b>Ownership.</b> The pool owns its workers. {@link #close()} asks each to stop (a process and its descendants
 * get SIGTERM; a thread is interrupted and its registered resources closed, see {@link ThreadWorker}), waits at most
 * the stop timeout, then kills the processes that are left (SIGKILL) and reports the threads that are left as
 * {@link WorkerEvent.Type#ABANDONED}. A process worker's standard input is closed at once; its standard output and
 * error go where the builder says (inherited by default). A thread pool does not own its {@link Context}.
 */
public final class WorkerPool implements AutoCloseable {
  /** How long {@link #close()} and {@link #scale} wait for a worker to stop before killing it. */
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(5);

  private static final AtomicInteger IDS = new AtomicInteger();

  private final WorkerLauncher launcher;
  private final RestartPolicy policy;
  private final Consumer<WorkerEvent> listener;
  private final Duration stopTimeout;
  private final Duration heartbeatTimeout;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService stoppers;
  /** Guarded by {@code this}. */
  private final TreeMap<Integer, Slot> slots = new TreeMap<>();
  /** Guarded by {@code this}. */
  private boolean closed;

  private WorkerPool(Builder b) {
    this.launcher = b.launcher();
    this.policy = b.policy;
    this.listener = b.listener;
    this.stopTimeout = b.stopTimeout;
    this.heartbeatTimeout = b.heartbeatTimeout;
    int id = IDS.incrementAndGet();
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "switchboard-worker-pool-" + id));
    AtomicInteger stopperIds = new AtomicInteger();
    this.stoppers = Executors.newCachedThreadPool(
        r -> daemon(r, "switchboard-worker-pool-" + id + "-stop-" + stopperIds.incrementAndGet()));
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /**
   * A builder for a pool of processes that run {@code command} (the program, then its arguments).
   *
   * @throws IllegalArgumentException if the command is empty
   */
  public static Builder builder(List<String> command) {
    return new Builder(command);
  }

  /** A builder for a pool of processes that run {@code command} (the program, then its arguments). */
  public static Builder builder(String... command) {
    return builder(List.of(command));
  }

  /**
   * A builder for a pool of threads in this JVM, each running {@code worker} with its slot, {@code context} and
   * {@code endpoint} (where it should connect, such as a broker's backend).
   *
   * @throws io.switchboard.socket.EndpointException if the endpoint is malformed
   */
  public static Builder threads(Context context, String endpoint, ThreadWorker worker) {
    return new Builder(context, endpoint, worker);
  }

  /** The number of slots the pool keeps filled (slots it gave up on no longer count). */
  public synchronized int size() {
    return slots.size();
  }

  /** How many workers (processes or threads) are running now in the pool's slots. */
  public synchronized int running() {
    int count = 0;
    for (Slot slot : slots.values()) {
      if (slot.worker != null && slot.worker.isAlive()) {
        count++;
      }
    }
    return count;
  }

  /** The worker processes running now, in slot order; empty for a pool of threads. */
  public synchronized List<ProcessHandle> processes() {
    List<ProcessHandle> result = new ArrayList<>();
    for (Slot slot : slots.values()) {
      ProcessHandle handle = slot.worker == null ? null : ProcessLauncher.handle(slot.worker);
      if (handle != null && handle.isAlive()) {
        result.add(handle);
      }
    }
    return result;
  }

  /**
   * Grows or shrinks the pool to {@code size} slots: new slots start at once, removed ones (the highest-numbered)
   * are stopped as by {@link #close()} but without waiting. Also refills slots the pool gave up on.
   *
   * @throws IllegalArgumentException if {@code size} is negative
   * @throws IllegalStateException if the pool is closed
   */
  public void scale(int size) {
    if (size < 0) {
      throw new IllegalArgumentException("size: " + size + " (expected: >= 0)");
    }
    List<WorkerEvent> events = new ArrayList<>();
    List<Slot> stopping = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("worker pool is closed");
      }
      while (slots.size() < size) {
        int index = 1;
        while (slots.containsKey(index)) {
          index++;
        }
        Slot slot = new Slot(index);
        slots.put(index, slot);
        start(slot, events);
      }
      while (slots.size() > size) {
        Slot slot = slots.pollLastEntry().getValue();
        slot.retire();
        stopping.add(slot);
      }
    }
    emit(events);
    for (Slot slot : stopping) {
      WorkerLauncher.Running worker = slot.worker;
      if (worker != null) {
        stopInBackground(slot.index, worker, true);
      }
    }
  }

  /**
   * Asks {@code worker} to stop without waiting: on a stopper thread, then a kill (or, for a thread, the ABANDONED
   * event) after the stop timeout; a STOPPED event when it ends, if {@code reportStop}.
   */
  private void stopInBackground(int slot, WorkerLauncher.Running worker, boolean reportStop) {
    try {
      stoppers.execute(worker::stop);
      scheduler.schedule(() -> {
        if (worker.isAlive()) {
          worker.kill();
          if (worker.pid() < 0) {
            emit(List.of(abandoned(slot, worker)));
          }
        }
      }, stopTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closing) {
      // the pool was closed meanwhile; close() stops what it still knows, and this worker was already asked
      worker.stop();
    }
    if (reportStop) {
      worker.onExit().thenAccept(exit -> emit(List.of(stopped(slot, worker, exit))));
    }
  }

  /**
   * Stops every worker: a process and its descendants get SIGTERM, a thread is interrupted and its resources closed;
   * after the stop timeout, processes still running get SIGKILL and threads still running are abandoned. Returns
   * once they have ended (or a further second has passed after the kill). Idempotent.
   */
  @Override
  public void close() {
    List<Slot> stopping;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      stopping = new ArrayList<>(slots.values());
      slots.clear();
      stopping.forEach(Slot::retire);
    }
    scheduler.shutdownNow();
    List<Slot> withWorkers = new ArrayList<>();
    for (Slot slot : stopping) {
      if (slot.worker != null) {
        withWorkers.add(slot);
        try {
          stoppers.execute(slot.worker::stop);
        } catch (RejectedExecutionException cannotHappen) {
          slot.worker.stop();
        }
      }
    }
    long deadline = System.nanoTime() + stopTimeout.toNanos();
    for (Slot slot : withWorkers) {
      await(slot.worker.onExit(), deadline - System.nanoTime());
    }
    List<WorkerEvent> events = new ArrayList<>();
    long killed = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    for (Slot slot : withWorkers) {
      if (slot.worker.isAlive()) {
        slot.worker.kill();
        await(slot.worker.onExit(), killed - System.nanoTime());
      }
    }
    for (Slot slot : withWorkers) {
      CompletableFuture<WorkerLauncher.Exit> exit = slot.worker.onExit();
      events.add(exit.isDone() ? stopped(slot.index, slot.worker, exit.join()) : abandoned(slot.index, slot.worker));
    }
    stoppers.shutdown();
    emit(events);
  }

  private static void await(CompletableFuture<?> future, long nanos) {
    try {
      future.get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // the caller looks at isDone()
    }
  }

  private static WorkerEvent stopped(int slot, WorkerLauncher.Running worker, WorkerLauncher.Exit exit) {
    return new WorkerEvent(WorkerEvent.Type.STOPPED, slot, worker.name(), worker.pid(), exit.status(), Duration.ZERO,
        "");
  }

  private WorkerEvent abandoned(int slot, WorkerLauncher.Running worker) {
    return new WorkerEvent(WorkerEvent.Type.ABANDONED, slot, worker.name(), worker.pid(), 0, stopTimeout, "");
  }

  /** Starts the slot's worker; called with the lock held. */
  private void start(Slot slot, List<WorkerEvent> events) {
    slot.startedNanos = System.nanoTime();
    WorkerLauncher.Running worker;
    try {
      worker = launcher.start(slot.index);
    } catch (Exception e) {
      slot.worker = null;
      afterExit(slot, null, null, e.getMessage() != null ? e.getMessage() : e.toString(), events);
      return;
    }
    slot.worker = worker;
    events.add(new WorkerEvent(WorkerEvent.Type.STARTED, slot.index, worker.name(), worker.pid(), 0, Duration.ZERO,
        ""));
    worker.onExit().thenAcceptAsync(exit -> exited(slot, worker, exit), scheduler);
    if (heartbeatTimeout != null) {
      scheduleHeartbeatCheck(slot, worker, heartbeatTimeout.toNanos());
    }
  }

  private void scheduleHeartbeatCheck(Slot slot, WorkerLauncher.Running worker, long nanos) {
    try {
      scheduler.schedule(() -> checkHeartbeat(slot, worker), nanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closing) {
      // the pool is closing
    }
  }

  /** On the supervision thread: replaces {@code worker} if it has been silent for the heartbeat timeout. */
  private void checkHeartbeat(Slot slot, WorkerLauncher.Running worker) {
    List<WorkerEvent> events = new ArrayList<>();
    synchronized (this) {
      if (closed || slot.retired || slot.worker != worker || !worker.isAlive()) {
        return;
      }
      long silent = System.nanoTime() - worker.lastHeartbeatNanos();
      long timeout = heartbeatTimeout.toNanos();
      if (silent < timeout) {
        scheduleHeartbeatCheck(slot, worker, timeout - silent);
        return;
      }
      slot.worker = null;
      afterExit(slot, worker, null, "silent " + TimeUnit.NANOSECONDS.toMillis(silent) + " ms", events);
    }
    emit(events);
    stopInBackground(slot.index, worker, false);
  }

  private void exited(Slot slot, WorkerLauncher.Running worker, WorkerLauncher.Exit exit) {
    List<WorkerEvent> events = new ArrayList<>();
    synchronized (this) {
      if (closed || slot.retired || slot.worker != worker) {
        return;
      }
      slot.worker = null;
      afterExit(slot, worker, exit, null, events);
    }
    emit(events);
  }

  /**
   * Schedules the slot's replacement, or gives the slot up; called with the lock held. Exactly one of {@code exit}
   * (the worker ended), {@code startFailure} (it did not start; {@code worker} is null) and neither (the worker is
   * unresponsive, {@code silence} says how long) describes what happened.
   */
  private void afterExit(Slot slot, WorkerLauncher.Running worker, WorkerLauncher.Exit exit, String why,
      List<WorkerEvent> events) {
    long now = System.nanoTime();
    long window = policy.window().toNanos();
    if (now - slot.startedNanos >= window) {
      slot.delay = null;
    }
    while (!slot.restarts.isEmpty() && now - slot.restarts.peekFirst() >= window) {
      slot.restarts.pollFirst();
    }
    String name = worker == null ? "" : worker.name();
    long pid = worker == null ? -1 : worker.pid();
    int status = exit == null ? 0 : exit.status();
    if (slot.restarts.size() >= policy.maxRestarts()) {
      slots.remove(slot.index, slot);
      slot.retire();
      String reason = why != null ? why : pid < 0 ? exit.detail() : "";
      String limit = slot.restarts.size() + " restarts in " + policy.window().toSeconds() + " s"
          + (reason.isEmpty() ? "" : " (" + reason + ")");
      events.add(new WorkerEvent(WorkerEvent.Type.GAVE_UP, slot.index, name, pid, status, Duration.ZERO, limit));
      return;
    }
    Duration delay = slot.delay == null ? policy.initialDelay() : policy.next(slot.delay);
    slot.delay = delay;
    slot.restarts.addLast(now);
    WorkerEvent.Type type = worker == null ? WorkerEvent.Type.START_FAILED
        : exit == null ? WorkerEvent.Type.UNRESPONSIVE : WorkerEvent.Type.EXITED;
    String detail = why != null ? why : pid < 0 ? exit.detail() : "";
    events.add(new WorkerEvent(type, slot.index, name, pid, status, delay, detail));
    slot.pendingStart = scheduler.schedule(() -> restart(slot), delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void restart(Slot slot) {
    List<WorkerEvent> events = new ArrayList<>();
    synchronized (this) {
      if (closed || slot.retired) {
        return;
      }
      start(slot, events);
    }
    emit(events);
  }

  private void emit(List<WorkerEvent> events) {
    for (WorkerEvent event : events) {
      try {
        listener.accept(event);
      } catch (RuntimeException e) {
        // a listener's failure must not stop the supervision; there is nowhere better to report it
        Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
      }
    }
  }

  /** One numbered place for a worker; guarded by the pool's lock. */
  private static final class Slot {
    final int index;
    final ArrayDeque<Long> restarts = new ArrayDeque<>();
    volatile WorkerLauncher.Running worker;
    long startedNanos;
    Duration delay;
    boolean retired;
    ScheduledFuture<?> pendingStart;

    Slot(int index) {
      this.index = index;
    }

    void retire() {
      retired = true;
      if (pendingStart != null) {
        pendingStart.cancel(false);
      }
    }
  }

  /**
   * Builds and starts a {@link WorkerPool}; not thread-safe. The environment, directory and output settings apply
   * to process workers, the heartbeat timeout to thread workers; each throws {@link IllegalStateException} on a
   * builder of the other kind.
   */
  public static final class Builder {
    private final List<String> command;
    private final Context context;
    private final String endpoint;
    private final ThreadWorker worker;
    private final Map<String, String> environment = new HashMap<>();
    private Path directory;
    private ProcessBuilder.Redirect output = ProcessBuilder.Redirect.INHERIT;
    private RestartPolicy policy = RestartPolicy.DEFAULT;
    private Consumer<WorkerEvent> listener = event -> { };
    private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
    private Duration heartbeatTimeout;
    private int size = 1;

    private Builder(List<String> command) {
      Objects.requireNonNull(command, "command");
      if (command.isEmpty()) {
        throw new IllegalArgumentException("command: [] (expected: a program and its arguments)");
      }
      this.command = List.copyOf(command);
      this.context = null;
      this.endpoint = null;
      this.worker = null;
    }

    private Builder(Context context, String endpoint, ThreadWorker worker) {
      this.command = null;
      this.context = Objects.requireNonNull(context, "context");
      Endpoint.parse(Objects.requireNonNull(endpoint, "endpoint"));
      this.endpoint = endpoint;
      this.worker = Objects.requireNonNull(worker, "worker");
    }

    private void processesOnly(String setting) {
      if (command == null) {
        throw new IllegalStateException(setting + ": applies to process workers (expected: WorkerPool.builder)");
      }
    }

    /** Adds a variable to the worker processes' environment (which is this process's, plus these). */
    public Builder environment(String name, String value) {
      processesOnly("environment");
      environment.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Sets the worker processes' working directory; default: this process's. */
    public Builder directory(Path directory) {
      processesOnly("directory");
      this.directory = directory;
      return this;
    }

    /** Where the worker processes' standard output and error go; default {@link ProcessBuilder.Redirect#INHERIT}. */
    public Builder output(ProcessBuilder.Redirect output) {
      processesOnly("output");
      this.output = Objects.requireNonNull(output, "output");
      return this;
    }

    /** Sets the restart policy; default {@link RestartPolicy#DEFAULT}. */
    public Builder restartPolicy(RestartPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Sets the listener for worker events; see {@link WorkerEvent#describe()} for log lines. */
    public Builder listener(Consumer<WorkerEvent> listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Sets how long a stopping worker has before a process is killed or a thread abandoned; default {@link
     * #DEFAULT_STOP_TIMEOUT}.
     */
    public Builder stopTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("stopTimeout: " + timeout + " (expected: >= 0)");
      }
      this.stopTimeout = timeout;
      return this;
    }

    /**
     * Replaces a thread worker that has not called {@link ThreadWorker.Slot#heartbeat()} for {@code timeout} (counted
     * from its start), as if it had exited; default: no heartbeat check. For workers made by {@link
     * ThreadWorker#reliable}, use at least the broker's {@code liveness × heartbeatInterval}.
     *
     * @throws IllegalStateException on a builder of process workers (a process cannot heartbeat the pool; the broker
     *     forgets a silent one and the pool replaces it when it exits)
     */
    public Builder heartbeatTimeout(Duration timeout) {
      if (command != null) {
        throw new IllegalStateException("heartbeatTimeout: applies to thread workers (expected: WorkerPool.threads)");
      }
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("heartbeatTimeout: " + timeout + " (expected: > 0)");
      }
      this.heartbeatTimeout = timeout;
      return this;
    }

    /** Sets the number of workers; default 1. */
    public Builder size(int size) {
      if (size < 0) {
        throw new IllegalArgumentException("size: " + size + " (expected: >= 0)");
      }
      this.size = size;
      return this;
    }

    private WorkerLauncher launcher() {
      return command != null
          ? new ProcessLauncher(command, environment, directory, output)
          : new ThreadLauncher(context, endpoint, worker, stopTimeout);
    }

    /** Starts the pool and its workers. */
    public WorkerPool start() {
      WorkerPool pool = new WorkerPool(this);
      pool.scale(size);
      return pool;
    }
  }
}
