package io.switchboard.gateway.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bus.BusClient;
import io.switchboard.bus.BusEvent;
import io.switchboard.bus.BusException;
import io.switchboard.bus.DataFormat;
import io.switchboard.bus.RequestFailedException;
import io.switchboard.gateway.ServiceException;
import io.switchboard.gateway.ServiceException.Kind;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One call of a service command over the bus, as {@link io.switchboard.gateway.ServiceClient} and the gateway make
 * it: the request is JSON encoded once ({@link Json#request}), the answer is read from the reply's bytes, and the
 * result comes back as a slice of them ({@link Reply#result}), so that a caller that only passes it on (the gateway,
 * into an HTTP body) never builds a tree nor writes one again.
 */
public final class ServiceCall {
  /** Where an answer goes; called once, on the bus client's I/O thread (or the caller's, when the send fails). */
  public interface Reply {
    /** The command's result ({@code res}), JSON text at {@code json[offset, offset + length)}. */
    void result(byte[] json, int offset, int length);

    /** The call failed: the service's own answer, unavailable, timed out, or malformed. */
    void failure(ServiceException e);
  }

  private ServiceCall() {}

  /** Sends {@code request}, a JSON request {@code {"cmd":…,"payload":…}}, to {@code service}; answers {@code to}. */
  public static void send(BusClient client, String channel, String service, byte[] request, Duration timeout,
      Reply to) {
    CompletableFuture<BusEvent> reply;
    try {
      reply = client.requestEncoded(channel, service, DataFormat.JSON, request, timeout);
    } catch (BusException e) {
      to.failure(new ServiceException(Kind.UNAVAILABLE, service + ": " + e.getMessage()));
      return;
    }
    reply.whenComplete((event, e) -> {
      if (e != null) {
        to.failure(failure(service, e instanceof CompletionException && e.getCause() != null ? e.getCause() : e));
      } else {
        read(service, event, to);
      }
    });
  }

  /** Reads an answer {@code {"res":…}} or {@code {"err":…,"kind":…}}. */
  static void read(String service, BusEvent event, Reply to) {
    if ("json".equals(event.format())) {
      readJson(service, event.rawData(), to);
      return;
    }
    JsonNode answer;
    try {
      answer = event.json();   // a service whose bus client encodes in another format answers in it
    } catch (BusException bad) {
      to.failure(malformed(service, bad.getMessage()));
      return;
    }
    read(service, answer, to);
  }

  /** Reads an answer in JSON text. */
  static void readJson(String service, byte[] data, Reply to) {
    // the usual answer, {"res":…} first: its result is found by the parser and passed on as it is
    try (JsonParser p = Json.MAPPER.createParser(data)) {
      if (p.nextToken() == JsonToken.START_OBJECT && p.nextToken() == JsonToken.FIELD_NAME
          && "res".equals(p.currentName())) {
        JsonToken value = p.nextToken();
        int start = (int) p.currentTokenLocation().getByteOffset();
        if (value.isStructStart()) {
          p.skipChildren();
        } else {
          p.finishToken();
        }
        int end = (int) p.currentLocation().getByteOffset();
        // the rest must be well-formed too, and hold no second "res"
        boolean plain = true;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
          if (t == null) {
            throw new IOException("unexpected end of the answer");
          }
          if (t == JsonToken.FIELD_NAME && "res".equals(p.currentName())) {
            plain = false;
          }
          p.nextToken();
          p.skipChildren();
        }
        if (plain && start >= 0 && end > start && end <= data.length) {
          to.result(data, start, end - start);
          return;
        }
      }
    } catch (IOException e) {
      to.failure(malformed(service, Json.reason(e)));
      return;
    }
    JsonNode answer;
    try {
      answer = Json.parse(data, 0, data.length);
    } catch (IOException bad) {
      to.failure(malformed(service, Json.reason(bad)));
      return;
    }
    read(service, answer, to);
  }

  private static void read(String service, JsonNode answer, Reply to) {
    if (answer.has("res")) {
      byte[] result = Json.bytes(answer.get("res"));
      to.result(result, 0, result.length);
    } else if (answer.has("err")) {
      to.failure(new ServiceException(Kind.fromWire(answer.path("kind").asText()), answer.get("err").asText()));
    } else {
      to.failure(new ServiceException(Kind.FAILED, service + " answered neither res nor err: " + answer));
    }
  }

  private static ServiceException malformed(String service, String why) {
    return new ServiceException(Kind.FAILED, service + " answered with malformed data: " + why);
  }

  /** What a failed bus request means for a caller: no instance registered, no reply in time, or anything else. */
  public static ServiceException failure(String service, Throwable e) {
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof RequestFailedException failed) {
      switch (failed.reason()) {
        case NO_HANDLER -> {
          return new ServiceException(Kind.UNAVAILABLE, "service " + service
              + " is unavailable: no instance is registered on the bus");
        }
        case TIMEOUT -> {
          return new ServiceException(Kind.TIMEOUT, "service " + service + " did not answer in time (" + reason
              + ")");
        }
        default -> { }
      }
    }
    return new ServiceException(Kind.FAILED, "service " + service + ": " + reason);
  }
}
