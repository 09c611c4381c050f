package io.switchboard.bus;

/** Answers requests for one event; see {@link BusChannel#handle}. */
@FunctionalInterface
public interface RequestHandler {
  /**
   * Answers one request, on the client's I/O thread. The returned value is encoded in the client's data format
   * and sent back; a thrown exception fails the request with its message.
   */
  Object handle(BusEvent request) throws Exception;
}
