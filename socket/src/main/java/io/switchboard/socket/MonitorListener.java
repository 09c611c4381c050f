package io.switchboard.socket;

/**
 * Receives a socket's {@link MonitorEvent}s.
 *
 * <p>Called on an I/O thread: it must return quickly and not block. An exception it throws is caught and counted,
 * never propagated to the connection.
 */
@FunctionalInterface
public interface MonitorListener {
  /** One event. */
  void onEvent(MonitorEvent event);
}
