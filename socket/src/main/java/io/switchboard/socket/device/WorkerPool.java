package io.switchboard.socket.device;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs N copies of a command as operating-system processes and keeps N running: a worker that exits is replaced
 * after a growing delay, within the limits of a {@link RestartPolicy} (PM2's cluster mode, for any language). Each
 * worker has a numbered slot (from 1); its replacement takes the same slot.
 *
 * <pre>{@code
 * try (WorkerPool pool = WorkerPool.builder("python3", "worker.py")
 *     .environment("SWITCHBOARD_BACKEND", backendEndpoint)
 *     .size(4)
 *     .listener(event -> System.err.println(event.describe()))
 *     .start()) {
 *   pool.scale(8);
 *   ...
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> Every method may be called from any thread. Exits are handled, and replacements started, on one
 * daemon thread of the pool's own; the listener is called on that thread or on the caller's, never under a lock, and
 * must not block for long.
 *
 * <p><b>Ownership.</b> The pool owns its processes: {@link #close()} asks each to stop (SIGTERM, to it and its
 * descendants), waits at most the stop timeout, then kills what is left. A worker's standard input is closed at once;
 * its standard output and error go where the builder says (inherited by default).
 */
public final class WorkerPool implements AutoCloseable {
  /** How long {@link #close()} and {@link #scale} wait for a worker to stop before killing it. */
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(5);

  private final List<String> command;
  private final Map<String, String> environment;
  private final Path directory;
  private final ProcessBuilder.Redirect output;
  private final RestartPolicy policy;
  private final Consumer<WorkerEvent> listener;
  private final Duration stopTimeout;
  private final ScheduledExecutorService scheduler;
  /** Guarded by {@code this}. */
  private final TreeMap<Integer, Slot> slots = new TreeMap<>();
  /** Guarded by {@code this}. */
  private boolean closed;

  private WorkerPool(Builder b) {
    this.command = List.copyOf(b.command);
    this.environment = Map.copyOf(b.environment);
    this.directory = b.directory;
    this.output = b.output;
    this.policy = b.policy;
    this.listener = b.listener;
    this.stopTimeout = b.stopTimeout;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "switchboard-worker-pool");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * A builder for a pool that runs {@code command} (the program, then its arguments).
   *
   * @throws IllegalArgumentException if the command is empty
   */
  public static Builder builder(List<String> command) {
    return new Builder(command);
  }

  /** A builder for a pool that runs {@code command} (the program, then its arguments). */
  public static Builder builder(String... command) {
    return builder(List.of(command));
  }

  /** The number of slots the pool keeps filled (slots it gave up on no longer count). */
  public synchronized int size() {
    return slots.size();
  }

  /** The worker processes running now, in slot order. */
  public synchronized List<ProcessHandle> processes() {
    List<ProcessHandle> result = new ArrayList<>();
    for (Slot slot : slots.values()) {
      if (slot.process != null && slot.process.isAlive()) {
        result.add(slot.process.toHandle());
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
      Process process = slot.process;
      if (process != null) {
        terminate(process);
        try {
          scheduler.schedule(() -> kill(process), stopTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
          // the pool was closed meanwhile; the worker already has its SIGTERM
        }
        process.onExit().thenRun(() -> emit(List.of(stopped(slot.index, process))));
      }
    }
  }

  /**
   * Stops every worker: SIGTERM to each and its descendants, then, after the stop timeout, SIGKILL to what is left.
   * Returns once they have exited (or a further second has passed after the kill). Idempotent.
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
    List<Process> processes = new ArrayList<>();
    for (Slot slot : stopping) {
      if (slot.process != null) {
        processes.add(slot.process);
        terminate(slot.process);
      }
    }
    long deadline = System.nanoTime() + stopTimeout.toNanos();
    for (Process process : processes) {
      waitFor(process, deadline - System.nanoTime());
    }
    for (Process process : processes) {
      if (process.isAlive()) {
        kill(process);
        waitFor(process, TimeUnit.SECONDS.toNanos(1));
      }
    }
    List<WorkerEvent> events = new ArrayList<>();
    for (Slot slot : stopping) {
      if (slot.process != null && !slot.process.isAlive()) {
        events.add(stopped(slot.index, slot.process));
      }
    }
    emit(events);
  }

  private static void terminate(Process process) {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
  }

  private static void kill(Process process) {
    if (process.isAlive()) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  private static void waitFor(Process process, long nanos) {
    try {
      process.waitFor(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static WorkerEvent stopped(int slot, Process process) {
    return new WorkerEvent(WorkerEvent.Type.STOPPED, slot, process.pid(), process.exitValue(), Duration.ZERO, "");
  }

  /** Starts the slot's process; called with the lock held. */
  private void start(Slot slot, List<WorkerEvent> events) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(output).redirectError(output);
    builder.environment().putAll(environment);
    if (directory != null) {
      builder.directory(directory.toFile());
    }
    slot.startedNanos = System.nanoTime();
    Process process;
    try {
      process = builder.start();
    } catch (IOException | RuntimeException e) {
      slot.process = null;
      afterExit(slot, -1, -1, e.getMessage() != null ? e.getMessage() : e.toString(), events);
      return;
    }
    try {
      process.getOutputStream().close();
    } catch (IOException ignored) {
      // the worker has no use for standard input; a failure to close it harms nothing
    }
    slot.process = process;
    events.add(new WorkerEvent(WorkerEvent.Type.STARTED, slot.index, process.pid(), 0, Duration.ZERO, ""));
    process.onExit().thenRunAsync(() -> exited(slot, process), scheduler);
  }

  private void exited(Slot slot, Process process) {
    List<WorkerEvent> events = new ArrayList<>();
    synchronized (this) {
      if (closed || slot.retired || slot.process != process) {
        return;
      }
      slot.process = null;
      afterExit(slot, process.pid(), process.exitValue(), null, events);
    }
    emit(events);
  }

  /** Schedules the slot's replacement, or gives the slot up; called with the lock held. */
  private void afterExit(Slot slot, long pid, int status, String startFailure, List<WorkerEvent> events) {
    long now = System.nanoTime();
    long window = policy.window().toNanos();
    if (now - slot.startedNanos >= window) {
      slot.delay = null;
    }
    while (!slot.restarts.isEmpty() && now - slot.restarts.peekFirst() >= window) {
      slot.restarts.pollFirst();
    }
    if (slot.restarts.size() >= policy.maxRestarts()) {
      slots.remove(slot.index, slot);
      slot.retire();
      String limit = slot.restarts.size() + " restarts in " + policy.window().toSeconds() + " s"
          + (startFailure != null ? " (" + startFailure + ")" : "");
      events.add(new WorkerEvent(WorkerEvent.Type.GAVE_UP, slot.index, pid, status, Duration.ZERO, limit));
      return;
    }
    Duration delay = slot.delay == null ? policy.initialDelay() : policy.next(slot.delay);
    slot.delay = delay;
    slot.restarts.addLast(now);
    events.add(startFailure != null
        ? new WorkerEvent(WorkerEvent.Type.START_FAILED, slot.index, -1, 0, delay, startFailure)
        : new WorkerEvent(WorkerEvent.Type.EXITED, slot.index, pid, status, delay, ""));
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
    volatile Process process;
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

  /** Builds and starts a {@link WorkerPool}; not thread-safe. */
  public static final class Builder {
    private final List<String> command;
    private final Map<String, String> environment = new HashMap<>();
    private Path directory;
    private ProcessBuilder.Redirect output = ProcessBuilder.Redirect.INHERIT;
    private RestartPolicy policy = RestartPolicy.DEFAULT;
    private Consumer<WorkerEvent> listener = event -> { };
    private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
    private int size = 1;

    private Builder(List<String> command) {
      Objects.requireNonNull(command, "command");
      if (command.isEmpty()) {
        throw new IllegalArgumentException("command: [] (expected: a program and its arguments)");
      }
      this.command = List.copyOf(command);
    }

    /** Adds a variable to the workers' environment (which is this process's, plus these). */
    public Builder environment(String name, String value) {
      environment.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Sets the workers' working directory; default: this process's. */
    public Builder directory(Path directory) {
      this.directory = directory;
      return this;
    }

    /** Where the workers' standard output and error go; default {@link ProcessBuilder.Redirect#INHERIT}. */
    public Builder output(ProcessBuilder.Redirect output) {
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

    /** Sets how long a stopping worker has before it is killed; default {@link #DEFAULT_STOP_TIMEOUT}. */
    public Builder stopTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("stopTimeout: " + timeout + " (expected: >= 0)");
      }
      this.stopTimeout = timeout;
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

    /** Starts the pool and its workers. */
    public WorkerPool start() {
      WorkerPool pool = new WorkerPool(this);
      pool.scale(size);
      return pool;
    }
  }
}
