package io.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bus.BusClient;
import io.switchboard.gateway.internal.Json;
import io.switchboard.gateway.internal.ServiceCall;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

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
  /** Requests' encoded starts by command, made once each (up to {@link #MAX_PREFIXES} commands). */
  private static final int MAX_PREFIXES = 1024;

  private final BusClient client;
  private final String channel;
  private final Map<String, byte[]> prefixes = new ConcurrentHashMap<>();

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
   * @param payload anything Jackson writes as a JSON object (a {@code Map}, a record, an {@code ObjectNode})
   * @return the result ({@code res}), or a future failed with a {@link ServiceException}: the service's own answer
   *     ({@code invalid}, {@code not_found}, …), {@link ServiceException.Kind#UNAVAILABLE} when no instance is
   *     registered, {@link ServiceException.Kind#TIMEOUT} when no answer came within {@code timeout}
   */
  public CompletableFuture<JsonNode> call(String service, String cmd, Object payload, Duration timeout) {
    byte[] prefix = prefixes.get(cmd);
    if (prefix == null) {
      prefix = Json.requestPrefix(cmd);
      if (prefixes.size() < MAX_PREFIXES) {
        prefixes.put(cmd, prefix);
      }
    }
    byte[] request = Json.request(prefix, payload == null ? null : Json.bytes(payload));
    CompletableFuture<JsonNode> result = new CompletableFuture<>();
    ServiceCall.send(client, channel, service, request, timeout, new ServiceCall.Reply() {
      @Override
      public void result(byte[] json, int offset, int length) {
        try {
          result.complete(Json.parse(json, offset, length));
        } catch (IOException e) {
          result.completeExceptionally(new ServiceException(ServiceException.Kind.FAILED, service
              + " answered with malformed data: " + Json.reason(e)));
        }
      }

      @Override
      public void failure(ServiceException e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }
}
