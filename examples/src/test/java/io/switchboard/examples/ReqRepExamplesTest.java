package io.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.socket.Context;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReqRepExamplesTest {
  @Test
  void helloWorld() throws Exception {
    try (Running server = Running.start("hello-reqrep", "server", "--endpoint", "tcp://127.0.0.1:*")) {
      Running client = Running.run("hello-reqrep", "client", "--endpoint", server.boundEndpoint());
      assertThat(client.awaitExit()).isZero();
      assertThat(client.lines()).containsExactly("received hello world");
      server.awaitLine("^received hello$");
    }
  }

  @Test
  void parallelRequestsPrintsBothTimings() {
    Running run = Running.run("parallel-requests", "--requests", "10", "--latency", "20ms");
    assertThat(run.awaitExit()).as(run.err()).isZero();
    long req = Long.parseLong(run.awaitLine("^REQ:.* (\\d+) ms$"));
    long dealer = Long.parseLong(run.awaitLine("^DEALER:.* (\\d+) ms$"));
    assertThat(req).isGreaterThanOrEqualTo(10 * 20);
    assertThat(dealer).isLessThan(req);
  }

  @Test
  void parallelRequestsAgainstAnExternalRepServer() throws Exception {
    try (Running server = Running.start("hello-reqrep", "server", "--endpoint", "tcp://127.0.0.1:*")) {
      Running run = Running.run("parallel-requests", "--requests", "5", "--connect", server.boundEndpoint());
      assertThat(run.awaitExit()).as(run.err()).isZero();
      assertThat(run.out()).contains("REQ:", "DEALER:");
    }
  }

  @Test
  void filerServesFilesUnderTheRootOnly(@TempDir Path dir) throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Files.writeString(root.resolve("target.txt"), "the content\n");
    Files.writeString(dir.resolve("secret.txt"), "secret");
    Files.createSymbolicLink(root.resolve("escape"), dir.resolve("secret.txt"));
    try (Running server = Running.start("filer-rep", "--endpoint", "tcp://127.0.0.1:*", "--root", root.toString())) {
      String ep = server.boundEndpoint();
      assertThat(reply(ep, "target.txt")).startsWith("{\"content\":\"the content\\n\",\"timestamp\":")
          .contains("\"pid\":" + ProcessHandle.current().pid());
      assertThat(reply(ep, "../../etc/passwd")).isEqualTo("{\"error\":\"path: ../../etc/passwd (outside the served "
          + "directory)\"}");
      assertThat(reply(ep, "../secret.txt")).startsWith("{\"error\":").contains("outside");
      assertThat(reply(ep, "escape")).startsWith("{\"error\":").contains("outside"); // a symlink out
      assertThat(reply(ep, dir.resolve("secret.txt").toString())).startsWith("{\"error\":").contains("outside");
      assertThat(reply(ep, "missing.txt")).isEqualTo("{\"error\":\"path: missing.txt (no such file)\"}");
      assertThat(reply(ep, ".")).startsWith("{\"error\":").contains("not a regular file");
      try (Context context = new Context(); Socket req = context.socket(SocketType.REQ)) {
        req.connect(ep);
        req.send("not json");
        assertThat(req.receive(Running.DEADLINE).firstString()).startsWith("{\"error\":\"request: not JSON");
        req.send("{\"file\":\"target.txt\"}");
        assertThat(req.receive(Running.DEADLINE).firstString()).startsWith("{\"error\":\"request: expected");
      }
      server.awaitLine("Received request to get: ../../etc/passwd");
    }
  }

  @Test
  void filerReqLoopPrintsEveryReply(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("target.txt"), "x");
    try (Running server = Running.start("filer-rep", "--endpoint", "tcp://127.0.0.1:*", "--root", dir.toString())) {
      Running loop = Running.run("filer-req-loop", "target.txt", "--endpoint", server.boundEndpoint(),
          "--requests", "4");
      assertThat(loop.awaitExit()).isZero();
      assertThat(loop.lines()).filteredOn(l -> l.startsWith("Received response: {\"content\":\"x\"")).hasSize(4);
      assertThat(loop.lines()).filteredOn(l -> l.startsWith("Sending request")).hasSize(4);
    }
  }

  @Test
  void filerReqTimesOutWithStatus1() {
    // nothing listens on a port we just closed; the request waits, then gives up
    String ep;
    try (Context context = new Context(); Socket probe = context.socket(SocketType.REP)) {
      ep = probe.bind("tcp://127.0.0.1:*");
    }
    Running req = Running.run("filer-req", "x", "--endpoint", ep, "--timeout", "200ms");
    assertThat(req.awaitExit()).isEqualTo(1);
    assertThat(req.err()).contains("no reply from " + ep);
  }

  /** One request through filer-req; the JSON it printed as the reply. It exits 1 for an error reply, 0 else. */
  private static String reply(String endpoint, String path) {
    Running req = Running.run("filer-req", path, "--endpoint", endpoint, "--timeout", "10s");
    int status = req.awaitExit();
    String reply = req.awaitLine("^Received response: (.*)$");
    assertThat(status).as(req.err()).isEqualTo(reply.startsWith("{\"error\":") ? 1 : 0);
    if (status == 1) {
      assertThat(req.err()).startsWith("example filer-req: the server answered: ");
    }
    return reply;
  }

}
