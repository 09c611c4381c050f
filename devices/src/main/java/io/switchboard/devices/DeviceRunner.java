package io.switchboard.devices;

import io.switchboard.socket.Poller;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketClosedException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The thread of one device: runs {@link Loop#step()} until terminated and, when a step made no progress, sleeps in a
 * {@link Poller} on what the device waits for ({@link Loop#watch}): an input to read, or the output a held message
 * waits for. It never wakes on a timer of its own, only when a socket is ready, a timer of the device is due ({@link
 * Loop#nanosToNextTimer}), or it is paused, resumed or terminated. Pausing stops the steps; nothing is read while
 * paused, so messages wait in the sockets' queues.
 */
final class DeviceRunner {
  /**
   * How long a device sleeps when the poller said a socket was ready and yet two steps in a row moved nothing. Only a
   * ROUTER with {@code routerMandatory} does that: it is writable while any peer has room, though the peer a held
   * message is for is full (libzmq's ROUTER reports the same). Without this bound the device would spin.
   */
  private static final Duration FRUITLESS_WAIT = Duration.ofMillis(1);
  /** The shortest sleep before a timer of the device, so that a timer due now cannot make the device spin. */
  private static final long MIN_TIMER_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final Poller.Event[] NONE = {};
  private static final Poller.Event[] READ = {Poller.Event.READABLE};
  private static final Poller.Event[] WRITE = {Poller.Event.WRITABLE};
  private static final Poller.Event[] BOTH = {Poller.Event.READABLE, Poller.Event.WRITABLE};

  /** What a device does. */
  interface Loop {
    /** Moves what it can; returns whether anything moved. */
    boolean step();

    /**
     * Before the device sleeps: says with {@link #watch(Poller, Socket, boolean, boolean)} what each of its sockets
     * is waited on for, so that the next step can make progress when one is ready.
     */
    void watch(Poller poller);

    /** Called once on the device thread when it stops. */
    void stopped();

    /** Nanoseconds until a timer of the device's own is due, or a negative number if it has none. */
    default long nanosToNextTimer() {
      return -1;
    }
  }

  private final Poller poller = new Poller();
  /** Polled while paused: no socket in it, only woken by {@link #wake()}. */
  private final Poller pausePoller = new Poller();
  private final CountDownLatch done = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean paused;
  private volatile Throwable failure;

  DeviceRunner(String name, Loop loop) {
    this.thread = new Thread(() -> run(loop), "switchboard-" + name + "-" + IDS.incrementAndGet());
    thread.setDaemon(true);
  }

  /** Registers {@code socket} with {@code poller} for reading, writing, both or neither; cheap, for every wait. */
  static void watch(Poller poller, Socket socket, boolean read, boolean write) {
    poller.register(socket, read ? (write ? BOTH : READ) : (write ? WRITE : NONE));
  }

  void start() {
    thread.start();
  }

  /** Wakes the device thread; callable from any thread. */
  void wake() {
    poller.wakeup();
    pausePoller.wakeup();
  }

  boolean isRunning() {
    return running;
  }

  private void run(Loop loop) {
    try {
      boolean polledReady = false;
      int fruitless = 0;
      while (running) {
        if (paused) {
          pausePoller.poll();
          continue;
        }
        if (loop.step()) {
          fruitless = 0;
          polledReady = false;
          continue;
        }
        if (polledReady && ++fruitless >= 2) {
          pausePoller.poll(FRUITLESS_WAIT);
          fruitless = 0;
        }
        loop.watch(poller);
        long timer = loop.nanosToNextTimer();
        int ready = timer < 0 ? poller.poll() : poller.poll(Duration.ofNanos(Math.max(MIN_TIMER_NANOS, timer)));
        polledReady = ready > 0;
      }
    } catch (SocketClosedException e) {
      if (running) {
        failure = e;
      }
    } catch (RuntimeException | Error e) {
      failure = e;
    } finally {
      running = false;
      poller.close();
      pausePoller.close();
      try {
        loop.stopped();
      } finally {
        done.countDown();
      }
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
