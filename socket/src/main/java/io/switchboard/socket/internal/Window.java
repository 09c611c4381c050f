package io.switchboard.socket.internal;

import org.jctools.util.PaddedAtomicLong;

/**
 * A pipe's send window as libzmq's pipes keep it: two counts, each on a cache line of its own. The senders count the
 * messages they hand over, the other side (the peer's user over inproc, the connection's event loop over tcp and
 * ipc) those that have left, and the senders read the other side's count only when the window looks full. So a
 * message costs neither side a write to a line the other side reads: one shared in-flight counter, incremented by
 * senders and decremented by the other side, moved its cache line between their cores twice per message (and at
 * pub/sub 1:64 the publisher spent most of its time in that counter's compare-and-set).
 */
final class Window {
  /** Messages handed over; written by the senders only. */
  private final PaddedAtomicLong handed = new PaddedAtomicLong();
  /** Of those, how many have left the window; written by the other side only. */
  private final PaddedAtomicLong taken = new PaddedAtomicLong();
  /** The senders' last look at {@link #taken}: a hint, never ahead of it, read again when the window looks full. */
  private long takenSeen;

  /** Takes a place in a window of {@code limit} messages (0: no limit) for one more; false if it is full. */
  boolean reserve(long limit) {
    if (limit == 0) {
      handed.incrementAndGet();
      return true;
    }
    for (;;) {
      long h = handed.get();
      if (h - takenSeen >= limit) {
        takenSeen = taken.get();
        if (h - takenSeen >= limit) {
          return false;
        }
      }
      if (handed.compareAndSet(h, h + 1)) {
        return true;
      }
    }
  }

  /** Whether a window of {@code limit} messages (0: no limit) has room for one more, by the same hint as reserve. */
  boolean hasRoom(long limit) {
    if (limit == 0) {
      return true;
    }
    long h = handed.get();
    if (h - takenSeen < limit) {
      return true;
    }
    takenSeen = taken.get();
    return h - takenSeen < limit;
  }

  /** Counts one more message handed over, whatever the window holds (subscriptions, or messages that waited). */
  void handOne() {
    handed.incrementAndGet();
  }

  /** Counts {@code count} more messages out of the window; returns the count taken so far. */
  long take(int count) {
    return taken.addAndGet(count);
  }

  /** Messages handed over so far. */
  long handed() {
    return handed.get();
  }

  /** Messages in the window: handed over and not taken. */
  long inFlight() {
    long t = taken.get(); // first: the handed count read after it is at least as large
    return handed.get() - t;
  }
}
