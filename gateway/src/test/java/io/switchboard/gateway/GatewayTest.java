package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.gateway.Fixture.Reply;
import io.switchboard.gateway.demo.Demo;
import io.switchboard.gateway.demo.DemoDatabase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed's list of tests, automated, on the demo with SQLite. */
class GatewayTest {
  @TempDir Path dir;
  Fixture fx;
  DemoDatabase peopleDb;
  DemoDatabase petsDb;
  ServiceClient services;

  @BeforeEach
  void start() {
    fx = new Fixture(dir);
    peopleDb = fx.own(DemoDatabase.open("jdbc:sqlite:" + dir.resolve("people.db"), "people"));
    petsDb = fx.own(DemoDatabase.open("jdbc:sqlite:" + dir.resolve("pets.db"), "pets"));
    services = ServiceClient.of(fx.client());
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  ServiceHost people() {
    return fx.host(Demo.people(peopleDb.dataSource(), services, Duration.ofSeconds(2)));
  }

  ServiceHost pets() {
    return fx.host(Demo.pets(petsDb.dataSource()));
  }

  Gateway gateway() {
    return fx.gateway(Demo.routes(GatewayConfig.builder()));
  }

  static List<String> names(JsonNode array) {
    List<String> names = new ArrayList<>();
    array.forEach(n -> names.add(n.get("name").asText()));
    return names;
  }

  @Test
  void everythingStartedEveryServiceIsReachable() {
    people();
    pets();
    Gateway gateway = gateway();
    Reply status = fx.get(gateway, "/status");
    assertThat(status.status()).isEqualTo(200);
    assertThat(status.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
    assertThat(status.json().get("status").asText()).isEqualTo("ok");
    assertThat(status.json().get("services")).hasSize(2).allSatisfy(s -> {
      assertThat(s.get("state").asText()).isEqualTo("ok");
      assertThat(s.get("instances").asInt()).isEqualTo(1);
      assertThat(s.get("latencyMs").asDouble()).isPositive();
    });
    assertThat(names(fx.get(gateway, "/people").json())).containsExactly("Alice", "Bob", "Carol");
    Reply added = fx.send(gateway, "POST", "/people?name=Dora", null);
    assertThat(added.status()).isEqualTo(200);
    assertThat(added.json().get("name").asText()).isEqualTo("Dora");
    assertThat(fx.send(gateway, "POST", "/people", "{\"name\":\"Eve\"}").json().get("name").asText()).isEqualTo("Eve");
    assertThat(names(fx.get(gateway, "/people").json())).containsExactly("Alice", "Bob", "Carol", "Dora", "Eve");
    Reply pets = fx.get(gateway, "/people/pets?owner=Alice");
    assertThat(pets.status()).isEqualTo(200);
    assertThat(names(pets.json().get("pets"))).containsExactly("Rex", "Nemo");
    assertThat(fx.send(gateway, "POST", "/pets?name=Kit&kind=cat&owner=Dora", null).status()).isEqualTo(200);
    assertThat(names(fx.get(gateway, "/people/pets?owner=Dora").json().get("pets"))).containsExactly("Kit");
  }

  /** /metrics counts each answer by route, method and status with its latency; services() lists the instances. */
  @Test
  void metricsCountAnswersByRouteAndStatus() throws Exception {
    people();
    pets();
    Gateway gateway = gateway();
    assertThat(fx.get(gateway, "/people").status()).isEqualTo(200);
    assertThat(fx.get(gateway, "/people").status()).isEqualTo(200);
    assertThat(fx.get(gateway, "/people/pets").status()).isEqualTo(400);
    assertThat(fx.get(gateway, "/nowhere").status()).isEqualTo(404);
    assertThat(fx.send(gateway, "FROB", "/people", null).status()).isEqualTo(405);
    String metrics = fx.raw(gateway, "GET /metrics HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
    String count = "switchboard_gateway_requests_seconds_count";
    assertThat(metrics).startsWith("HTTP/1.1 200 OK").contains("text/plain; version=0.0.4")
        .containsPattern(count + "\\{method=\"GET\",route=\"/people\",status=\"200\"} 2(\\.0)?\n")
        .containsPattern(count + "\\{method=\"GET\",route=\"/people/pets\",status=\"400\"} 1(\\.0)?\n")
        .containsPattern(count + "\\{method=\"GET\",route=\"unmatched\",status=\"404\"} 1(\\.0)?\n")
        .containsPattern(count + "\\{method=\"other\",route=\"unmatched\",status=\"405\"} 1(\\.0)?\n")
        .contains("switchboard_gateway_requests_seconds_bucket{method=\"GET\",route=\"/people\",status=\"200\","
            + "le=\"0.005\"}")
        .containsPattern("switchboard_gateway_connections [1-9]");
    JsonNode people = gateway.services().get(10, TimeUnit.SECONDS).get("services").get(0);
    assertThat(people.get("name").asText()).isEqualTo("people");
    assertThat(people.get("requests").asLong()).isEqualTo(3);
    assertThat(people.get("instances")).singleElement()
        .satisfies(i -> assertThat(i.get("healthy").asBoolean()).isTrue());
  }

  /** HTTP/1.0 keeps a connection only when both sides say keep-alive, as ab -k and old proxies expect. */
  @Test
  void http10KeepsTheConnectionOnlyWhenAskedTo() {
    people();
    pets();
    Gateway gateway = gateway();
    String answers = fx.raw(gateway, "GET /people HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
        + "GET /people HTTP/1.0\r\n\r\n");
    String[] responses = answers.split("(?=HTTP/1\\.1 )");
    assertThat(responses).hasSize(2);
    assertThat(responses[0]).startsWith("HTTP/1.1 200 OK\r\n").containsIgnoringCase("\r\nconnection: keep-alive\r\n");
    assertThat(responses[1]).startsWith("HTTP/1.1 200 OK\r\n").containsIgnoringCase("\r\nconnection: close\r\n");
  }

  @Test
  void gatewayFirstAnswers503UntilItsServicesCome() {
    Gateway gateway = gateway();
    Reply early = fx.get(gateway, "/people");
    assertThat(early.status()).isEqualTo(503);
    assertThat(early.header("Retry-After")).isEqualTo("1");
    assertThat(early.json().get("err").asText()).isEqualTo("service people is unavailable: no instance is "
        + "registered on the bus");
    Reply status = fx.get(gateway, "/status");
    assertThat(status.json().get("status").asText()).isEqualTo("degraded");
    assertThat(status.json().get("services").get(0).get("state").asText()).isEqualTo("unreachable");
    assertThat(status.json().get("services").get(0).get("instances").asInt()).isZero();
    people();
    // people is up, pets is not: people's own commands work, the one that needs pets is a 503 with the reason
    assertThat(fx.get(gateway, "/people").status()).isEqualTo(200);
    Reply noPets = fx.get(gateway, "/people/pets?owner=Alice");
    assertThat(noPets.status()).isEqualTo(503);
    assertThat(noPets.json().get("err").asText()).contains("service pets is unavailable");
    pets();
    assertThat(fx.get(gateway, "/people/pets?owner=Alice").status()).isEqualTo(200);
  }

  @Test
  void servicesFirstThenTheGateway() {
    people();
    pets();
    Gateway gateway = gateway();
    assertThat(fx.get(gateway, "/people/pets?owner=Bob").json().get("pets").get(0).get("name").asText())
        .isEqualTo("Tom");
  }

  @Test
  void aRestartedServiceIsBackWithinASecond() {
    people();
    ServiceHost pets = pets();
    Gateway gateway = gateway();
    assertThat(fx.get(gateway, "/pets").status()).isEqualTo(200);
    pets.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> fx.get(gateway, "/pets").status() == 503);
    long restarted = System.nanoTime();
    pets();
    await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
        .until(() -> fx.get(gateway, "/pets").status() == 200);
    assertThat(System.nanoTime() - restarted).isLessThan(TimeUnit.SECONDS.toNanos(1));
  }

  @Test
  void badInputGetsTheRightStatusAndTheReason() {
    people();
    pets();
    Gateway gateway = fx.gateway(Demo.routes(GatewayConfig.builder()).maxBodySize(1024));
    Reply noOwner = fx.get(gateway, "/people/pets");
    assertThat(noOwner.status()).isEqualTo(400);
    assertThat(noOwner.json().get("err").asText())
        .isEqualTo("owner: missing (expected: the name of a person, as ?owner=Alice)");
    Reply unknownOwner = fx.get(gateway, "/people/pets?owner=Zed");
    assertThat(unknownOwner.status()).isEqualTo(404);
    assertThat(unknownOwner.json().get("err").asText()).isEqualTo("owner: no person named \"Zed\"");
    assertThat(fx.send(gateway, "POST", "/people?name=Alice", null).status()).isEqualTo(409);
    Reply badBody = fx.send(gateway, "POST", "/people", "{\"name\":");
    assertThat(badBody.status()).isEqualTo(400);
    assertThat(badBody.json().get("err").asText()).startsWith("body: malformed JSON");
    assertThat(fx.send(gateway, "POST", "/people", "[1]").json().get("err").asText())
        .isEqualTo("body: [1] (expected: a JSON object)");
    assertThat(fx.send(gateway, "POST", "/people", "{\"name\":42}").json().get("err").asText())
        .isEqualTo("name: 42 (expected: a string of 1 to 100 characters)");
    assertThat(fx.get(gateway, "/nowhere").status()).isEqualTo(404);
    assertThat(fx.raw(gateway, "GET /people/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 400 Bad Request\r\n").contains("malformed URI /people/%zz");
    assertThat(fx.raw(gateway, "NOT HTTP AT ALL\r\n\r\n")).startsWith("HTTP/1.1 400 Bad Request\r\n");
    for (String method : List.of("DELETE", "PUT", "PATCH", "OPTIONS", "FROB")) {
      Reply r = fx.send(gateway, method, "/people", null);
      assertThat(r.status()).as(method).isEqualTo(405);
      assertThat(r.header("Allow")).isEqualTo("GET, POST");
    }
    assertThat(fx.send(gateway, "POST", "/status", null).header("Allow")).isEqualTo("GET");
    Reply tooBig = fx.send(gateway, "POST", "/people", "{\"name\":\"" + "x".repeat(2000) + "\"}");
    assertThat(tooBig.status()).isEqualTo(413);
    assertThat(tooBig.json().get("err").asText()).isEqualTo("request body larger than 1024 octets (the limit)");
    // and the gateway is still there
    assertThat(fx.get(gateway, "/people").status()).isEqualTo(200);
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "ioThreads {0}")
  @org.junit.jupiter.params.provider.ValueSource(ints = {0, 2})
  void pipelinedRequestsAreAnsweredInOrder(int ioThreads) {
    CountDownLatch release = new CountDownLatch(1);
    fx.host(Service.builder("slow").command("wait", p -> release.await(30, TimeUnit.SECONDS))
        .inlineCommand("now", p -> Map.of("at", "now")).build());
    Gateway gateway = fx.gateway(GatewayConfig.builder().route("GET /slow", "slow", "wait")
        .route("GET /now", "slow", "now").ioThreads(ioThreads));
    // the first waits for the service; the inline 404, the quick call and HEAD's 405 wait behind it
    CompletableFuture<String> answers = CompletableFuture.supplyAsync(() -> fx.raw(gateway,
        "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"
        + "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n"
        + "GET /now HTTP/1.1\r\nHost: x\r\n\r\n"
        + "HEAD /now HTTP/1.1\r\nHost: x\r\n\r\n"
        + "GET /now?n=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    release.countDown();
    String all = answers.orTimeout(20, TimeUnit.SECONDS).join();
    List<String> statuses = new ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("HTTP/1\\.1 \\d{3} [^\r]*").matcher(all);
    while (m.find()) {
      statuses.add(m.group());
    }
    assertThat(statuses).as(all).containsExactly("HTTP/1.1 200 OK", "HTTP/1.1 404 Not Found", "HTTP/1.1 200 OK",
        "HTTP/1.1 405 Method Not Allowed", "HTTP/1.1 200 OK");
    assertThat(all).contains("trueHTTP/1.1 404", "{\"at\":\"now\"}HTTP/1.1 405",
        "allow: GET\r\n\r\nHTTP/1.1 200 OK")
        .endsWith("connection: close\r\n\r\n{\"at\":\"now\"}");
  }

  @Test
  void aServiceThatDoesNotAnswerInTimeIs504() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    fx.host(Service.builder("slow").command("wait", p -> release.await(30, TimeUnit.SECONDS)).build());
    Gateway gateway = fx.gateway(GatewayConfig.builder().route("POST /slow", "slow", "wait")
        .timeout(Duration.ofMillis(300)));
    try {
      Reply r = fx.send(gateway, "POST", "/slow", null);
      assertThat(r.status()).isEqualTo(504);
      assertThat(r.json().get("err").asText()).startsWith("service slow did not answer in time");
    } finally {
      release.countDown();
    }
  }

  @Test
  void killOneOfTwoInstancesUnderLoadAndGetsStillSucceed() throws Exception {
    AtomicInteger served = new AtomicInteger();
    Service echo = Service.builder("echo").command("get", p -> {
      served.incrementAndGet();
      return p;
    }).build();
    ServiceHost first = fx.host(echo);
    fx.host(echo);
    Gateway gateway = fx.gateway(GatewayConfig.builder().route("GET /echo/{n}", "echo", "get")
        .getAttempt(Duration.ofMillis(300)));
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger ok = new AtomicInteger();
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      int client = c;
      Thread t = new Thread(() -> {
        for (int i = 0; running.get(); i++) {
          String n = client + "-" + i;
          Reply r = fx.get(gateway, "/echo/" + n);
          if (r.status() != 200 || !r.json().get("n").asText().equals(n)) {
            failures.add(r.status() + " " + r.json());
          } else {
            ok.incrementAndGet();
          }
        }
      });
      t.start();
      clients.add(t);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> ok.get() > 200);
    first.close();
    int atKill = ok.get();
    await().atMost(Duration.ofSeconds(10)).until(() -> ok.get() > atKill + 500);
    running.set(false);
    for (Thread t : clients) {
      t.join(10_000);
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void twoHundredConcurrentRequestsEachGetTheirOwnReply() {
    Service echo = Service.builder("echo")
        .command("get", p -> p)
        .inlineCommand("fast", p -> p)
        .build();
    fx.host(echo);
    fx.host(echo);
    Gateway gateway = fx.gateway(GatewayConfig.builder().route("GET /echo/{n}", "echo", "get")
        .route("GET /fast/{n}", "echo", "fast"));
    List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.url() + (i % 2 == 0 ? "/echo/" : "/fast/") + i
          + "?q=" + i)).timeout(Duration.ofSeconds(20)).build();
      replies.add(fx.http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
    }
    for (int i = 0; i < 200; i++) {
      HttpResponse<String> r = replies.get(i).join();
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("{\"q\":\"" + i + "\",\"n\":\"" + i + "\"}");
    }
  }

  @Test
  void dataSurvivesARestart() {
    people();
    pets();
    Gateway gateway = gateway();
    assertThat(fx.send(gateway, "POST", "/people?name=Persistent", null).status()).isEqualTo(200);
    fx.close();
    fx = new Fixture(dir);
    peopleDb = fx.own(DemoDatabase.open("jdbc:sqlite:" + dir.resolve("people.db"), "people"));
    petsDb = fx.own(DemoDatabase.open("jdbc:sqlite:" + dir.resolve("pets.db"), "pets"));
    services = ServiceClient.of(fx.client());
    people();
    assertThat(names(fx.get(gateway(), "/people").json())).containsExactly("Alice", "Bob", "Carol", "Persistent");
  }

  @Test
  void routesAndConfigurationAreChecked() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Route.of("GET people", "p", "c"))
        .hasMessageContaining("expected: starting with '/'");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Route.of("/people", "p", "c"))
        .hasMessageContaining("expected: METHOD /path");
    Map<String, String> vars = new java.util.HashMap<>();
    assertThat(Route.of("GET /people/{id}/pets", "people", "pets").matches(List.of("people", "7", "pets"), vars))
        .isTrue();
    assertThat(vars).containsExactly(Map.entry("id", "7"));
  }
}
