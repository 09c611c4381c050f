package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented examples run as written: each scenario quotes its lines from a doc (the test first checks they are
 * there, word for word), runs the server line in the background with bash, waits for its ready line, runs the
 * client line, and checks what both print. {@code ./switchboard} is the built jar.
 */
class DocExamplesIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Path ROOT = DocSnippetsTest.root();

  /** One documented exchange: a server line, a client line, what each prints, in which doc. */
  record Scenario(String doc, String setup, String server, String client, List<String> clientPrints,
      List<String> serverPrints) {}

  private static final List<Scenario> SCENARIOS = List.of(
      new Scenario("docs/cli.md", "",
          "./switchboard pull --bind tcp://127.0.0.1:5555",
          "printf 'hello\\nkey\\tvalue\\n' | ./switchboard push --connect tcp://127.0.0.1:5555",
          List.of(), List.of("hello", "key\tvalue")),
      new Scenario("docs/cli.md", "",
          "./switchboard rep --bind tcp://127.0.0.1:5556",
          "echo ping | ./switchboard req --connect tcp://127.0.0.1:5556 --timeout 5s",
          List.of("ping"), List.of("ping")),
      new Scenario("docs/cli.md", "",
          "printf 'worker-1\\t\\tjob\\n' | ./switchboard router --bind 'tcp://*:5555'",
          "echo ready | ./switchboard req --connect tcp://127.0.0.1:5555 --identity worker-1",
          List.of("job"), List.of("worker-1\t\tready")),
      new Scenario("docs/cli.md", "",
          "printf 'one\\ntwo\\n' | ./switchboard rep --bind 'tcp://*:5555' --no-echo",
          "printf 'a\\nb\\n' | ./switchboard req --connect tcp://127.0.0.1:5555",
          List.of("one", "two"), List.of("a", "b")),
      new Scenario("README.md", "",
          "./switchboard rep --bind 'tcp://*:5555'",
          "echo hello | ./switchboard req --connect tcp://127.0.0.1:5555",
          List.of("hello"), List.of("hello")),
      new Scenario("README.md", "",
          "./switchboard pull --bind tcp://127.0.0.1:5556",
          "printf 'hello\\nkey\\tvalue\\n' | ./switchboard push --connect tcp://127.0.0.1:5556",
          List.of(), List.of("hello", "key\tvalue")),
      new Scenario("docs/patterns/reqrep.md", "echo 'hello from target.txt' > target.txt",
          "./switchboard example filer-rep --root .",
          "./switchboard example filer-req target.txt",
          List.of("Sending request 1 for target.txt", "Received response: {\"content\":\"hello from target.txt\\n\""),
          List.of()),
      new Scenario("docs/patterns/reqrep.md", "",
          "./switchboard example hello-reqrep server",
          "./switchboard example hello-reqrep client",
          List.of(), List.of()));

  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    for (Process process : processes) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  @TestFactory
  Stream<DynamicTest> everyScenarioIsInItsDocAndRuns(@TempDir Path dir) throws IOException {
    Path launcher = dir.resolve("switchboard");
    String java = CliProcess.command().stream().map(DocExamplesIT::quote).collect(Collectors.joining(" "));
    Files.writeString(launcher, "#!/bin/sh\nexec " + java + " \"$@\"\n");
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    return SCENARIOS.stream().map(s -> DynamicTest.dynamicTest(s.doc() + ": " + s.client(), () -> run(s, dir)));
  }

  private void run(Scenario scenario, Path dir) throws Exception {
    String doc = Files.readString(ROOT.resolve(scenario.doc()), StandardCharsets.UTF_8);
    for (String line : List.of(scenario.setup(), scenario.server(), scenario.client())) {
      assertThat(doc).as("%s has the line", scenario.doc()).contains(line);
    }
    if (!scenario.setup().isEmpty()) {
      assertThat(bash(dir, scenario.setup()).waitFor()).isZero();
    }
    Process server = bash(dir, scenario.server());
    BlockingQueue<String> serverOut = CliProcess.lines(server.getInputStream());
    BlockingQueue<String> serverErr = CliProcess.lines(server.getErrorStream());
    awaitReady(server, serverOut, serverErr);

    Process client = bash(dir, scenario.client());
    client.getOutputStream().close();
    BlockingQueue<String> clientErr = CliProcess.lines(client.getErrorStream());
    // to the end of its output, which is the client's exit (the test's time-out bounds it)
    List<String> printed = List.of(new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
        .split("\n"));
    assertThat(client.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("the client exits").isTrue();
    assertThat(client.exitValue()).as("%s exits 0; stderr: %s", scenario.client(), clientErr).isZero();
    for (int i = 0; i < scenario.clientPrints().size(); i++) {
      assertThat(printed).as("what the client printed").hasSizeGreaterThan(i);
      assertThat(printed.get(i)).startsWith(scenario.clientPrints().get(i));
    }
    for (String expected : scenario.serverPrints()) {
      assertThat(serverOut.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("the server prints").isEqualTo(expected);
    }
    stop(server);
  }

  /** SIGTERM to the server and what bash started for it (a pipeline's commands outlive a killed bash). */
  private static void stop(Process server) throws Exception {
    List<ProcessHandle> tree = new ArrayList<>(server.descendants().toList());
    tree.add(server.toHandle());
    tree.forEach(ProcessHandle::destroy);
    for (ProcessHandle process : tree) {
      process.onExit().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Waits for the server's ready line ("listening on", "Listening on"), on stdout or stderr. */
  private static void awaitReady(Process server, BlockingQueue<String> out, BlockingQueue<String> err)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    List<String> seen = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      String line = err.poll(50, TimeUnit.MILLISECONDS);
      if (line == null) {
        line = out.peek() != null && out.peek().toLowerCase().contains("listening") ? out.poll() : null;
      }
      if (line != null) {
        seen.add(line);
        if (line.toLowerCase().contains("listening")) {
          return;
        }
      }
      assertThat(server.isAlive()).as("the server runs; it said %s", seen).isTrue();
    }
    throw new AssertionError("no ready line within " + WAIT + "; saw " + seen);
  }

  private Process bash(Path dir, String line) throws IOException {
    Process process = new ProcessBuilder("bash", "-c", line).directory(dir.toFile()).start();
    processes.add(process);
    return process;
  }

  private static String quote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
