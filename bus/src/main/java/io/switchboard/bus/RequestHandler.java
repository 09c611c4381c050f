package io.switchboard.bus;

/** Answers requests for one event; see {@link BusChannel#handle}. */
@FunctionalInterface
public interface RequestHandler {
  /**
   * Answers one request, on the client's I/O thread. The returned value is encoded in the client's data format
   * and sent back; a thrown exception fails the request with its message. A handler with slow work (a database, a
   * call to another service) returns a {@link java.util.concurrent.CompletionStage} instead and does the work
   * elsewhere: its value is sent when it completes, from the thread that completes it, and its failure fails the
   * request.
   */
  Object handle(BusEvent request) throws Exception;
}
