package io.switchboard.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stopping on Ctrl-C (SIGINT) or SIGTERM: a shutdown hook interrupts the thread that runs the command and waits,
 * at most {@link #GRACE}, for it to return, so that every command closes cleanly the way it does on any other
 * interruption: its {@code finally} blocks close the context (delivering what is queued within {@code --linger},
 * removing the ipc files it bound) and stop what it started. The JVM then exits with the shell's status for the
 * signal, 130 or 143 ({@link ExitStatus}).
 *
 * <p>A command needs nothing to take part but to let an interrupt end its wait ({@code Socket.receive} does, so do
 * {@code CountDownLatch.await} and {@code Thread.sleep}) and to close in {@code finally}; {@link Errors} keeps the
 * interruption off standard error. A command blocked where an interrupt cannot reach (reading a terminal) is left
 * after the grace period.
 */
final class Stopping {
  /** How long a stopping command may take to close. */
  static final Duration GRACE = Duration.ofSeconds(10);

  private static volatile boolean stopping;
  private static final CountDownLatch FINISHED = new CountDownLatch(1);

  private Stopping() {}

  /** Installs the hook that stops {@code command}, the thread about to run the command line. */
  static void install(Thread command) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (FINISHED.getCount() == 0) {
        return; // an ordinary exit, not a signal
      }
      stopping = true;
      command.interrupt();
      try {
        FINISHED.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "switchboard stop"));
  }

  /** Called when the command line has returned and its output is flushed: nothing is left to wait for. */
  static void finished() {
    FINISHED.countDown();
  }

  /** Whether a signal is stopping the command, so that an interruption is no error. */
  static boolean isStopping() {
    return stopping;
  }
}
