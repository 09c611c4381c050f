package io.switchboard.socket.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Calls {@code onChange} after files in a directory are created, changed or deleted, on a daemon thread of its own
 * ({@link WatchService}: inotify on Linux). Changes that come within {@link #SETTLE_MILLIS} of each other (an editor's
 * or {@code cp}'s several writes) are answered with one call. {@link #close()} stops the thread; idempotent.
 */
final class DirectoryWatcher implements AutoCloseable {
  /** How long the directory must be quiet before {@code onChange} runs. */
  static final long SETTLE_MILLIS = 100;

  private final WatchService service;
  private final Runnable onChange;
  private final Thread thread;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Starts watching {@code directory}.
   *
   * @throws UncheckedIOException if the directory cannot be watched
   */
  DirectoryWatcher(Path directory, Runnable onChange) {
    this.onChange = onChange;
    try {
      service = directory.getFileSystem().newWatchService();
      directory.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
          StandardWatchEventKinds.ENTRY_MODIFY);
    } catch (IOException e) {
      throw new UncheckedIOException("directory: " + directory + " cannot be watched: " + e, e);
    }
    thread = new Thread(this::run, "switchboard-certificate-watch");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      for (;;) {
        WatchKey key = service.take();
        boolean valid = drain(key);
        // Let a burst of changes settle, then answer them all at once.
        for (WatchKey more; (more = service.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) != null; ) {
          valid &= drain(more);
        }
        onChange.run();
        if (!valid) {
          return; // the directory is gone
        }
      }
    } catch (ClosedWatchServiceException | InterruptedException e) {
      // close() was called.
    }
  }

  private static boolean drain(WatchKey key) {
    key.pollEvents();
    return key.reset();
  }

  /** Stops watching and waits up to a second for the thread to end. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      service.close();
    } catch (IOException e) {
      // Closing a watch service only releases its descriptor; nothing to recover.
    }
    thread.interrupt();
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
