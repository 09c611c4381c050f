package io.switchboard.devices;

import io.switchboard.socket.Context;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** Starts each worker as a daemon thread in this JVM running a {@link ThreadWorker}. */
final class ThreadLauncher implements WorkerLauncher {
  private static final AtomicInteger POOLS = new AtomicInteger();

  private final Context context;
  private final String endpoint;
  private final ThreadWorker body;
  private final Duration stopTimeout;
  private final String prefix = "switchboard-worker-pool-" + POOLS.incrementAndGet() + "-worker-";

  ThreadLauncher(Context context, String endpoint, ThreadWorker body, Duration stopTimeout) {
    this.context = context;
    this.endpoint = endpoint;
    this.body = body;
    this.stopTimeout = stopTimeout;
  }

  @Override
  public Running start(int slot) {
    if (context.isClosed()) {
      throw new IllegalStateException("the workers' context is closed");
    }
    RunningThread running = new RunningThread(new ThreadWorker.Slot(slot, context, endpoint, stopTimeout));
    running.thread.start();
    return running;
  }

  @Override
  public boolean heartbeats() {
    return true;
  }

  private final class RunningThread implements Running {
    private final ThreadWorker.Slot slot;
    private final Thread thread;
    private final CompletableFuture<Exit> exit = new CompletableFuture<>();

    RunningThread(ThreadWorker.Slot slot) {
      this.slot = slot;
      this.thread = new Thread(this::run, prefix + slot.number());
      thread.setDaemon(true);
    }

    private void run() {
      Exit result;
      try {
        body.run(slot);
        result = new Exit(0, "returned");
      } catch (Exception | Error e) {
        result = new Exit(1, "threw " + e);
      }
      Exception closing = slot.stop();
      if (closing != null && result.status() == 0) {
        result = new Exit(1, "closing its resources threw " + closing);
      }
      exit.complete(result);
    }

    @Override
    public long pid() {
      return -1;
    }

    @Override
    public String name() {
      return "thread " + thread.getName();
    }

    @Override
    public CompletableFuture<Exit> onExit() {
      return exit;
    }

    @Override
    public long lastHeartbeatNanos() {
      return slot.lastHeartbeatNanos();
    }

    @Override
    public void stop() {
      thread.interrupt();
      slot.stop();
    }

    @Override
    public void kill() {
      thread.interrupt(); // all that can be done; the pool reports the thread as abandoned
    }

    @Override
    public boolean isAlive() {
      return !exit.isDone();
    }
  }
}
