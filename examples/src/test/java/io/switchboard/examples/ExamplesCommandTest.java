package io.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExamplesCommandTest {
  @Test
  void listsEveryExample() {
    Running list = Running.run();
    assertThat(list.awaitExit()).isZero();
    assertThat(list.out()).contains("time-pubsub", "hello-reqrep", "parallel-requests", "watcher-pub", "watcher-sub",
        "filer-rep ", "filer-req ", "filer-req-loop", "filer-rep-cluster");
  }

  @Test
  void badArgumentsExitWithStatus2AndOneClearLine(@TempDir Path dir) {
    String[][] cases = {
      {"no-such-example"},
      {"time-pubsub"},
      {"time-pubsub", "server", "--port", "70000"},
      {"hello-reqrep", "client", "--endpoint", "tcp://nowhere"},
      {"filer-req"},
      {"filer-req-loop", "x", "--requests", "0"},
      {"watcher-pub", dir.resolve("missing.txt").toString(), "--port", "0"},
      {"filer-rep", "--port", "0", "--root", dir.resolve("missing").toString()},
      {"filer-rep-cluster", "--workers", "0", "--port", "0"},
      {"parallel-requests", "--latency", "soon"},
    };
    for (String[] args : cases) {
      Running run = Running.run(args);
      assertThat(run.awaitExit()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(run.err().lines()).as(String.join(" ", args)).hasSize(1).first().asString().startsWith("example");
    }
  }

  @Test
  void unbindableEndpointIsAUsageError() throws Exception {
    try (Running first = Running.start("hello-reqrep", "server", "--endpoint", "tcp://127.0.0.1:*")) {
      String bound = first.boundEndpoint();
      Running second = Running.run("hello-reqrep", "server", "--endpoint", bound);
      assertThat(second.awaitExit()).isEqualTo(2);
      assertThat(second.err()).contains(bound.substring(bound.lastIndexOf(':') + 1));
    }
  }
}
