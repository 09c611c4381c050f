package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.gateway.internal.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceHostTest {
  @TempDir Path dir;
  Fixture fx;

  static final Service PEOPLE = Service.builder("people")
      .command("echo", payload -> payload)
      .inlineCommand("double", payload -> Map.of("n", payload.path("n").asInt() * 2))
      .command("refuse", payload -> {
        throw ServiceException.invalid("n: " + payload.path("n") + " (expected: a number)");
      })
      .command("crash", payload -> {
        throw new IllegalStateException("boom");
      })
      .build();

  @BeforeEach
  void start() {
    fx = new Fixture(dir);
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  /** One connection to a service's TCP port: send lines, read lines. */
  static final class Line implements AutoCloseable {
    final Socket socket;
    final BufferedReader in;
    final OutputStream out;

    Line(int port) throws Exception {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(10_000);
      in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      out = socket.getOutputStream();
    }

    String ask(String request) throws Exception {
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      return in.readLine();
    }

    @Override
    public void close() throws java.io.IOException {
      socket.close();
    }
  }

  @Test
  void anInlineResultJacksonCannotWriteFailsOnBothWays() throws Exception {
    ServiceHost host = fx.host(Service.builder("people").inlineCommand("unwritable", payload -> new Object())
        .inlineCommand("double", payload -> Map.of("n", payload.path("n").asInt() * 2)).build());
    try (Line line = new Line(host.tcpPort())) {
      JsonNode answer = Json.MAPPER.readTree(line.ask("{\"id\":5,\"cmd\":\"unwritable\"}\n"));
      assertThat(answer.get("kind").asText()).isEqualTo("failed");
      assertThat(answer.get("err").asText()).startsWith("the answer could not be written");
      assertThat(answer.get("id").asInt()).isEqualTo(5);
      assertThat(line.ask("{\"cmd\":\"double\",\"payload\":{\"n\":2}}\n")).isEqualTo("{\"res\":{\"n\":4}}");
    }
    ServiceClient services = ServiceClient.of(fx.client());
    assertThatThrownBy(() -> services.call("people", "unwritable", null, Duration.ofSeconds(5)).join())
        .cause().isInstanceOf(ServiceException.class)
        .extracting(e -> ((ServiceException) e).kind()).isEqualTo(ServiceException.Kind.FAILED);
  }

  @Test
  void statusOverTcpAsTheSeedHasIt() throws Exception {
    ServiceHost host = fx.host(PEOPLE);
    try (Line line = new Line(host.tcpPort())) {
      assertThat(line.ask("{\"cmd\":\"status\"}\n")).isEqualTo("{\"res\":{\"service\":\"people\",\"status\":\"ok\"}}");
      // echo -n: no line feed, the object's end ends the request
      assertThat(line.ask("{\"cmd\":\"status\"}")).isEqualTo("{\"res\":{\"service\":\"people\",\"status\":\"ok\"}}");
    }
  }

  @Test
  void malformedRequestsGetTheReasonAndTheConnectionStaysUsable() throws Exception {
    ServiceHost host = ServiceHost.builder(PEOPLE).node(fx.node.localEndpoint()).tcp("127.0.0.1", 0)
        .maxRequestLength(64).start();
    fx.own(host);
    try (Line line = new Line(host.tcpPort())) {
      assertThat(err(line.ask("not json\n"))).startsWith("malformed JSON: Unrecognized token 'not'");
      assertThat(err(line.ask("[1,2]\n"))).isEqualTo("request: [1,2] (expected: a JSON object {\"cmd\":…,\"payload\":…})");
      assertThat(err(line.ask("{\"payload\":{}}\n"))).startsWith("cmd: missing");
      assertThat(err(line.ask("{\"cmd\":7}\n"))).startsWith("cmd: 7 (expected: a string");
      assertThat(err(line.ask("{\"cmd\":\"fly\"}\n"))).isEqualTo(
          "cmd: \"fly\" is not a command of people (expected: one of [status, echo, double, refuse, crash])");
      assertThat(err(line.ask("{\"cmd\":\"echo\",\"payload\":3}\n"))).isEqualTo("payload: 3 (expected: a JSON object)");
      assertThat(err(line.ask("{\"cmd\":\"echo\",\"payload\":{\"s\":\"" + "x".repeat(100) + "\"}}\n")))
          .isEqualTo("request longer than 64 octets (the limit); skipped up to the next line feed");
      assertThat(line.ask("{\"cmd\":\"refuse\",\"payload\":{\"n\":\"a\"}}\n"))
          .isEqualTo("{\"err\":\"n: \\\"a\\\" (expected: a number)\",\"kind\":\"invalid\"}");
      assertThat(line.ask("{\"cmd\":\"crash\"}\n")).isEqualTo("{\"err\":\"crash failed: boom\",\"kind\":\"failed\"}");
      assertThat(line.ask("{\"cmd\":\"double\",\"payload\":{\"n\":21}}\n")).isEqualTo("{\"res\":{\"n\":42}}");
    }
  }

  private static String err(String line) throws Exception {
    JsonNode reply = Json.MAPPER.readTree(line);
    assertThat(reply.path("kind").asText()).as(line).isEqualTo("invalid");
    return reply.get("err").asText();
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderWithTheirIds() throws Exception {
    ServiceHost host = fx.host(PEOPLE);
    try (Line line = new Line(host.tcpPort())) {
      StringBuilder batch = new StringBuilder();
      for (int i = 0; i < 500; i++) {
        // alternate worker commands and inline ones: they finish out of order, and must be answered in order
        batch.append(i % 2 == 0 ? "{\"id\":" + i + ",\"cmd\":\"echo\",\"payload\":{\"n\":" + i + "}}\n"
            : "{\"id\":" + i + ",\"cmd\":\"double\",\"payload\":{\"n\":" + i + "}}\n");
      }
      line.out.write(batch.toString().getBytes(StandardCharsets.UTF_8));
      line.out.flush();
      for (int i = 0; i < 500; i++) {
        JsonNode reply = Json.MAPPER.readTree(line.in.readLine());
        assertThat(reply.get("id").asInt()).isEqualTo(i);
        assertThat(reply.get("res").get("n").asInt()).isEqualTo(i % 2 == 0 ? i : 2 * i);
      }
    }
  }

  @Test
  void callsOverTheBusNeverGetAnotherCallsAnswer() {
    fx.host(PEOPLE);
    fx.host(PEOPLE);   // two instances share the requests
    ServiceClient services = ServiceClient.of(fx.client());
    List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      calls.add(services.call("people", i % 2 == 0 ? "echo" : "double", Map.of("n", i), Duration.ofSeconds(10)));
    }
    for (int i = 0; i < 200; i++) {
      assertThat(calls.get(i).join().get("n").asInt()).isEqualTo(i % 2 == 0 ? i : 2 * i);
    }
    assertThatThrownBy(() -> services.call("people", "refuse", Map.of("n", "x"), Duration.ofSeconds(5)).join())
        .isInstanceOf(CompletionException.class).cause().isInstanceOf(ServiceException.class)
        .hasMessage("n: \"x\" (expected: a number)")
        .satisfies(e -> assertThat(((ServiceException) e).kind()).isEqualTo(ServiceException.Kind.INVALID));
    assertThatThrownBy(() -> services.call("nobody", "status", null, Duration.ofSeconds(5)).join())
        .cause().isInstanceOf(ServiceException.class)
        .satisfies(e -> assertThat(((ServiceException) e).kind()).isEqualTo(ServiceException.Kind.UNAVAILABLE));
  }

  @Test
  void definitionsAreChecked() {
    assertThatThrownBy(() -> Service.builder("bad name")).hasMessageContaining("name: \"bad name\"");
    assertThatThrownBy(() -> Service.builder("x").command("status", p -> 1))
        .hasMessageContaining("status is built in");
    assertThatThrownBy(() -> ServiceHost.builder(PEOPLE).workers(0)).hasMessage("workers: 0 (expected: 1 to 1024)");
  }
}
