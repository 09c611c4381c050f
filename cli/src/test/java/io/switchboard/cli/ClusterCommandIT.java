package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.devices.LazyPirateClient;
import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code switchboard cluster} as a process of its own, with python REP workers. */
class ClusterCommandIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String PYTHON = "/usr/bin/python3";
  private static final String WORKER = String.join("\n",
      "import os, zmq",
      "s = zmq.Context().socket(zmq.REP)",
      "s.connect(os.environ['SWITCHBOARD_BACKEND'])",
      "while True:",
      "    s.recv_multipart()",
      "    s.send_string(str(os.getpid()))");
  private static final Pattern LISTENING =
      Pattern.compile("switchboard cluster: listening on (tcp://127\\.0\\.0\\.1:\\d+), workers on ipc://\\S+");
  private static final Pattern STARTED = Pattern.compile("switchboard cluster: worker (\\d+) started \\(pid (\\d+)\\)");

  private final Context context = new Context();
  private final List<String> errLines = new CopyOnWriteArrayList<>();
  private Process cluster;

  @AfterEach
  void cleanUp() {
    if (cluster != null) {
      cluster.destroyForcibly();
    }
    context.close();
  }

  @Test
  void servesWithPythonWorkersAndReplacesAKilledOne() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of(PYTHON)), "needs " + PYTHON);
    cluster = start("cluster", "--workers", "2", "--frontend", "tcp://127.0.0.1:*", "--", PYTHON, "-c", WORKER);

    await().atMost(WAIT).until(() -> startedPids().size() == 2);
    Matcher listening = LISTENING.matcher(errLines.get(0));
    assertThat(listening.matches()).as(errLines.get(0)).isTrue();
    List<Long> first = startedPids();

    Set<Long> served = ConcurrentHashMap.newKeySet();
    try (LazyPirateClient client = new LazyPirateClient(context, listening.group(1))) {
      await().atMost(WAIT).until(() -> {
        served.add(Long.parseLong(client.request(Message.of("pid?"), Duration.ofSeconds(2), 5).firstString()));
        return served.containsAll(first);
      });
      assertThat(served).containsExactlyInAnyOrderElementsOf(first);

      long victim = first.get(0);
      ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);

      await().atMost(WAIT).until(() -> startedPids().size() == 3);
      assertThat(errLines).anySatisfy(line -> assertThat(line)
          .matches("switchboard cluster: worker \\d exited \\(status 137\\), restarting in 100 ms"));
      long replacement = startedPids().get(2);
      // still served, by the survivor and, once it is up, by the replacement (the client retries lost requests)
      await().atMost(WAIT).until(() -> Long.parseLong(
          client.request(Message.of("pid?"), Duration.ofSeconds(1), 10).firstString()) == replacement);
      assertThat(ProcessHandle.of(first.get(1)).map(ProcessHandle::isAlive)).contains(true);
    }

    // SIGTERM: the shutdown hook stops the workers
    List<Long> running = List.of(first.get(1), startedPids().get(2));
    cluster.destroy();
    assertThat(cluster.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    await().atMost(WAIT).until(() -> running.stream()
        .map(ProcessHandle::of).noneMatch(h -> h.map(ProcessHandle::isAlive).orElse(false)));
  }

  private List<Long> startedPids() {
    return errLines.stream().map(STARTED::matcher).filter(Matcher::matches)
        .map(m -> Long.parseLong(m.group(2))).collect(Collectors.toList());
  }

  private Process start(String... args) throws IOException {
    List<String> command = CliProcess.command(args);
    Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    process.getOutputStream().close();
    Thread reader = new Thread(() -> {
      try (BufferedReader err = new BufferedReader(
          new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = err.readLine()) != null; ) {
          errLines.add(line);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, "cluster stderr");
    reader.setDaemon(true);
    reader.start();
    return process;
  }
}
