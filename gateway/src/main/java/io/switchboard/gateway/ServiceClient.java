package io.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.bus.BusClient;
import io.switchboard.bus.BusException;
import io.switchboard.bus.RequestFailedException;
import io.switchboard.gateway.internal.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Calls services over the bus. Each call is one bus request, matched to its reply by the request id the bus puts on
 * the wire, so any number of calls may be in flight at once. Thread-safe; it does not own the bus client.
 *
 * <pre>{@code
 * ServiceClient services = ServiceClient.of(busClient);
 * JsonNode people = services.call("people", "list", Map.of(), Duration.ofSeconds(2)).join();
 * }</pre>
 */
public final class ServiceClient {
  private final BusClient client;
  private final String channel;

  private ServiceClient(BusClient client, String channel) {
    this.client = client;
    this.channel = channel;
  }

  /** A client of the services on channel {@value ServiceHost#DEFAULT_CHANNEL}. */
  public static ServiceClient of(BusClient client) {
    return of(client, ServiceHost.DEFAULT_CHANNEL);
  }

  /** A client of the services on {@code channel}. */
  public static ServiceClient of(BusClient client, String channel) {
    return new ServiceClient(Objects.requireNonNull(client, "client"), Objects.requireNonNull(channel, "channel"));
  }

  /** The bus client calls go through. */
  public BusClient busClient() {
    return client;
  }

  /**
   * Calls a command of a service.
   *
   * @param payload anything Jackson writes as a JSON object (a {@code Map}, a record, an {@link ObjectNode})
   * @return the result ({@code res}), or a future failed with a {@link ServiceException}: the service's own answer
   *     ({@code invalid}, {@code not_found}, …), {@link ServiceException.Kind#UNAVAILABLE} when no instance is
   *     registered, {@link ServiceException.Kind#TIMEOUT} when no answer came within {@code timeout}
   */
  public CompletableFuture<JsonNode> call(String service, String cmd, Object payload, Duration timeout) {
    ObjectNode request = Json.MAPPER.createObjectNode();
    request.put("cmd", cmd);
    request.set("payload", payload == null ? Json.MAPPER.createObjectNode()
        : payload instanceof JsonNode tree ? tree : Json.MAPPER.valueToTree(payload));
    CompletableFuture<JsonNode> result = new CompletableFuture<>();
    CompletableFuture<io.switchboard.bus.BusEvent> reply;
    try {
      reply = client.request(channel, service, request, timeout);
    } catch (BusException e) {
      return CompletableFuture.failedFuture(new ServiceException(ServiceException.Kind.UNAVAILABLE,
          service + ": " + e.getMessage()));
    }
    reply.whenComplete((event, e) -> {
      if (e != null) {
        result.completeExceptionally(failure(service, e instanceof CompletionException ? e.getCause() : e));
        return;
      }
      JsonNode answer;
      try {
        // JSON as a rule; a service whose bus client encodes in another format answers in it
        answer = "json".equals(event.format()) ? Json.parse(event.rawData(), 0, event.rawData().length)
            : event.json();
      } catch (IOException | BusException bad) {
        result.completeExceptionally(new ServiceException(ServiceException.Kind.FAILED, service
            + " answered with malformed data: " + (bad instanceof IOException io ? Json.reason(io) : bad.getMessage())));
        return;
      }
      if (answer.has("res")) {
        result.complete(answer.get("res"));
      } else if (answer.has("err")) {
        result.completeExceptionally(new ServiceException(
            ServiceException.Kind.fromWire(answer.path("kind").asText()), answer.get("err").asText()));
      } else {
        result.completeExceptionally(new ServiceException(ServiceException.Kind.FAILED,
            service + " answered neither res nor err: " + answer));
      }
    });
    return result;
  }

  /** What a failed bus request means for a caller: no instance registered, no reply in time, or anything else. */
  static ServiceException failure(String service, Throwable e) {
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof RequestFailedException failed) {
      switch (failed.reason()) {
        case NO_HANDLER -> {
          return new ServiceException(ServiceException.Kind.UNAVAILABLE, "service " + service
              + " is unavailable: no instance is registered on the bus");
        }
        case TIMEOUT -> {
          return new ServiceException(ServiceException.Kind.TIMEOUT, "service " + service
              + " did not answer in time (" + reason + ")");
        }
        default -> { }
      }
    }
    return new ServiceException(ServiceException.Kind.FAILED, "service " + service + ": " + reason);
  }
}
