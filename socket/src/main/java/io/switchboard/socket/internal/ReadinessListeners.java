package io.switchboard.socket.internal;

import io.switchboard.socket.internal.SocketCore.ReadinessListener;
import java.util.Arrays;

/**
 * A socket's readiness listeners ({@link io.switchboard.socket.Poller}): a copy-on-write array, changed under this
 * object's monitor and read without a lock by the threads that signal, which tell each listener outside any lock.
 */
final class ReadinessListeners {
  private static final ReadinessListener[] NONE = new ReadinessListener[0];

  private final SocketCore core;
  private volatile ReadinessListener[] listeners = NONE;

  ReadinessListeners(SocketCore core) {
    this.core = core;
  }

  synchronized void add(ReadinessListener listener) {
    ReadinessListener[] next = Arrays.copyOf(listeners, listeners.length + 1);
    next[next.length - 1] = listener;
    listeners = next;
  }

  /** Removes a listener added by {@link #add}; nothing if it is not there. */
  synchronized void remove(ReadinessListener listener) {
    listeners = SocketCore.without(listeners, listener);
  }

  /** Tells every listener that the socket may be readable, or writable; cheap when there are none. */
  void tell(boolean readable) {
    for (ReadinessListener listener : listeners) {
      try {
        if (readable) {
          listener.readable();
        } else {
          listener.writable();
        }
      } catch (RuntimeException e) {
        core.context.listenerFailed(core, e);
      }
    }
  }
}
