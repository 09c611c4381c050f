package io.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bus.BusClient;
import io.switchboard.bus.BusNode;
import io.switchboard.gateway.demo.Demo;
import io.switchboard.gateway.internal.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/** A bus node on a temporary ipc path, an HTTP client, and whatever a test starts, closed in reverse order. */
final class Fixture implements AutoCloseable {
  final BusNode node;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final Deque<AutoCloseable> owned = new ArrayDeque<>();

  Fixture(Path dir) {
    node = BusNode.start(Demo.nodeConfig().toBuilder().ipc(dir.resolve("node.sock").toString()).build(), line -> { });
  }

  <T extends AutoCloseable> T own(T thing) {
    owned.push(thing);
    return thing;
  }

  BusClient client() {
    return own(BusClient.connect(node.localEndpoint()));
  }

  ServiceHost host(Service service) {
    ServiceHost host = own(ServiceHost.builder(service).node(node.localEndpoint()).tcp("127.0.0.1", 0).start());
    host.registered().join();
    return host;
  }

  Gateway gateway(GatewayConfig.Builder config) {
    return own(Gateway.start(config.port(0).node(node.localEndpoint()).build()));
  }

  /** A response: status, body as JSON, and the response itself for headers. */
  record Reply(int status, JsonNode json, HttpResponse<String> response) {
    String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }
  }

  Reply send(Gateway gateway, String method, String path, String body) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.url() + path))
        .timeout(Duration.ofSeconds(15))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json")
        .build();
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body().isEmpty() ? null : Json.MAPPER.readTree(r.body()), r);
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  Reply get(Gateway gateway, String path) {
    return send(gateway, "GET", path, null);
  }

  /** Sends raw octets on a new connection and returns everything the gateway answers before it closes. */
  String raw(Gateway gateway, String request) {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError("raw request failed: " + e, e);
    }
  }

  @Override
  public void close() {
    while (!owned.isEmpty()) {
      try {
        owned.pop().close();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    node.close();
  }
}
