package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;
import io.switchboard.socket.security.Authenticator;
import io.switchboard.socket.security.CurveKeyPair;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failures a new user met (issue 18), each reproduced: what the command did then is what these tests forbid.
 */
class IssueFailuresTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @AutoClose private final Context context = new Context();

  /** A port nothing listens on: bound, then closed again. */
  private static int refusedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void theRouterExampleDeliversALineReadBeforeItsPeerConnected() {
    // printf 'worker-1\t\tjob\n' | switchboard router --bind ...: the line is read before worker-1 connects.
    try (RunningCli router = RunningCli.interactive("router", "--bind", "tcp://127.0.0.1:*", "-n", "1",
        "--timeout", "10s")) {
      router.write("worker-1\t\tjob\n");
      await().atMost(WAIT).until(() -> router.errLines().stream().anyMatch(l -> l.contains("listening on")));
      String endpoint = router.errLines().get(0).replaceFirst(".*listening on ", "");
      await().atMost(WAIT).until(() -> router.errLines().stream().anyMatch(l -> l.contains("its lines wait for it")));

      Socket req = context.socket(SocketType.REQ, SocketOptions.builder().identity("worker-1".getBytes()).build());
      req.connect(endpoint);
      req.send(Message.of("ready"));

      assertThat(req.receive(WAIT)).isEqualTo(Message.of("job"));
      assertThat(router.exitCode()).isZero();
      assertThat(router.lines()).containsExactly("worker-1\t\tready");
    }
  }

  @Test
  void aPushThatDeliversNothingFailsWithTheCause() throws IOException {
    String endpoint = "tcp://127.0.0.1:" + refusedPort();

    RunningCli push = RunningCli.run("x\n", "push", "--connect", endpoint, "--timeout", "1s");

    assertThat(push.exitCode()).isEqualTo(1);
    assertThat(push.errLines()).last().asString()
        .isEqualTo("switchboard push: not sent: no peer within 1s (" + endpoint + ": connection refused (nothing "
            + "listens there))");
  }

  @Test
  void aPlainPushRefusedForItsPasswordFailsWithTheReason(@TempDir Path dir) throws IOException {
    Path users = Files.writeString(dir.resolve("users"), "alice:secret\n");
    Socket pull = context.socket(SocketType.PULL,
        SocketOptions.builder().plainServer(Authenticator.builder().plainUsersFile(users).build()).build());
    String endpoint = pull.bind("tcp://127.0.0.1:*");

    RunningCli push = RunningCli.run("x\n", "push", "--connect", endpoint, "--plain-user", "alice",
        "--plain-password", "wrong", "--timeout", "2s");

    // refused: it says so at once rather than after its 2 s
    assertThat(push.exitCode()).isEqualTo(1);
    assertThat(push.errLines()).last().asString().isEqualTo("switchboard push: not sent: " + endpoint
        + ": handshake failed: peer sent ERROR: 400 (the peer's authenticator refused us)");
  }

  @Test
  void aRefusedPortIsTheCauseOfATimeout() throws IOException {
    String endpoint = "tcp://127.0.0.1:" + refusedPort();

    RunningCli req = RunningCli.run("ping\n", "req", "--connect", endpoint, "--timeout", "1s");

    assertThat(req.exitCode()).isEqualTo(1);
    assertThat(req.errLines()).last().asString().isEqualTo("switchboard req: no message within 1s (" + endpoint
        + ": connection refused (nothing listens there))");
  }

  @Test
  void anUnknownHostIsTheCauseOfATimeout() {
    RunningCli pull = RunningCli.run("", "pull", "--connect", "tcp://no-such-host.invalid:5555", "--timeout", "1s");

    assertThat(pull.exitCode()).isEqualTo(1);
    assertThat(pull.errLines()).last().asString().isEqualTo("switchboard pull: no message within 1s "
        + "(tcp://no-such-host.invalid:5555: unknown host no-such-host.invalid)");
  }

  @Test
  void aNullClientAgainstACurveServerSaysSo() {
    Socket rep = context.socket(SocketType.REP,
        SocketOptions.builder().curveServer(CurveKeyPair.generate()).build());
    String endpoint = rep.bind("tcp://127.0.0.1:*");

    RunningCli req = RunningCli.run("ping\n", "req", "--connect", endpoint, "--timeout", "2s");

    assertThat(req.exitCode()).isEqualTo(1);
    assertThat(req.errLines()).last().asString().startsWith("switchboard req: no message within 2s (" + endpoint
        + ": handshake failed: ");
  }

  @Test
  void aWildcardConnectIsBadUsage() {
    RunningCli pull = RunningCli.run("", "pull", "--connect", "tcp://*:5555");

    assertThat(pull.exitCode()).isEqualTo(2);
    assertThat(pull.errLines()).singleElement().asString().startsWith("switchboard pull: --connect: tcp://*:5555 "
        + "(expected: a host and port to connect to");
  }

  @Test
  void repWithoutEchoAnswersItsLinesAndTakesNoRequestItCannotAnswer() {
    try (RunningCli rep = RunningCli.start("one\ntwo\n", "rep", "--bind", "tcp://127.0.0.1:*", "--no-echo")) {
      await().atMost(WAIT).until(() -> !rep.errLines().isEmpty());
      String endpoint = rep.errLines().get(0).replaceFirst(".*listening on ", "");
      Socket dealer = context.socket(SocketType.DEALER);
      dealer.connect(endpoint);
      dealer.send(Message.of("", "a"));
      dealer.send(Message.of("", "b"));
      dealer.send(Message.of("", "c"));

      assertThat(dealer.receive(WAIT)).isEqualTo(Message.of("", "one"));
      assertThat(dealer.receive(WAIT)).isEqualTo(Message.of("", "two"));
      assertThat(rep.exitCode()).isZero();
      assertThat(rep.lines()).containsExactly("a", "b");
    }
  }

  @Test
  void aBoundCommandSaysItIsReady() {
    try (RunningCli rep = RunningCli.interactive("rep", "--bind", "tcp://127.0.0.1:*")) {
      await().atMost(WAIT).until(() -> !rep.errLines().isEmpty());
      assertThat(rep.errLines().get(0)).matches("switchboard rep: listening on tcp://127\\.0\\.0\\.1:\\d+");
    }
  }

  @Test
  void aWildcardBindPrintsAsLibzmqDoes() {
    Socket pull = context.socket(SocketType.PULL);

    assertThat(pull.bind("tcp://*:*")).matches("tcp://0\\.0\\.0\\.0:\\d+");
  }

  @Test
  void benchIsInTheHelpAndTheCompletion() {
    RunningCli help = RunningCli.run("", "--help");
    RunningCli completion = RunningCli.run("", "completion");

    assertThat(help.lines()).anyMatch(l -> l.matches("\\s+bench\\s+Run the benchmarks.*"));
    assertThat(String.join("\n", completion.lines())).containsPattern("commands=\"[^\"]*\\bbench\\b");
  }

  @Test
  void anUnknownCommandGetsADidYouMean() {
    RunningCli cli = RunningCli.run("", "pusj", "--connect", "tcp://127.0.0.1:5555");

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.errLines()).containsExactly(
        "switchboard: unknown command 'pusj' (did you mean push?); see 'switchboard --help'");
  }

  @Test
  void anUnknownCommandFarFromAnyIsNamed() {
    RunningCli cli = RunningCli.run("", "frob");

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.errLines()).containsExactly("switchboard: unknown command 'frob'; see 'switchboard --help'");
  }

  @Test
  void aMistypedOptionGetsADidYouMean() {
    RunningCli cli = RunningCli.run("", "pull", "--conect", "tcp://127.0.0.1:5555");

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.errLines()).containsExactly(
        "switchboard pull: unknown option --conect (did you mean --connect?); see 'switchboard pull --help'");
  }

  @Test
  void aMissingCertificateSaysTheFileIsMissing(@TempDir Path dir) {
    Path missing = dir.resolve("server.key_secret");

    RunningCli cli = RunningCli.run("", "rep", "--bind", "tcp://127.0.0.1:*", "--curve-server", missing.toString());

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.errLines()).singleElement().asString()
        .startsWith("switchboard rep: --curve-server: " + missing + ": no such file (expected: ");
  }

  @Test
  void keygenIntoAMissingDirectorySaysSoWithoutAJavaName(@TempDir Path dir) {
    Path out = dir.resolve("nodir").resolve("x");

    RunningCli cli = RunningCli.run("", "keygen", "--out", out.toString());

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.errLines()).singleElement().asString()
        .startsWith("switchboard keygen: --out: " + out + " (the directory " + out.getParent() + " does not exist")
        .doesNotContain("Exception");
  }

  @Test
  void aNumberThatIsNotOneIsSaidSo() {
    RunningCli cli = RunningCli.run("", "pull", "--connect", "tcp://127.0.0.1:5555", "-n", "many");

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.errLines()).containsExactly(
        "switchboard pull: --count: 'many' (expected: a whole number); see 'switchboard pull --help'");
  }

  @Test
  void noEndpointSaysWhatIsMissing() {
    RunningCli cli = RunningCli.run("", "pull");

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.errLines()).singleElement().asString()
        .startsWith("switchboard pull: missing --bind or --connect (expected: ");
  }
}
