package io.switchboard.devices;

import java.util.concurrent.CompletableFuture;

/**
 * How a {@link WorkerPool} starts one worker: an operating-system process ({@link ProcessLauncher}) or a thread in
 * this JVM ({@link ThreadLauncher}). The pool holds the supervision (slots, restarts, heartbeats, stopping); a
 * launcher knows only how to start, stop and kill its kind of worker.
 */
interface WorkerLauncher {
  /**
   * Starts a worker for {@code slot}.
   *
   * @throws Exception if it could not start (the pool handles that as an exit)
   */
  Running start(int slot) throws Exception;

  /** Whether workers of this kind heartbeat the pool (and so can be found unresponsive). */
  boolean heartbeats();

  /** How a worker ended. */
  record Exit(int status, String detail) {}

  /** One started worker. */
  interface Running {
    /** The process id, or -1 for a thread. */
    long pid();

    /** How a log names it: {@code pid 1234} or {@code thread switchboard-worker-pool-1-worker-2}. */
    String name();

    /** Completes, on any thread, when the worker has ended. */
    CompletableFuture<Exit> onExit();

    /** When the worker last heartbeat ({@link System#nanoTime()}; its start if never). */
    long lastHeartbeatNanos();

    /**
     * Asks the worker to stop: SIGTERM to a process and its descendants; interrupt and close the registered
     * resources of a thread. May block while resources close (each close is bounded); call it off the pool's
     * supervision thread.
     */
    void stop();

    /** After the stop timeout: SIGKILL to a process and its descendants; nothing more can be done to a thread. */
    void kill();

    boolean isAlive();
  }
}
