package io.switchboard.cli;

import static io.switchboard.cli.CliProcess.exitCode;
import static io.switchboard.cli.CliProcess.reader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code switchboard gateway}, {@code service} and {@code demo}, each a process of its own, as a user runs them. */
class GatewayCommandsIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Pattern URL = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+)");

  @TempDir Path dir;
  @AutoClose private final CliProcesses processes = new CliProcesses();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Process start(String... args) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(CliProcess.command(args));
    // the default node and data paths, under this test's directory
    pb.environment().put("XDG_RUNTIME_DIR", dir.resolve("run").toString());
    pb.environment().put("XDG_DATA_HOME", dir.resolve("data").toString());
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    return processes.start(pb);
  }

  private static String lineMatching(BufferedReader out, String contains) throws IOException {
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.contains(contains)) {
        return line;
      }
    }
    throw new AssertionError("no line with " + contains);
  }

  private static String url(String line) {
    Matcher m = URL.matcher(line);
    assertThat(m.find()).as(line).isTrue();
    return m.group(1);
  }

  private int status(String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private String body(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void gatewayAndServicesAsSeparateProcessesInAnyOrder() throws Exception {
    // a service first: it waits for the node, which the gateway starts
    Process people = start("service", "people", "--port", "0");
    assertThat(lineMatching(reader(people.getInputStream()), "switchboard service people")).contains("tcp 127.0.0.1:");
    Process gateway = start("gateway", "--listen", "127.0.0.1:0");
    BufferedReader gatewayOut = reader(gateway.getInputStream());
    assertThat(lineMatching(gatewayOut, "started a bus node")).contains(dir.resolve("run").toString());
    String base = url(lineMatching(gatewayOut, "switchboard gateway listening on"));
    await().atMost(WAIT).until(() -> status(base + "/people") == 200);
    assertThat(status(base + "/people/pets?owner=Alice")).isEqualTo(503);
    Process pets = start("service", "pets", "--port", "0");
    await().atMost(WAIT).until(() -> status(base + "/people/pets?owner=Alice") == 200);
    assertThat(body(base + "/people/pets?owner=Alice")).contains("\"Rex\"", "\"Nemo\"");

    // kill pets outright, and start it again: the gateway serves it again without a restart
    pets.destroyForcibly().waitFor();
    await().atMost(WAIT).until(() -> status(base + "/pets") == 503);
    start("service", "pets", "--port", "0");
    await().atMost(WAIT).until(() -> status(base + "/pets") == 200);

    // SIGTERM: the gateway stops, and so does the node it started
    gateway.destroy();
    assertThat(gateway.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    assertThat(dir.resolve("run/switchboard/node.sock")).doesNotExist();
  }

  @Test
  void oneOfTwoServiceProcessesKilledUnderLoadAndNoGetFails() throws Exception {
    Process gateway = start("gateway", "--listen", "127.0.0.1:0");
    String base = url(lineMatching(reader(gateway.getInputStream()), "switchboard gateway listening on"));
    Process first = start("service", "pets", "--port", "0");
    lineMatching(reader(first.getInputStream()), "registered");
    Process second = start("service", "pets", "--no-tcp");
    lineMatching(reader(second.getInputStream()), "registered");
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger ok = new AtomicInteger();
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      Thread t = new Thread(() -> {
        while (running.get()) {
          int status = status(base + "/pets");
          if (status == 200) {
            ok.incrementAndGet();
          } else {
            failures.add("status " + status);
          }
        }
      });
      t.start();
      clients.add(t);
    }
    await().atMost(WAIT).until(() -> ok.get() > 100);
    first.destroyForcibly().waitFor();          // SIGKILL: whatever was in flight on it is lost
    int atKill = ok.get();
    await().atMost(WAIT).until(() -> ok.get() > atKill + 200);
    running.set(false);
    for (Thread t : clients) {
      t.join(WAIT.toMillis());
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void demoRunsEverythingAndPrintsItsUrls() throws Exception {
    Process demo = start("demo", "--port", "0", "--people-port", "0", "--pets-port", "0",
        "--ipc", dir.resolve("demo.sock").toString());
    String line = lineMatching(reader(demo.getInputStream()), "switchboard demo: gateway");
    assertThat(line).contains("people tcp 127.0.0.1:", "pets tcp 127.0.0.1:");
    String base = url(line);
    assertThat(body(base + "/status")).contains("\"status\":\"ok\"");
    assertThat(body(base + "/people")).contains("\"Alice\"");
    demo.destroy();
    assertThat(demo.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    assertThat(dir.resolve("demo.sock")).doesNotExist();
  }

  /** With --http, the dashboard shows the services and their instances; the gateway has its own /metrics. */
  @Test
  void demoWithHttpShowsItsServicesOnTheDashboard() throws Exception {
    Process demo = start("demo", "--port", "0", "--people-port", "0", "--pets-port", "0", "--http", "0",
        "--ipc", dir.resolve("demo.sock").toString());
    BufferedReader out = reader(demo.getInputStream());
    String gateway = url(lineMatching(out, "switchboard demo: gateway"));
    String dashboard = url(lineMatching(out, "dashboard: "));
    assertThat(status(gateway + "/people")).isEqualTo(200);
    assertThat(body(gateway + "/metrics"))
        .contains("switchboard_gateway_requests_seconds_count{method=\"GET\",route=\"/people\",status=\"200\"}");
    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode services = new ObjectMapper().readTree(body(dashboard + "/api/state")).at("/sections/services/services");
      assertThat(services).hasSize(2);
      assertThat(services.get(0).get("name").asText()).isEqualTo("people");
      assertThat(services.get(0).get("requests").asLong()).isEqualTo(1);
      assertThat(services.get(0).get("instances")).singleElement()
          .satisfies(i -> assertThat(i.get("healthy").asBoolean()).isTrue());
    });
  }

  @Test
  void aServiceNameThatIsNotTheDemosIsBadUsage() throws Exception {
    Process p = start("service", "cats");
    assertThat(exitCode(p, WAIT)).isEqualTo(2);
  }
}
