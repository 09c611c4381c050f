package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** The options a zmqc, zmq-cat or nats user expects: identity, formats, delimiters, NUL mode, -v, pace, retries. */
class ExtraOptionsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String ANY_PORT = "tcp://127.0.0.1:*";

  @AutoClose private final Context context = new Context();

  @Test
  void identityIsTheRoutingIdARouterSees() {
    Socket router = context.socket(SocketType.ROUTER);
    String endpoint = router.bind(ANY_PORT);

    try (RunningCli dealer = RunningCli.interactive("dealer", "--connect", endpoint, "--identity", "me")) {
      dealer.write("hi\n");

      assertThat(router.receive(WAIT)).isEqualTo(Message.of("me", "hi"));
    }
  }

  @Test
  void hexAndBase64PassAnyBytesBothWays() {
    Socket pull = context.socket(SocketType.PULL);
    String endpoint = pull.bind(ANY_PORT);

    RunningCli push = RunningCli.run("00ff0a\t0x6869\n", "push", "--connect", endpoint, "--format", "hex");

    assertThat(push.exitCode()).isZero();
    assertThat(pull.receive(WAIT)).isEqualTo(Message.of(new byte[] {0, (byte) 0xff, '\n'}, "hi".getBytes()));

    Socket pushSocket = context.socket(SocketType.PUSH);
    String pushEndpoint = pushSocket.bind(ANY_PORT);
    try (RunningCli base64 = RunningCli.interactive("pull", "--connect", pushEndpoint, "--format", "base64", "-n",
        "1")) {
      pushSocket.send(Message.of(new byte[] {0, (byte) 0xff}, "hello".getBytes()));

      assertThat(base64.exitCode()).isZero();
      assertThat(base64.lines()).containsExactly("AP8=\taGVsbG8=");
    }
  }

  @Test
  void jsonReadsFramesAsTextHexOrBase64() {
    Socket pull = context.socket(SocketType.PULL);
    String endpoint = pull.bind(ANY_PORT);

    RunningCli push = RunningCli.run("{\"frames\":[\"a\\tb\",{\"hex\":\"00\"},{\"base64\":\"aGk=\"}]}\n", "push",
        "--connect", endpoint, "--format", "json");

    assertThat(push.exitCode()).isZero();
    assertThat(pull.receive(WAIT)).isEqualTo(Message.of("a\tb".getBytes(), new byte[] {0}, "hi".getBytes()));
  }

  @Test
  void aRecordNotInTheFormatFailsSayingWhy() {
    Socket pull = context.socket(SocketType.PULL);
    String endpoint = pull.bind(ANY_PORT);

    RunningCli push = RunningCli.run("zz\n", "push", "--connect", endpoint, "--format", "hex");

    assertThat(push.exitCode()).isEqualTo(1);
    assertThat(push.errLines()).last().asString()
        .isEqualTo("switchboard push: standard input: 'zz' is not hex (expected: pairs of 0-9 and a-f)");
  }

  @Test
  void nulSeparatedRecordsMayHoldNewlinesAndACustomDelimiterSeparatesFrames() {
    Socket pull = context.socket(SocketType.PULL);
    String endpoint = pull.bind(ANY_PORT);

    RunningCli push = RunningCli.run("line one\nline two,x\0second\0", "push", "--connect", endpoint, "-0",
        "--delimiter", ",");

    assertThat(push.exitCode()).isZero();
    assertThat(pull.receive(WAIT)).isEqualTo(Message.of("line one\nline two", "x"));
    assertThat(pull.receive(WAIT)).isEqualTo(Message.of("second"));

    Socket pushSocket = context.socket(SocketType.PUSH);
    String pushEndpoint = pushSocket.bind(ANY_PORT);
    RunningCli nul = RunningCli.start("", "pull", "--connect", pushEndpoint, "-0", "-n", "1");
    pushSocket.send(Message.of("a\nb", "c"));
    assertThat(nul.exitCode()).isZero();
    assertThat(nul.output()).isEqualTo("a\nb\tc\0");
  }

  @Test
  void conflateTakesTheNewestMessageWaitingAndDropsTheOthers() {
    Socket pull = context.socket(SocketType.PULL);
    pull.bind("inproc://conflate");
    Socket push = context.socket(SocketType.PUSH);
    push.connect("inproc://conflate");
    for (int i = 1; i <= 5; i++) {
      push.send(Message.of("m" + i)); // over inproc a sent message is in the PULL's queue when send returns
    }
    ReceiveCommand.Pull command = new ReceiveCommand.Pull();

    assertThat(command.receive(pull).firstString()).isEqualTo("m1");
    command.conflate = true;
    assertThat(command.receive(pull).firstString()).isEqualTo("m5");
    assertThat(pull.tryReceive()).isNull();
  }

  @Test
  void verboseShowsConnectionsComeAndGo() {
    Socket push = context.socket(SocketType.PUSH);
    String endpoint = push.bind(ANY_PORT);

    try (RunningCli pull = RunningCli.interactive("pull", "--connect", endpoint, "-v", "-n", "1")) {
      await().atMost(WAIT).until(pull::errLines, lines -> lines.contains("switchboard pull: connected to "
          + endpoint));
      push.send(Message.of("x"));
      assertThat(pull.exitCode()).isZero();
    }
  }

  @Test
  void pubSendsItsArgumentsCountTimesAtItsInterval() {
    Socket sub = context.socket(SocketType.SUB);
    sub.subscribe("");
    String endpoint = sub.bind(ANY_PORT);

    RunningCli pub = RunningCli.run("", "pub", "--connect", endpoint, "-n", "3", "--interval", "20ms", "time",
        "tick");

    assertThat(pub.exitCode()).isZero();
    for (int i = 0; i < 3; i++) {
      assertThat(sub.receive(WAIT)).isEqualTo(Message.of("time", "tick"));
    }
    assertThat(sub.receive(Duration.ofMillis(200))).isNull();
  }

  @Test
  void reqRetriesARequestThatGotNoReply() {
    Socket router = context.socket(SocketType.ROUTER);
    String endpoint = router.bind(ANY_PORT);

    try (RunningCli req = RunningCli.start("ping\n", "req", "--connect", endpoint, "--timeout", "500ms",
        "--retries", "2")) {
      Message first = router.receive(WAIT); // dropped, as by a server that died
      assertThat(first.frame(first.size() - 1)).isEqualTo("ping".getBytes(StandardCharsets.UTF_8));
      Message second = router.receive(WAIT);
      router.send(second.slice(0, second.size() - 1).append(Message.of("pong")));

      assertThat(req.exitCode()).isZero();
      assertThat(req.lines()).containsExactly("pong");
    }
  }

  @Test
  void reqGivesUpAfterItsRetries() {
    Socket router = context.socket(SocketType.ROUTER);
    String endpoint = router.bind(ANY_PORT);

    RunningCli req = RunningCli.run("ping\n", "req", "--connect", endpoint, "--timeout", "200ms", "--retries", "1");

    assertThat(req.exitCode()).isEqualTo(1);
    assertThat(req.errLines()).last().asString().startsWith("switchboard req: no reply from " + endpoint
        + " in 2 attempts");
  }

  @Test
  void ipv6EndpointsBindAndConnect() throws Exception {
    assumeTrue(ipv6Loopback(), "no IPv6 loopback here");
    Socket push = context.socket(SocketType.PUSH);
    String endpoint = push.bind("tcp://[::1]:*");
    assertThat(endpoint).startsWith("tcp://[0:0:0:0:0:0:0:1]:");

    try (RunningCli pull = RunningCli.interactive("pull", "--connect", endpoint.replace("0:0:0:0:0:0:0:1", "::1"),
        "-n", "1")) {
      push.send(Message.of("over six"));

      assertThat(pull.exitCode()).isZero();
      assertThat(pull.lines()).containsExactly("over six");
    }
  }

  private static boolean ipv6Loopback() {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
      return probe.getLocalPort() > 0;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void badOptionValuesAreUsageErrors() {
    ProxyCommandTest.assertUsage("switchboard pull: --hwm: -1 (expected: 0, no limit, or more)",
        "pull", "--connect", "tcp://127.0.0.1:5555", "--hwm", "-1");
    ProxyCommandTest.assertUsage("switchboard pull: --heartbeat-timeout needs --heartbeat",
        "pull", "--connect", "tcp://127.0.0.1:5555", "--heartbeat-timeout", "1s");
    ProxyCommandTest.assertUsage("switchboard pull: --format: 'hexa' (expected: text, hex, base64 or json; did you mean hex?)",
        "pull", "--connect", "tcp://127.0.0.1:5555", "--format", "hexa");
    ProxyCommandTest.assertUsage("switchboard req: --retries needs --timeout (how long to wait before a retry)",
        "req", "--connect", "tcp://127.0.0.1:5555", "--retries", "2");
    ProxyCommandTest.assertUsage("switchboard dealer: --identity: ",
        "dealer", "--connect", "tcp://127.0.0.1:5555", "--identity", "0x00ab");
  }
}
