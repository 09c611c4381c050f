package io.switchboard.bench;

import io.switchboard.bench.PeerSupport.PeerException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One listener's measurement in the bus benchmark, the same for Switchboard's bus and jnats (and, in Go, for the NATS
 * Go peer): the publisher sends {@code warmup + count} events of {@code size} octets, the last one marked by its
 * first octet ({@link #LAST_MARK}); the clock starts at the {@code warmup}-th event received and stops at the last
 * one received.
 *
 * <p>Both the bus node and NATS may drop events for a listener that falls behind (the node when the listener's queue
 * holds {@code clientQueue} events, NATS when a subscription's pending limit is reached). So the measurement ends at
 * the marked event or the full count, or, if the marked event was dropped, when no event has come for {@code quiet};
 * the figure is then the rate of the events that did arrive, up to the last one, and {@code lost} says how many did
 * not.
 *
 * <p>Threads: {@link #onEvent} on the client's delivery thread, one event at a time; {@link #await} on another.
 */
final class EventCounter {
  /** The first octet of the last event; every other event starts with {@code 'a'} ({@link ThroughputPeer#payload}). */
  static final byte LAST_MARK = '#';
  private static final long NONE = Long.MIN_VALUE;

  private final int size;
  private final long warmup;
  private final long total;
  private final CountDownLatch done = new CountDownLatch(1);
  private long received;
  private long startNanos;
  private long endNanos;
  private long wrongSize;
  private boolean finished;
  private volatile long firstNanos = NONE;
  private volatile long lastNanos = NONE;

  EventCounter(int size, long warmup, long count) {
    if (warmup < 1 || count < 1) {
      throw new IllegalArgumentException("warmup, count: " + warmup + ", " + count + " (expected: >= 1)");
    }
    this.size = size;
    this.warmup = warmup;
    this.total = warmup + count;
  }

  /** The publisher's events: {@code total - 1} copies of {@code payload}, then {@link #last(byte[])}. */
  static byte[] last(byte[] payload) {
    byte[] last = payload.clone();
    if (last.length > 0) {
      last[0] = LAST_MARK;
    }
    return last;
  }

  /** Counts one event's data; called on the client's delivery thread. */
  synchronized void onEvent(byte[] data) {
    if (finished) {
      return;
    }
    long now = System.nanoTime();
    if (data.length != size) {
      wrongSize++;
      return;
    }
    received++;
    if (received == 1) {
      firstNanos = now;
    }
    endNanos = now;
    lastNanos = now;
    if (received == warmup) {
      startNanos = now;
    }
    if (received == total || (data.length > 0 && data[0] == LAST_MARK)) {
      finished = true;
      done.countDown();
    }
  }

  /**
   * Waits for the last event, for {@code quiet} without events after some have come, or for {@code limit} after the
   * first one (then the figure is marked partial), and returns the fields of the RESULT line: {@code received} (the
   * events after the warm-up), {@code lost} (of the total; 0 when partial), {@code nanos} and {@code partial}.
   *
   * @throws PeerException if no event comes within {@code first}, the peer is stopped first, or no more than the
   *     warm-up arrived
   */
  String await(Duration first, Duration quiet, Duration limit) throws InterruptedException {
    long began = System.nanoTime();
    boolean partial = false;
    // Each turn waits for the end with a short timeout, then checks the deadlines.
    while (!done.await(100, TimeUnit.MILLISECONDS)) {
      if (PeerSupport.stopped()) {
        throw new PeerException("stopped before the last event");
      }
      long now = System.nanoTime();
      long last = lastNanos;
      if (last == NONE) {
        if (now - began > first.toNanos()) {
          throw new PeerException("no event within " + first.toSeconds() + " s");
        }
      } else if (now - last > quiet.toNanos()) {
        break;
      } else if (now - firstNanos > limit.toNanos()) {
        partial = true;
        break;
      }
    }
    long got;
    long nanos;
    synchronized (this) {
      finished = true;
      got = received;
      nanos = endNanos - startNanos;
      if (wrongSize > 0) {
        PeerSupport.emit("WARN " + wrongSize + " event(s) of another size than " + size);
      }
    }
    if (got <= warmup) {
      throw new PeerException("only " + got + " of " + total + " events arrived (warm-up: " + warmup + ")");
    }
    return "received=" + (got - warmup) + " lost=" + (partial ? 0 : total - got) + " nanos=" + nanos + " partial="
        + partial;
  }
}
