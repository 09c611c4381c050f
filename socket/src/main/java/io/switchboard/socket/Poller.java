package io.switchboard.socket;

import io.switchboard.socket.internal.SocketCore;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits for any of several sockets to become ready, like {@code zmq_poll}: register each socket for the {@link Event
 * events} you care about, then {@link #poll(Duration)} blocks until at least one registered socket is ready (or the
 * timeout passes, or {@link #wakeup()} is called) and says how many are; {@link #isReadable} and {@link #isWritable}
 * tell which.
 *
 * <pre>{@code
 * try (Poller poller = new Poller()) {
 *   poller.register(frontend, Poller.Event.READABLE);
 *   poller.register(backend, Poller.Event.READABLE);
 *   while (running) {
 *     poller.poll(Duration.ofSeconds(1));
 *     if (poller.isReadable(frontend)) {
 *       Message m = frontend.tryReceive();   // may still be null: readiness is a hint
 *       ...
 *     }
 *   }
 * }
 * }</pre>
 *
 * <p><b>Semantics.</b> Readiness is level-triggered, as in {@code zmq_poll}: a socket is reported readable for as long
 * as a message waits in it, and writable for as long as a non-blocking send would be taken (some peer has room; PUB,
 * XPUB, XSUB and a plain ROUTER always are, since they drop rather than block; REQ and REP only in their turn). It is
 * a hint: a {@link Socket#tryReceive()} after a readable report may still return {@code null} (REQ drops a reply from
 * the wrong peer; another thread may have taken the message), and on a ROUTER with {@code routerMandatory} the peer a
 * given message is for may still be full. A closed socket is reported ready for every registered event, so that the
 * call that follows throws {@link SocketClosedException}.
 *
 * <p><b>Cost.</b> The poller sleeps until a registered socket signals, where the socket already wakes its own blocked
 * callers (once per batch read from a connection, once per inproc message, when a queue's room comes back); it never
 * wakes on a timer. A socket with no poller registered pays one field read per signal.
 *
 * <p><b>Threads and ownership.</b> One thread at a time calls {@link #poll}; {@link #register}, {@link #unregister}
 * and {@link #wakeup()} may be called from any thread. The poller neither owns nor closes its sockets; {@link
 * #close()} unregisters them all. Interrupting a thread blocked in {@link #poll} throws {@link
 * InterruptedOperationException}.
 */
public final class Poller implements AutoCloseable {
  /** What a socket is polled for. */
  public enum Event {
    /** A message can be received. */
    READABLE,
    /** A message can be sent without blocking. */
    WRITABLE
  }

  private static final Entry[] NO_ENTRIES = new Entry[0];

  /** The registered sockets; copy-on-write under {@code this}. */
  private volatile Entry[] entries = NO_ENTRIES;
  /** Set by a signal since the polling thread last looked; reset before each look. */
  private volatile boolean signalled;
  private volatile boolean wakeupRequested;
  private volatile Thread waiter;
  private boolean closed;

  /** Creates a poller with no sockets. */
  public Poller() {}

  /**
   * Polls {@code socket} for {@code events} (none: registered but not polled, for now). Registering a socket again
   * replaces its events, cheaply: a loop may change them before every poll.
   *
   * @throws IllegalStateException if this poller is closed
   */
  public void register(Socket socket, Event... events) {
    Objects.requireNonNull(socket, "socket");
    boolean read = false;
    boolean write = false;
    for (Event event : events) {
      read |= event == Event.READABLE;
      write |= event == Event.WRITABLE;
    }
    Entry entry = find(socket);
    if (entry == null) {
      synchronized (this) {
        if (closed) {
          throw new IllegalStateException("poller is closed");
        }
        entry = find(socket);
        if (entry == null) {
          entry = new Entry(socket);
          Entry[] current = entries;
          Entry[] next = Arrays.copyOf(current, current.length + 1);
          next[current.length] = entry;
          entries = next;
          entry.core.addReadinessListener(entry);
        }
      }
    }
    if (entry.read != read || entry.write != write) {
      entry.read = read;
      entry.write = write;
      signal(); // a poll in progress on another thread looks again with the new events
    }
  }

  /** Stops polling {@code socket}; nothing if it is not registered. */
  public void unregister(Socket socket) {
    synchronized (this) {
      Entry[] current = entries;
      for (int i = 0; i < current.length; i++) {
        if (current[i].socket == socket) {
          current[i].core.removeReadinessListener(current[i]);
          Entry[] next = new Entry[current.length - 1];
          System.arraycopy(current, 0, next, 0, i);
          System.arraycopy(current, i + 1, next, i, current.length - i - 1);
          entries = next;
          return;
        }
      }
    }
  }

  /**
   * Waits until a registered socket is ready for one of its events, {@link #wakeup()} is called, or {@code timeout}
   * passes ({@link Duration#ZERO}: looks once, without waiting).
   *
   * @return how many sockets are ready; 0 on timeout or wake-up with none ready
   * @throws InterruptedOperationException if the thread is interrupted while it waits
   */
  public int poll(Duration timeout) {
    long nanos = timeout.toNanos();
    return poll(nanos < 0 ? 0 : nanos, false);
  }

  /**
   * Waits until a registered socket is ready for one of its events or {@link #wakeup()} is called.
   *
   * @return how many sockets are ready
   * @throws InterruptedOperationException if the thread is interrupted while it waits
   */
  public int poll() {
    return poll(0, true);
  }

  private int poll(long timeoutNanos, boolean forever) {
    long deadline = System.nanoTime() + timeoutNanos;
    waiter = Thread.currentThread();
    try {
      for (;;) {
        signalled = false;
        int ready = look();
        if (ready > 0 || consumeWakeup()) {
          return ready;
        }
        if (!forever && timeoutNanos == 0) {
          return 0;
        }
        while (!signalled) {
          if (forever) {
            LockSupport.park(this);
          } else {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
              return look();
            }
            LockSupport.parkNanos(this, left);
          }
          if (Thread.interrupted()) {
            Thread.currentThread().interrupt();
            throw new InterruptedOperationException("poll", new InterruptedException());
          }
        }
      }
    } finally {
      waiter = null;
    }
  }

  private boolean consumeWakeup() {
    if (wakeupRequested) {
      wakeupRequested = false;
      return true;
    }
    return false;
  }

  /** Takes the readiness of every registered socket; returns how many are ready. */
  private int look() {
    int ready = 0;
    for (Entry entry : entries) {
      entry.readable = entry.read && entry.core.isReadable();
      entry.writable = entry.write && entry.core.isWritable();
      if (entry.readable || entry.writable) {
        ready++;
      }
    }
    return ready;
  }

  /** Whether the last {@link #poll} found {@code socket} readable (and it is registered for that). */
  public boolean isReadable(Socket socket) {
    Entry entry = find(socket);
    return entry != null && entry.readable;
  }

  /** Whether the last {@link #poll} found {@code socket} writable (and it is registered for that). */
  public boolean isWritable(Socket socket) {
    Entry entry = find(socket);
    return entry != null && entry.writable;
  }

  /**
   * Makes the {@link #poll} in progress return now, or the next one return at once if none is in progress, as {@link
   * java.nio.channels.Selector#wakeup()} does. Callable from any thread.
   */
  public void wakeup() {
    wakeupRequested = true;
    signal();
  }

  /** Unregisters every socket (the sockets stay open). Idempotent; a later {@link #register} throws. */
  @Override
  public void close() {
    Entry[] current;
    synchronized (this) {
      closed = true;
      current = entries;
      entries = NO_ENTRIES;
    }
    for (Entry entry : current) {
      entry.core.removeReadinessListener(entry);
    }
    wakeup();
  }

  private Entry find(Socket socket) {
    for (Entry entry : entries) {
      if (entry.socket == socket) {
        return entry;
      }
    }
    return null;
  }

  /** Wakes the polling thread, once per look: further signals before it looks again cost one field read. */
  private void signal() {
    if (!signalled) {
      signalled = true;
      Thread w = waiter;
      if (w != null) {
        LockSupport.unpark(w);
      }
    }
  }

  @Override
  public String toString() {
    return "Poller" + Arrays.toString(entries);
  }

  /** One registered socket: its events, the last poll's answer, and the listener its socket signals. */
  private final class Entry implements SocketCore.ReadinessListener {
    final Socket socket;
    final SocketCore core;
    volatile boolean read;
    volatile boolean write;
    /** The last poll's answers; written and read by the polling thread. */
    boolean readable;
    boolean writable;

    Entry(Socket socket) {
      this.socket = socket;
      this.core = socket.core();
    }

    @Override
    public void readable() {
      if (read) {
        signal();
      }
    }

    @Override
    public void writable() {
      if (write) {
        signal();
      }
    }

    @Override
    public String toString() {
      return socket + (read ? " READABLE" : "") + (write ? " WRITABLE" : "");
    }
  }
}
