package io.switchboard.devices;

import io.switchboard.socket.SocketClosedException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The thread of one device: runs {@link Loop#step()} until terminated, sleeping on a wake-up signal when a step made
 * no progress. Pausing stops the steps; nothing is read while paused, so messages wait in the sockets' queues.
 */
final class DeviceRunner {
  /** How long an idle device sleeps before looking again; wake-ups usually come much sooner. */
  private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  /** How long a device whose output is full waits before trying again; sends cannot wake it. */
  private static final long STALLED_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  /** The shortest sleep, so that a timer due now cannot make the device spin. */
  private static final long MIN_IDLE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
  private static final AtomicInteger IDS = new AtomicInteger();

  /** What a device does. */
  interface Loop {
    /** Moves what it can; returns whether anything moved. */
    boolean step();

    /** Whether a message waits for room in an output; the runner then looks again soon. */
    boolean stalled();

    /** Called once on the device thread when it stops. */
    void stopped();

    /** At most how long the device may sleep when a step made no progress (a timer of its own is due then). */
    default long maxIdleNanos() {
      return IDLE_NANOS;
    }
  }

  private final Semaphore wake = new Semaphore(0);
  private final CountDownLatch done = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean paused;
  private volatile Throwable failure;

  DeviceRunner(String name, Loop loop) {
    this.thread = new Thread(() -> run(loop), "switchboard-" + name + "-" + IDS.incrementAndGet());
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Wakes the device thread; callable from any thread. */
  void wake() {
    wake.release();
  }

  boolean isRunning() {
    return running;
  }

  private void run(Loop loop) {
    try {
      while (running) {
        if (paused) {
          await(IDLE_NANOS);
          continue;
        }
        if (!loop.step()) {
          await(loop.stalled() ? STALLED_NANOS : Math.max(MIN_IDLE_NANOS, Math.min(IDLE_NANOS, loop.maxIdleNanos())));
        }
      }
    } catch (SocketClosedException e) {
      if (running) {
        failure = e;
      }
    } catch (RuntimeException | Error e) {
      failure = e;
    } finally {
      running = false;
      try {
        loop.stopped();
      } finally {
        done.countDown();
      }
    }
  }

  private void await(long nanos) {
    try {
      if (wake.tryAcquire(nanos, TimeUnit.NANOSECONDS)) {
        wake.drainPermits();
      }
    } catch (InterruptedException e) {
      // terminate() interrupts only to cut a wait short; the loop checks running.
    }
  }

  void pause() {
    paused = true;
    wake();
  }

  void resume() {
    paused = false;
    wake();
  }

  boolean isPaused() {
    return paused;
  }

  /** Stops the thread and waits for it, at most {@code timeout}; returns whether it stopped. */
  boolean terminate(Duration timeout) {
    running = false;
    wake();
    if (Thread.currentThread() == thread) {
      return false;
    }
    return awaitTermination(timeout);
  }

  boolean awaitTermination(Duration timeout) {
    try {
      return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return done.getCount() == 0;
    }
  }

  Throwable failure() {
    return failure;
  }
}
