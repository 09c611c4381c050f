package io.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterExampleIT {
  @Test
  void workersServeRequestsAndADeadWorkerIsReplaced(@TempDir Path dir) throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Files.writeString(root.resolve("target.txt"), "clustered");
    Path log = dir.resolve("workers.log");
    try (Running cluster = Running.start("filer-rep-cluster", "--workers", "2",
        "--endpoint", "tcp://127.0.0.1:*", "--backend", "ipc://" + dir.resolve("filer-dealer.ipc"),
        "--root", root.toString(), "--worker-log", log.toString());
        Context context = new Context()) {
      String ep = cluster.boundEndpoint();
      long first = Long.parseLong(cluster.awaitLine("^worker 1 started \\(pid (\\d+)\\)"));
      long second = Long.parseLong(cluster.awaitLine("^worker 2 started \\(pid (\\d+)\\)"));

      Set<Long> served = new HashSet<>();
      await().atMost(Duration.ofSeconds(40)).until(() -> {
        served.add(request(context, ep, "target.txt"));
        return served.containsAll(Set.of(first, second));
      });
      assertThat(request(context, ep, "../../etc/passwd")).isEqualTo(-1L);

      ProcessHandle.of(first).orElseThrow().destroyForcibly();
      cluster.awaitLine("^worker 1 exited \\(status \\d+\\), restarting in");
      long replacement = Long.parseLong(cluster.awaitLine("^worker 1 started \\(pid (?!" + first + "\\))(\\d+)\\)"));
      assertThat(replacement).isNotEqualTo(first);
      await().atMost(Duration.ofSeconds(40)).until(() -> request(context, ep, "target.txt") == replacement);
      assertThat(Files.readString(log)).contains("Worker " + second + " received request for: target.txt");
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.current().children()
        .noneMatch(p -> p.info().commandLine().orElse("").contains(FilerWorker.class.getName())));
  }

  /** One request on a fresh REQ (a request held by a dying worker is lost): the pid that answered, -1 on error. */
  private static long request(Context context, String endpoint, String path) {
    try (Socket req = context.socket(SocketType.REQ)) {
      req.connect(endpoint);
      req.send(Message.of(Json.bytes(Json.object().put("path", path))));
      Message reply = req.receive(Duration.ofSeconds(3));
      if (reply == null) {
        return 0;
      }
      var json = Json.parse(reply.frame(0));
      if (json.has("error")) {
        return -1;
      }
      assertThat(json.get("content").asText()).isEqualTo("clustered");
      return json.get("pid").asLong();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
