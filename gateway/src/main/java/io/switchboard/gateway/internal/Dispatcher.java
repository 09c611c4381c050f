package io.switchboard.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.gateway.Command;
import io.switchboard.gateway.ServiceException;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the requests of one service, whichever way they came (bus or TCP): checks the envelope {@code
 * {"cmd":…,"payload":…,"id":…}}, runs the command inline or on the workers, and makes the answer {@code {"res":…}} or
 * {@code {"err":…,"kind":…}} (with the request's {@code id}, if it had one). Never throws: every failure is an answer.
 */
public final class Dispatcher {
  private static final Logger LOG = LoggerFactory.getLogger("io.switchboard.gateway");

  /** A command as the dispatcher sees it. */
  public record Target(Command command, boolean inline) {}

  private final String service;
  private final Function<String, Target> commands;
  private final Collection<String> names;
  private final Executor workers;

  /**
   * A dispatcher.
   *
   * @param commands the command of a name, or null
   * @param names the command names, for error messages
   */
  public Dispatcher(String service, Function<String, Target> commands, Collection<String> names, Executor workers) {
    this.service = service;
    this.commands = commands;
    this.names = names;
    this.workers = workers;
  }

  /** Answers a request given as JSON text. */
  public CompletableFuture<ObjectNode> dispatch(byte[] bytes, int offset, int length) {
    JsonNode request;
    try {
      request = Json.parse(bytes, offset, length);
    } catch (java.io.IOException e) {
      return CompletableFuture.completedFuture(Json.error("malformed JSON: " + Json.reason(e), "invalid"));
    }
    if (request == null || request.isMissingNode()) {
      return CompletableFuture.completedFuture(Json.error("empty request (expected: {\"cmd\":…,\"payload\":…})",
          "invalid"));
    }
    return dispatch(request);
  }

  /** Answers a parsed request. */
  public CompletableFuture<ObjectNode> dispatch(JsonNode request) {
    JsonNode id = request.get("id");
    CompletableFuture<ObjectNode> answer = run(request);
    if (id == null) {
      return answer;
    }
    return answer.thenApply(reply -> {
      reply.set("id", id);
      return reply;
    });
  }

  private CompletableFuture<ObjectNode> run(JsonNode request) {
    if (!request.isObject()) {
      return invalid("request: " + abbreviate(request) + " (expected: a JSON object {\"cmd\":…,\"payload\":…})");
    }
    JsonNode cmd = request.get("cmd");
    if (cmd == null || cmd.isNull()) {
      return invalid("cmd: missing (expected: one of " + names + ")");
    }
    if (!cmd.isTextual()) {
      return invalid("cmd: " + abbreviate(cmd) + " (expected: a string, one of " + names + ")");
    }
    Target target = commands.apply(cmd.textValue());
    if (target == null) {
      return invalid("cmd: \"" + abbreviate(cmd.textValue()) + "\" is not a command of " + service
          + " (expected: one of " + names + ")");
    }
    JsonNode payload = request.get("payload");
    if (payload == null || payload.isNull()) {
      payload = Json.MAPPER.createObjectNode();
    } else if (!payload.isObject()) {
      return invalid("payload: " + abbreviate(payload) + " (expected: a JSON object)");
    }
    JsonNode p = payload;
    if (target.inline()) {
      return CompletableFuture.completedFuture(answer(target.command(), p, cmd.textValue(), true));
    }
    try {
      return CompletableFuture.supplyAsync(() -> answer(target.command(), p, cmd.textValue(), false), workers);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.completedFuture(Json.error(service + " is overloaded or stopping: its workers "
          + "refused the request (their queue is full, or they are shut down)", "unavailable"));
    }
  }

  /**
   * Runs a command. An inline command's result is written into the answer when the answer is written, on the same
   * thread, with no tree made of it first; a worker's is made a tree on the worker, so that the I/O thread that
   * writes the answer never runs the result's getters.
   */
  private ObjectNode answer(Command command, JsonNode payload, String cmd, boolean inline) {
    try {
      Object result = command.run(payload);
      ObjectNode reply = Json.MAPPER.createObjectNode();
      if (result instanceof JsonNode tree) {
        reply.set("res", tree);
      } else if (inline) {
        reply.putPOJO("res", result);
      } else {
        reply.set("res", Json.MAPPER.valueToTree(result));
      }
      return reply;
    } catch (ServiceException e) {
      return Json.error(e.getMessage(), e.kind().wireName());
    } catch (Exception e) {
      LOG.warn(service + ": command " + cmd + " failed", e);
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return Json.error(cmd + " failed: " + reason, "failed");
    }
  }

  private static CompletableFuture<ObjectNode> invalid(String reason) {
    return CompletableFuture.completedFuture(Json.error(reason, "invalid"));
  }

  private static String abbreviate(JsonNode node) {
    return abbreviate(node.toString());
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
