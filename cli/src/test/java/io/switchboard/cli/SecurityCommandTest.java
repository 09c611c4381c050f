package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.socket.security.CurveCertificate;
import io.switchboard.socket.security.CurveKeyPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code switchboard keygen}, and the CURVE and PLAIN options of the socket commands, end to end in-process. */
class SecurityCommandTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String ANY_PORT = "tcp://127.0.0.1:*";
  private static final String LISTENING = ": listening on ";

  @TempDir Path dir;

  // ---- keygen ----

  @Test
  void keygenWritesCertificatesThatLoadBack() throws IOException {
    RunningCli keygen = RunningCli.run("", "keygen", "--out", dir.resolve("server").toString());

    assertThat(keygen.exitCode()).isZero();
    CurveCertificate secret = CurveCertificate.load(dir.resolve("server.key_secret"));
    CurveCertificate shared = CurveCertificate.load(dir.resolve("server.key"));
    assertThat(secret.keyPair()).isPresent();
    assertThat(shared.keyPair()).isEmpty();
    assertThat(shared.publicKeyZ85()).isEqualTo(secret.publicKeyZ85());
    assertThat(keygen.lines()).containsExactly("public: " + shared.publicKeyZ85());
    assertThat(keygen.errLines()).singleElement().asString()
        .startsWith("switchboard keygen: wrote ").contains("server.key", "server.key_secret");
    assertThat(Files.readString(dir.resolve("server.key"))).doesNotContain("secret-key");
    assertThat(Files.getPosixFilePermissions(dir.resolve("server.key_secret")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void keygenRefusesToOverwriteEitherFile() throws IOException {
    assertThat(RunningCli.run("", "keygen", "--out", dir.resolve("server").toString()).exitCode()).isZero();
    String before = Files.readString(dir.resolve("server.key_secret"));
    Files.writeString(dir.resolve("half.key_secret"), "not mine");

    RunningCli again = RunningCli.run("", "keygen", "--out", dir.resolve("server").toString());
    RunningCli half = RunningCli.run("", "keygen", "--out", dir.resolve("half").toString());

    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.errLines()).singleElement().asString()
        .startsWith("switchboard keygen: ").contains("server.key exists; not overwritten");
    assertThat(again.lines()).isEmpty();
    assertThat(Files.readString(dir.resolve("server.key_secret"))).isEqualTo(before);
    assertThat(half.exitCode()).isEqualTo(1);
    assertThat(half.errLines()).singleElement().asString().contains("half.key_secret exists");
    assertThat(dir.resolve("half.key")).doesNotExist();
  }

  @Test
  void keygenPrintsAMatchingKeyPair() {
    RunningCli keygen = RunningCli.run("", "keygen");

    assertThat(keygen.exitCode()).isZero();
    assertThat(keygen.lines()).hasSize(2);
    assertThat(keygen.lines().get(0)).matches("public: .{40}");
    assertThat(keygen.lines().get(1)).matches("secret: .{40}");
    String publicKey = keygen.lines().get(0).substring("public: ".length());
    String secretKey = keygen.lines().get(1).substring("secret: ".length());
    assertThat(CurveKeyPair.fromSecretKey(secretKey).publicKeyZ85()).isEqualTo(publicKey);
    assertThat(keygen.errLines()).isEmpty();
  }

  @Test
  void keygenPrintsJson() {
    RunningCli keygen = RunningCli.run("", "keygen", "--json");

    assertThat(keygen.exitCode()).isZero();
    Matcher m = Pattern.compile("\\{\"public\":\"(.{40})\",\"secret\":\"(.{40})\"}")
        .matcher(keygen.lines().get(0));
    assertThat(m.matches()).as(keygen.lines().get(0)).isTrue();
    assertThat(CurveKeyPair.fromSecretKey(m.group(2)).publicKeyZ85()).isEqualTo(m.group(1));
    assertThat(keygen.lines()).hasSize(1);
  }

  @Test
  void keygenHelpHasExamples() {
    RunningCli help = RunningCli.run("", "keygen", "--help");

    assertThat(help.exitCode()).isZero();
    assertThat(String.join("\n", help.lines()))
        .contains("Usage: switchboard keygen", "--out", "--json", "Examples:", "switchboard keygen --out server");
  }

  // ---- CURVE ----

  @Test
  void curveReqAndRepCommandsRoundTripALine() {
    String serverKey = keygen("server");
    keygen("client");
    Path clients = allowed("client");

    try (RunningCli rep = RunningCli.interactive("rep", "--bind", ANY_PORT, "-n", "1",
        "--curve-server", path("server.key_secret"), "--curve-allow", clients.toString())) {
      RunningCli req = RunningCli.run("hello\tcurve\n", "req", "--connect", listeningOn(rep), "--timeout", "10s",
          "--curve-client", path("client.key_secret"), "--curve-serverkey", serverKey);

      assertThat(req.exitCode()).isZero();
      assertThat(req.lines()).containsExactly("hello\tcurve");
      assertThat(req.errLines()).isEmpty();
      assertThat(rep.exitCode()).isZero();
      assertThat(rep.lines()).containsExactly("hello\tcurve");
    }
  }

  @Test
  void curveClientNotInTheAllowedDirectoryIsRefused() {
    String serverKey = keygen("server");
    keygen("client");
    keygen("stranger");
    Path clients = allowed("client");

    try (RunningCli rep = RunningCli.interactive("rep", "--bind", ANY_PORT,
        "--curve-server", path("server.key_secret"), "--curve-allow", clients.toString())) {
      RunningCli req = RunningCli.run("let me in\n", "req", "--connect", listeningOn(rep), "--timeout", "2s",
          "--linger", "0s", "--curve-client", path("stranger.key_secret"), "--curve-serverkey", serverKey);

      assertThat(req.exitCode()).isEqualTo(1);
      assertThat(req.lines()).isEmpty();
      assertThat(req.errLines()).last().asString().startsWith("switchboard req: no message within 2s (")
          .contains(": handshake failed: ");
      // the server says whom it refused, once, however often the client retries
      await().atMost(WAIT).until(rep::errLines, lines -> lines.stream().anyMatch(l -> l.contains("is not allowed")));
      assertThat(rep.errLines()).filteredOn(l -> l.contains("is not allowed")).singleElement().asString()
          .startsWith("switchboard rep: tcp://").contains(": handshake failed: CURVE client key ");
      assertThat(rep.lines()).isEmpty();
    }
  }

  @Test
  void curveClientCopiedIntoTheAllowedDirectoryGetsInWithoutARestart() throws IOException {
    String serverKey = keygen("server");
    keygen("newcomer");
    Path clients = allowed();

    try (RunningCli rep = RunningCli.interactive("rep", "--bind", ANY_PORT, "-n", "1",
        "--curve-server", path("server.key_secret"), "--curve-allow", clients.toString())) {
      String endpoint = listeningOn(rep);
      RunningCli refused = RunningCli.run("early\n", "req", "--connect", endpoint, "--timeout", "2s",
          "--linger", "0s", "--curve-client", path("newcomer.key_secret"), "--curve-serverkey", serverKey);
      assertThat(refused.exitCode()).isEqualTo(1);

      Files.copy(dir.resolve("newcomer.key"), clients.resolve("newcomer.key"));
      // The watcher rereads the directory shortly after the change; retry until the new rules are in.
      await().atMost(Duration.ofSeconds(20)).until(() -> RunningCli.run("welcome\n", "req", "--connect", endpoint, "--timeout", "2s",
          "--linger", "0s", "--curve-client", path("newcomer.key_secret"), "--curve-serverkey", serverKey)
          .exitCode() == 0);
      assertThat(rep.exitCode()).isZero();
      assertThat(rep.lines()).containsExactly("welcome");
    }
  }

  @Test
  void curveServerWithoutAllowListAdmitsAnyClientThatKnowsItsKey() {
    keygen("server");
    keygen("anyone");

    try (RunningCli pull = RunningCli.interactive("pull", "--bind", ANY_PORT, "-n", "1",
        "--curve-server", path("server.key_secret"))) {
      // --curve-serverkey also takes the server's public certificate file
      RunningCli push = RunningCli.run("sealed\n", "push", "--connect", listeningOn(pull),
          "--curve-client", path("anyone.key_secret"), "--curve-serverkey", path("server.key"));

      assertThat(push.exitCode()).isZero();
      assertThat(pull.exitCode()).isZero();
      assertThat(pull.lines()).containsExactly("sealed");
    }
  }

  @Test
  void curveServerKeyFileIsReadAsAFileEvenWhenItsPathIsFortyCharactersLong() throws IOException {
    // Forty characters of a path are valid Z85 too: read as a key, they made a wrong server key and the HELLO box
    // failed. The test above met that whenever its temporary directory's name gave such a path.
    keygen("server");
    keygen("client");
    Path forty = Path.of("target", "s".repeat(40 - "target/".length() - ".key".length()) + ".key");
    assertThat(forty.toString()).hasSize(40);
    Files.copy(dir.resolve("server.key"), forty, StandardCopyOption.REPLACE_EXISTING);

    try (RunningCli pull = RunningCli.interactive("pull", "--bind", ANY_PORT, "-n", "1",
        "--curve-server", path("server.key_secret"))) {
      RunningCli push = RunningCli.run("sealed\n", "push", "--connect", listeningOn(pull), "--timeout", "10s",
          "--curve-client", path("client.key_secret"), "--curve-serverkey", forty.toString());

      assertThat(push.exitCode()).isZero();
      assertThat(pull.exitCode()).isZero();
      assertThat(pull.lines()).containsExactly("sealed");
    } finally {
      Files.delete(forty);
    }
  }

  @Test
  void pushRefusedByTheServerFailsWithTheReasonInsteadOfWaiting() {
    keygen("server");
    keygen("impostor");
    keygen("client");

    try (RunningCli pull = RunningCli.interactive("pull", "--bind", ANY_PORT,
        "--curve-server", path("server.key_secret"))) {
      // no --timeout: the refusal ends the wait, not a clock
      RunningCli push = RunningCli.run("sealed\n", "push", "--connect", listeningOn(pull), "--linger", "0s",
          "--curve-client", path("client.key_secret"), "--curve-serverkey", path("impostor.key"));

      assertThat(push.exitCode()).isEqualTo(1);
      assertThat(push.errLines()).last().asString()
          .startsWith("switchboard push: not sent: tcp://")
          .contains("handshake failed: peer sent ERROR: CURVE: the HELLO box failed authentication");
      assertThat(pull.lines()).isEmpty();
    }
  }

  // ---- PLAIN ----

  @Test
  void plainReqAndRepWithAUsersFile() throws IOException {
    Path users = Files.writeString(dir.resolve("users"), "# who may come in\nalice:secret\nbob:builder\n");

    try (RunningCli rep = RunningCli.interactive("rep", "--bind", ANY_PORT, "-n", "1",
        "--plain-server", users.toString())) {
      RunningCli req = RunningCli.run("hi from alice\n", "req", "--connect", listeningOn(rep), "--timeout", "10s",
          "--plain-user", "alice", "--plain-password", "secret");

      assertThat(req.exitCode()).isZero();
      assertThat(req.lines()).containsExactly("hi from alice");
      assertThat(rep.exitCode()).isZero();
      assertThat(rep.lines()).containsExactly("hi from alice");
    }
  }

  @Test
  void plainWithAWrongPasswordIsRefused() throws IOException {
    Path users = Files.writeString(dir.resolve("users"), "alice:secret\n");

    try (RunningCli rep = RunningCli.interactive("rep", "--bind", ANY_PORT, "--plain-server", users.toString())) {
      RunningCli req = RunningCli.run("guess\n", "req", "--connect", listeningOn(rep), "--timeout", "2s",
          "--linger", "0s", "--plain-user", "alice", "--plain-password", "guess");

      assertThat(req.exitCode()).isEqualTo(1);
      assertThat(req.lines()).isEmpty();
      assertThat(req.errLines()).last().asString().startsWith("switchboard req: no message within 2s (")
          .contains(": handshake failed: ");
      await().atMost(WAIT).until(rep::errLines, lines -> lines.stream().anyMatch(l -> l.contains("wrong password")));
      assertThat(rep.errLines()).filteredOn(l -> l.contains("wrong password")).singleElement().asString()
          .matches("switchboard rep: tcp://\\S+ from \\S+: handshake failed: PLAIN user alice: wrong password "
              + "\\(from 127\\.0\\.0\\.1\\)");
      assertThat(rep.lines()).isEmpty();
    }
  }

  // ---- usage ----

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "--curve-server DIR/server.key_secret --plain-user a --plain-password b"
        + "| --curve-server and --plain-user cannot be used together (expected: one security mechanism per socket",
    "--plain-server DIR/users --curve-client DIR/server.key_secret --curve-serverkey DIR/server.key"
        + "| --curve-client and --plain-server cannot be used together",
    "--curve-allow DIR | --curve-allow needs --curve-server",
    "--curve-client DIR/server.key_secret | --curve-client needs --curve-serverkey",
    "--curve-serverkey DIR/server.key | --curve-serverkey needs --curve-client",
    "--plain-user alice | --plain-user needs --plain-password",
    "--plain-password secret | --plain-password needs --plain-user",
    "--curve-server DIR/server.key | --curve-server: DIR/server.key has no secret key (expected: a secret cert",
    "--curve-server DIR/missing.key_secret | --curve-server: DIR/missing.key_secret: no such file (expected: a "
        + "secret certificate",
    "--curve-server DIR/server.key_secret --curve-allow DIR/missing | --curve-allow: DIR/missing: no such directory "
        + "(expected: a dir",
    "--curve-client DIR/server.key_secret --curve-serverkey tooShort"
        + "| --curve-serverkey: 'tooShort' (expected: the server's public key, 40 characters of Z85",
    "--curve-client DIR/server.key_secret --curve-serverkey 0000000000000000000000000000000000000~~~"
        + "| --curve-serverkey: '0000000000000000000000000000000000000~~~' (expected: the server's public key",
    "--plain-server DIR/missing | --plain-server: DIR/missing: no such file (expected: a file of user:password lines)",
    "--plain-server DIR/bad-users | usersFile: DIR/bad-users line 1 (expected: user:password)",
    "--plain-server DIR/users --plain-server DIR/users"
        + "| --plain-server given more than once (expected: once)",
  })
  void badSecurityOptionsExitWithStatusTwoAndOneLine(String options, String expected) throws IOException {
    keygen("server");
    Files.writeString(dir.resolve("users"), "alice:secret\n");
    Files.writeString(dir.resolve("bad-users"), "no colon here\n");
    List<String> args = new ArrayList<>(List.of("req", "--connect", "tcp://127.0.0.1:5555"));
    for (String option : options.split(" ")) {
      args.add(option.equals("DIR") ? dir.toString() : option.replace("DIR/", dir + "/"));
    }

    RunningCli cli = RunningCli.run("", args.toArray(new String[0]));

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.lines()).isEmpty();
    assertThat(cli.errLines()).singleElement().asString()
        .startsWith("switchboard req: " + expected.replace("DIR/", dir + "/"))
        .endsWith("; see 'switchboard req --help'");
  }

  // ---- helpers ----

  /** Runs {@code keygen --out DIR/name} and returns the public key it printed. */
  private String keygen(String name) {
    RunningCli keygen = RunningCli.run("", "keygen", "--out", path(name));
    assertThat(keygen.exitCode()).as("keygen %s: %s", name, keygen.errLines()).isZero();
    return keygen.lines().get(0).substring("public: ".length());
  }

  /** A directory of allowed clients holding their public certificates. */
  private Path allowed(String... names) {
    try {
      Path clients = Files.createDirectories(dir.resolve("clients"));
      for (String name : names) {
        Files.copy(dir.resolve(name + ".key"), clients.resolve(name + ".key"));
      }
      return clients;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private String path(String name) {
    return dir.resolve(name).toString();
  }

  /** The endpoint a command bound to an ephemeral port reports on standard error. */
  private static String listeningOn(RunningCli cli) {
    await().atMost(WAIT).until(cli::errLines, lines -> lines.stream().anyMatch(l -> l.contains(LISTENING)));
    String line = cli.errLines().stream().filter(l -> l.contains(LISTENING)).findFirst().orElseThrow();
    return line.substring(line.indexOf(LISTENING) + LISTENING.length());
  }
}
