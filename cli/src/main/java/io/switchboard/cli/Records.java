package io.switchboard.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Standard input as records ({@link Framing} splits them), read ahead by a daemon thread so that a command waiting
 * for its next line can be interrupted, as {@link Stopping} does on Ctrl-C: a thread blocked reading a terminal
 * cannot be. At most {@link #AHEAD} records are read ahead, so a long input is not held in memory.
 */
final class Records {
  /** How many records the reader may be ahead of the command. */
  static final int AHEAD = 1024;

  private static final Object END = new Object();

  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(AHEAD);
  private boolean ended;

  /** Starts reading {@code in}, records as {@code framing} ends them, on a daemon thread named {@code name}. */
  Records(Reader in, Framing framing, String name) {
    Thread reader = new Thread(() -> {
      try (in) {
        for (String record; (record = framing.next(in)) != null; ) {
          queue.put(record);
        }
      } catch (IOException e) {
        putQuietly(new UncheckedIOException("standard input: " + Errors.describe(e), e));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        putQuietly(END);
      }
    }, name);
    reader.setDaemon(true);
    reader.start();
  }

  private void putQuietly(Object item) {
    try {
      queue.put(item);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The next record, waiting for it; null at the end of input.
   *
   * @throws UncheckedIOException if reading failed
   * @throws InterruptedException if the waiting thread is interrupted
   */
  String next() throws InterruptedException {
    if (ended) {
      return null;
    }
    Object item = queue.take();
    if (item == END) {
      ended = true;
      return null;
    }
    if (item instanceof UncheckedIOException) {
      throw (UncheckedIOException) item;
    }
    return (String) item;
  }

  /** Whether the input has ended with no record left, as far as is known now (without waiting). */
  boolean atEnd() {
    return ended || queue.peek() == END;
  }
}
