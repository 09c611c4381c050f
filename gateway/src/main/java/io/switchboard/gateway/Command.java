package io.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One command of a {@link Service}: takes the request's JSON payload and returns a result (anything Jackson can
 * write), or throws. A {@link ServiceException} is the service's answer ({@code {"err":…,"kind":…}}); any other
 * exception becomes a {@code failed} answer with its message.
 *
 * <p>Commands run on the host's worker threads ({@link ServiceHost.Builder#workers}), several at a time, so they may
 * block (a database, a call to another service).
 */
@FunctionalInterface
public interface Command {
  /**
   * Runs the command.
   *
   * @param payload the request's payload: an object node ({@code {}} when the request had none)
   */
  Object run(JsonNode payload) throws Exception;
}
