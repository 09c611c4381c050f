package io.switchboard.bus;

/** Receives events of a channel; see {@link BusChannel#on}. */
@FunctionalInterface
public interface EventListener {
  /**
   * Called on the client's I/O thread, one event at a time, in the order each sender emitted them. A listener
   * that throws is logged and keeps its place; one that blocks holds up every other listener of its client.
   */
  void onEvent(BusEvent event);
}
