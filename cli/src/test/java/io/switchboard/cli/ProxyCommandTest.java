package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketType;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** {@code switchboard proxy} and the usage errors of {@code switchboard cluster}, in-process. */
class ProxyCommandTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Pattern LISTENING = Pattern.compile(
      "switchboard proxy: listening: frontend pull@(tcp://127\\.0\\.0\\.1:\\d+), backend push>(\\S+), "
          + "capture pub@(tcp://127\\.0\\.0\\.1:\\d+)");

  @AutoClose private final Context context = new Context();

  @Test
  void forwardsBindingTheFrontendConnectingTheBackendAndPublishingACapture() {
    Socket consumer = context.socket(SocketType.PULL);
    String out = consumer.bind("tcp://127.0.0.1:*");
    try (RunningCli proxy = RunningCli.interactive("proxy", "--frontend", "pull@tcp://127.0.0.1:*",
        "--backend", "push>" + out, "--capture", "tcp://127.0.0.1:*")) {
      await().atMost(WAIT).until(() -> !proxy.errLines().isEmpty());
      assertThat(proxy.errLines()).hasSize(1);
      Matcher listening = LISTENING.matcher(proxy.errLines().get(0));
      assertThat(listening.matches()).as(proxy.errLines().get(0)).isTrue();
      assertThat(listening.group(2)).isEqualTo(out);

      Socket tap = context.socket(SocketType.SUB);
      tap.subscribe("");
      tap.connect(listening.group(3));
      Socket producer = context.socket(SocketType.PUSH);
      producer.connect(listening.group(1));
      // the capture is a PUB: keep sending until the tap's subscription has arrived
      Message captured = null;
      for (int i = 0; captured == null && i < 200; i++) {
        producer.send(Message.of("task", String.valueOf(i)));
        assertThat(consumer.receive(WAIT)).isEqualTo(Message.of("task", String.valueOf(i)));
        captured = tap.receive(Duration.ofMillis(20));
      }
      assertThat(captured).isNotNull();
      assertThat(captured.firstString()).isEqualTo("task");
      assertThat(proxy.isDone()).isFalse();
    }
  }

  @Test
  void routerDealerQueue() {
    try (RunningCli proxy = RunningCli.interactive("proxy", "--frontend", "router@tcp://127.0.0.1:*",
        "--backend", "dealer@ipc://*")) {
      await().atMost(WAIT).until(() -> !proxy.errLines().isEmpty());
      Matcher m = Pattern.compile(".*frontend router@(\\S+), backend dealer@(\\S+)").matcher(proxy.errLines().get(0));
      assertThat(m.matches()).as(proxy.errLines().get(0)).isTrue();
      Socket worker = context.socket(SocketType.REP);
      worker.connect(m.group(2));
      Socket client = context.socket(SocketType.REQ);
      client.connect(m.group(1));
      client.send(Message.of("ping"));
      assertThat(worker.receive(WAIT)).isEqualTo(Message.of("ping"));
      worker.send(Message.of("pong"));
      assertThat(client.receive(WAIT)).isEqualTo(Message.of("pong"));
    }
  }

  @Test
  void badUsageIsOneLineAndStatusTwo() {
    assertUsage("switchboard proxy: --frontend: nonsense@tcp://127.0.0.1:1 (expected: TYPE@EP to bind or TYPE>EP",
        "proxy", "--frontend", "nonsense@tcp://127.0.0.1:1", "--backend", "dealer@ipc://*");
    assertUsage("switchboard proxy: --backend: dealer (expected: TYPE@EP",
        "proxy", "--frontend", "router@tcp://127.0.0.1:*", "--backend", "dealer");
    assertUsage("switchboard proxy: --backend: endpoint: tcp://nowhere (expected: ",
        "proxy", "--frontend", "router@tcp://127.0.0.1:*", "--backend", "dealer@tcp://nowhere");
    assertUsage("switchboard proxy: frontend/backend: PUSH/PUSH (expected: ",
        "proxy", "--frontend", "push@tcp://127.0.0.1:*", "--backend", "push@tcp://127.0.0.1:*");
    assertUsage("switchboard proxy: missing --backend TYPE@EP",
        "proxy", "--frontend", "router@tcp://127.0.0.1:*");
    assertUsage("switchboard cluster: --workers: 0 (expected: > 0)",
        "cluster", "--workers", "0", "--frontend", "tcp://127.0.0.1:*", "--", "true");
    assertUsage("switchboard cluster: missing COMMAND",
        "cluster", "--workers", "1", "--frontend", "tcp://127.0.0.1:*");
    assertUsage("switchboard cluster: --frontend: endpoint: nowhere (expected: ",
        "cluster", "--workers", "1", "--frontend", "nowhere", "--", "true");
  }

  /** Runs a command line that is bad usage: status 2 and one line on standard error that starts with {@code start}. */
  static void assertUsage(String start, String... args) {
    RunningCli cli = RunningCli.run("", args);
    assertThat(cli.exitCode()).as(String.join(" ", args)).isEqualTo(2);
    assertThat(cli.errLines()).singleElement().asString().startsWith(start);
  }
}
