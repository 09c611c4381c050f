package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The socket commands against Switchboard sockets that the test binds on ephemeral ports. */
class SocketCommandTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String ANY_PORT = "tcp://127.0.0.1:*";

  @AutoClose private final Context context = new Context();

  @Test
  void pushSendsEachLineAsAMessageAndTabsSeparateFrames() {
    Socket pull = context.socket(SocketType.PULL);
    String endpoint = pull.bind(ANY_PORT);

    RunningCli push = RunningCli.run("hello\na\tb\tc\n\nlast", "push", "--connect", endpoint);

    assertThat(push.exitCode()).isZero();
    assertThat(pull.receive(WAIT)).isEqualTo(Message.of("hello"));
    assertThat(pull.receive(WAIT)).isEqualTo(Message.of("a", "b", "c"));
    assertThat(pull.receive(WAIT)).isEqualTo(Message.of(""));
    assertThat(pull.receive(WAIT)).isEqualTo(Message.of("last"));
    assertThat(push.errLines()).isEmpty();
  }

  @Test
  void pullPrintsEachMessageAsALineAndStopsAtCount() {
    Socket push = context.socket(SocketType.PUSH);
    String endpoint = push.bind(ANY_PORT);

    try (RunningCli pull = RunningCli.interactive("pull", "--connect", endpoint, "-n", "3")) {
      assertThat(push.send(Message.of("x"), WAIT)).isTrue();
      assertThat(push.send(Message.of("a", "b"), WAIT)).isTrue();
      assertThat(push.send(Message.of(new byte[] {0, 1, (byte) 0xff}), WAIT)).isTrue();
      assertThat(push.send(Message.of("not printed"), WAIT)).isTrue();

      assertThat(pull.exitCode()).isZero();
      assertThat(pull.lines()).containsExactly("x", "a\tb", "0x0001ff");
    }
  }

  @Test
  void pushStopsAtCount() {
    Socket pull = context.socket(SocketType.PULL);
    String endpoint = pull.bind(ANY_PORT);

    RunningCli push = RunningCli.run("1\n2\n3\n", "push", "--connect", endpoint, "--count", "2");

    assertThat(push.exitCode()).isZero();
    assertThat(pull.receive(WAIT)).isEqualTo(Message.of("1"));
    assertThat(pull.receive(WAIT)).isEqualTo(Message.of("2"));
    assertThat(pull.receive(Duration.ofMillis(300))).isNull();
  }

  @Test
  void subPrintsOnlyWhatMatchesItsSubscriptions() {
    Socket pub = context.socket(SocketType.PUB);
    String endpoint = pub.bind(ANY_PORT);

    try (RunningCli sub = RunningCli.interactive(
        "sub", "--connect", endpoint, "--subscribe", "news", "--subscribe", "sport", "-n", "4")) {
      // PUB drops until the subscription has arrived, so publish until the command has seen enough.
      await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
        pub.send(Message.of("weather", "sunny"));
        pub.send(Message.of("news", "rain"));
        pub.send("sport");
        return sub.isDone();
      });

      assertThat(sub.exitCode()).isZero();
      assertThat(sub.lines()).hasSize(4).allMatch(line -> line.equals("news\train") || line.equals("sport"));
    }
  }

  @Test
  void subWithoutSubscribeReceivesEverything() {
    Socket pub = context.socket(SocketType.PUB);
    String endpoint = pub.bind(ANY_PORT);

    try (RunningCli sub = RunningCli.interactive("sub", "--connect", endpoint, "-n", "1")) {
      await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
        pub.send("anything");
        return sub.isDone();
      });

      assertThat(sub.exitCode()).isZero();
      assertThat(sub.lines()).containsExactly("anything");
    }
  }

  @Test
  void reqSendsEachLineAndPrintsTheReply() {
    Socket rep = context.socket(SocketType.REP);
    String endpoint = rep.bind(ANY_PORT);
    CompletableFuture<Void> server = CompletableFuture.runAsync(() -> {
      for (int i = 0; i < 2; i++) {
        rep.send(Message.of("re:" + rep.receive(WAIT).join("|")));
      }
    });

    RunningCli req = RunningCli.run("hello\na\tb\n", "req", "--connect", endpoint);

    assertThat(req.exitCode()).isZero();
    assertThat(req.lines()).containsExactly("re:hello", "re:a|b");
    server.join();
  }

  @Test
  void repEchoesEachRequestAndPrintsIt() {
    Socket req = context.socket(SocketType.REQ);
    String endpoint = req.bind(ANY_PORT);

    try (RunningCli rep = RunningCli.interactive("rep", "--connect", endpoint, "-n", "2")) {
      assertThat(req.send(Message.of("ping"), WAIT)).isTrue();
      assertThat(req.receive(WAIT)).isEqualTo(Message.of("ping"));
      assertThat(req.send(Message.of("two", "frames"), WAIT)).isTrue();
      assertThat(req.receive(WAIT)).isEqualTo(Message.of("two", "frames"));

      assertThat(rep.exitCode()).isZero();
      assertThat(rep.lines()).containsExactly("ping", "two\tframes");
    }
  }

  @Test
  void repWithNoEchoRepliesWithStandardInput() {
    Socket req = context.socket(SocketType.REQ);
    String endpoint = req.bind(ANY_PORT);

    try (RunningCli rep = RunningCli.start("first\nsecond\n", "rep", "--connect", endpoint, "--no-echo")) {
      assertThat(req.send(Message.of("a"), WAIT)).isTrue();
      assertThat(req.receive(WAIT)).isEqualTo(Message.of("first"));
      assertThat(req.send(Message.of("b"), WAIT)).isTrue();
      assertThat(req.receive(WAIT)).isEqualTo(Message.of("second"));
      // offered if rep is still connected; rep may also have left already, and then nobody takes it
      req.send(Message.of("c"), Duration.ofMillis(500));

      assertThat(rep.exitCode()).isZero(); // at the end of its replies, without taking c, which it cannot answer
      assertThat(rep.lines()).containsExactly("a", "b");
    }
  }

  @Test
  void reqAndRepCommandsTalkToEachOther(@TempDir Path dir) {
    String endpoint = "ipc://" + dir.resolve("echo.ipc");

    try (RunningCli rep = RunningCli.interactive("rep", "--bind", endpoint, "-n", "2")) {
      RunningCli req = RunningCli.run("one\ntwo\tframes\n", "req", "--connect", endpoint, "--timeout", "10s");

      assertThat(req.exitCode()).isZero();
      assertThat(req.lines()).containsExactly("one", "two\tframes");
      assertThat(rep.exitCode()).isZero();
      assertThat(rep.lines()).containsExactly("one", "two\tframes");
    }
  }

  @Test
  void routerPrintsTheRoutingIdAndRoutesLinesByIt() {
    Socket dealer = context.socket(SocketType.DEALER,
        SocketOptions.builder().identity("peer-1".getBytes(StandardCharsets.UTF_8)).build());
    String endpoint = dealer.bind(ANY_PORT);

    try (RunningCli router = RunningCli.interactive("router", "--connect", endpoint, "-n", "2")) {
      assertThat(dealer.send(Message.of("hello"), WAIT)).isTrue();
      await().atMost(WAIT).until(router::lines, lines -> lines.contains("peer-1\thello"));

      router.write("peer-1\treply\tframes\n");
      assertThat(dealer.receive(WAIT)).isEqualTo(Message.of("reply", "frames"));

      dealer.send(Message.of("bye"));
      assertThat(router.exitCode()).isZero();
      assertThat(router.lines()).containsExactly("peer-1\thello", "peer-1\tbye");
    }
  }

  @Test
  void routerAcceptsTheRoutingIdsItPrints() {
    Socket dealer = context.socket(SocketType.DEALER);
    String endpoint = dealer.bind(ANY_PORT);

    try (RunningCli router = RunningCli.interactive("router", "--connect", endpoint, "-n", "2")) {
      assertThat(dealer.send(Message.of("hello"), WAIT)).isTrue();
      await().atMost(WAIT).until(router::lines, lines -> !lines.isEmpty());
      String id = router.lines().get(0).split("\t")[0];

      router.write(id + "\treply\n");

      assertThat(dealer.receive(WAIT)).isEqualTo(Message.of("reply"));
      dealer.send(Message.of("bye"));
      assertThat(router.exitCode()).isZero();
      assertThat(router.lines()).containsExactly(id + "\thello", id + "\tbye");
    }
  }

  @Test
  void routerHoldsALineForAnAbsentPeerAndCarriesOnWithTheOthers() {
    Socket dealer = context.socket(SocketType.DEALER,
        SocketOptions.builder().identity("known".getBytes(StandardCharsets.UTF_8)).build());
    String endpoint = dealer.bind(ANY_PORT);

    try (RunningCli router = RunningCli.interactive("router", "--connect", endpoint, "-n", "2")) {
      assertThat(dealer.send(Message.of("hello"), WAIT)).isTrue();
      await().atMost(WAIT).until(router::lines, lines -> !lines.isEmpty());

      router.write("nobody\tlost\n");
      await().atMost(WAIT).until(router::errLines, lines -> lines.size() == 1);
      router.write("known\tfound\n");

      assertThat(dealer.receive(WAIT)).isEqualTo(Message.of("found"));
      dealer.send(Message.of("bye"));
      assertThat(router.exitCode()).isZero();
      assertThat(router.errLines()).containsExactly(
          "switchboard router: no peer with routing id nobody yet; its lines wait for it",
          "switchboard router: 1 line(s) not sent: their peers never connected (nobody)");
    }
  }

  @Test
  void pairSendsAndReceivesAtOnce() {
    Socket pair = context.socket(SocketType.PAIR);
    String endpoint = pair.bind(ANY_PORT);

    try (RunningCli cli = RunningCli.interactive("pair", "--connect", endpoint, "-n", "1")) {
      cli.write("hi\tthere\n");
      assertThat(pair.receive(WAIT)).isEqualTo(Message.of("hi", "there"));
      pair.send(Message.of("yo"));

      assertThat(cli.exitCode()).isZero();
      assertThat(cli.lines()).containsExactly("yo");
    }
  }

  @Test
  void timeoutExitsWithStatusOne() {
    Socket push = context.socket(SocketType.PUSH);
    String endpoint = push.bind(ANY_PORT);

    RunningCli pull = RunningCli.run("", "pull", "--connect", endpoint, "--timeout", "200ms");

    assertThat(pull.exitCode()).isEqualTo(1);
    assertThat(pull.errLines()).containsExactly("switchboard pull: no message within 200ms");
  }

  @Test
  void reqTimeoutExitsWithStatusOne() {
    Socket rep = context.socket(SocketType.REP);
    String endpoint = rep.bind(ANY_PORT);

    RunningCli req = RunningCli.run("unanswered\n", "req", "--connect", endpoint, "--timeout", "300ms");

    assertThat(req.exitCode()).isEqualTo(1);
    assertThat(req.errLines()).hasSize(1);
  }

  @Test
  void bindingAnEndpointInUseExitsWithStatusTwo() {
    Socket pull = context.socket(SocketType.PULL);
    String endpoint = pull.bind(ANY_PORT);

    RunningCli cli = RunningCli.run("", "pull", "--bind", endpoint);

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.errLines()).hasSize(1).allMatch(line -> line.startsWith("switchboard pull: "));
  }

  @Test
  void listeningOnAnEphemeralPortPrintsTheEndpoint() {
    try (RunningCli pull = RunningCli.interactive("pull", "--bind", ANY_PORT, "-n", "1")) {
      await().atMost(WAIT).until(pull::errLines, lines -> !lines.isEmpty());
      List<String> err = pull.errLines();
      assertThat(err).singleElement().asString().startsWith("switchboard pull: listening on tcp://127.0.0.1:");
      String endpoint = err.get(0).substring("switchboard pull: listening on ".length());

      Socket push = context.socket(SocketType.PUSH);
      push.connect(endpoint);
      push.send(Message.of("found"));

      assertThat(pull.exitCode()).isZero();
      assertThat(pull.lines()).containsExactly("found");
    }
  }
}
