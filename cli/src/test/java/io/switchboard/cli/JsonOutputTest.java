package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --json}: one JSON object per message per line; text frames as strings, others as {"hex": ...}. */
class JsonOutputTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String ANY_PORT = "tcp://127.0.0.1:*";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @AutoClose private final Context context = new Context();

  @Test
  void textFramesAreStrings() {
    assertThat(JsonOutput.toJson(Message.of("a", "b"))).isEqualTo("{\"frames\":[\"a\",\"b\"]}");
  }

  @Test
  void framesThatAreNotUtf8AreHex() {
    assertThat(JsonOutput.toJson(Message.of(new byte[] {0, (byte) 0x80, 0, 0, 1}, "hi".getBytes())))
        .isEqualTo("{\"frames\":[{\"hex\":\"0080000001\"},\"hi\"]}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"nul\u0000", "\u0001news", "bell\u0007", "del\u007f", "c1\u0085"})
  void utf8WithOtherControlCharactersIsHexAsItIsBinary(String text) {
    byte[] frame = text.getBytes(StandardCharsets.UTF_8);

    assertThat(JsonOutput.toJson(Message.of(frame)))
        .isEqualTo("{\"frames\":[{\"hex\":\"" + HexFormat.of().formatHex(frame) + "\"}]}");
  }

  @Test
  void anEmptyFrameIsAnEmptyString() {
    assertThat(JsonOutput.toJson(Message.of("", "x"))).isEqualTo("{\"frames\":[\"\",\"x\"]}");
  }

  /** Unlike the printable form, JSON carries text with TABs and line breaks, and hex look-alikes, as strings. */
  @ParameterizedTest
  @ValueSource(strings = {"quote \" and backslash \\", "tab\tnewline\nreturn\r", "0xab", "",
      "é ü 雨 😀", "</script>", "\u2028\u2029"})
  void anyTextRoundTripsOnOneLine(String text) throws Exception {
    String json = JsonOutput.toJson(Message.of(text, "second"));

    assertThat(json).doesNotContain("\n", "\r");
    JsonNode frames = MAPPER.readTree(json).get("frames");
    assertThat(frames).hasSize(2);
    assertThat(frames.get(0).textValue()).isEqualTo(text);
    assertThat(frames.get(1).textValue()).isEqualTo("second");
  }

  @Test
  void pullPrintsOneJsonObjectPerMessagePerLine() {
    Socket push = context.socket(SocketType.PUSH);
    String endpoint = push.bind(ANY_PORT);

    try (RunningCli pull = RunningCli.interactive("pull", "--connect", endpoint, "-n", "3", "--json")) {
      assertThat(push.send(Message.of("x"), WAIT)).isTrue();
      assertThat(push.send(Message.of("a", "b\tc"), WAIT)).isTrue();
      assertThat(push.send(Message.of(new byte[] {0, 1, (byte) 0xff}), WAIT)).isTrue();

      assertThat(pull.exitCode()).isZero();
      assertThat(pull.lines()).containsExactly(
          "{\"frames\":[\"x\"]}",
          "{\"frames\":[\"a\",\"b\\tc\"]}",
          "{\"frames\":[{\"hex\":\"0001ff\"}]}");
    }
  }

  @Test
  void reqPrintsRepliesAsJson() {
    Socket rep = context.socket(SocketType.REP);
    String endpoint = rep.bind(ANY_PORT);
    Thread server = new Thread(() -> rep.send(Message.of("re:" + rep.receive(WAIT).join("|"))));
    server.start();

    RunningCli req = RunningCli.run("a\tb\n", "req", "--connect", endpoint, "--json");

    assertThat(req.exitCode()).isZero();
    assertThat(req.lines()).containsExactly("{\"frames\":[\"re:a|b\"]}");
  }

  @Test
  void routerPrintsTheRoutingIdAsTheFirstFrame() {
    Socket dealer = context.socket(SocketType.DEALER);
    String endpoint = dealer.bind(ANY_PORT);

    try (RunningCli router = RunningCli.interactive("router", "--connect", endpoint, "-n", "1", "--json")) {
      assertThat(dealer.send(Message.of("hello"), WAIT)).isTrue();

      assertThat(router.exitCode()).isZero();
      assertThat(router.lines()).singleElement().asString()
          .matches("\\{\"frames\":\\[\\{\"hex\":\"[0-9a-f]+\"},\"hello\"]}");
    }
  }

  @Test
  void subPrintsJson() {
    Socket pub = context.socket(SocketType.PUB);
    String endpoint = pub.bind(ANY_PORT);

    try (RunningCli sub = RunningCli.interactive("sub", "--connect", endpoint, "-n", "1", "--json")) {
      await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
        pub.send(Message.of("news", "rain"));
        return sub.isDone();
      });

      assertThat(sub.exitCode()).isZero();
      assertThat(sub.lines()).containsExactly("{\"frames\":[\"news\",\"rain\"]}");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sub", "pull", "req", "rep", "dealer", "router", "pair", "xpub", "xsub"})
  void everyReceivingCommandHasJson(String command) {
    RunningCli cli = RunningCli.run("", command, "--help");

    assertThat(cli.exitCode()).isZero();
    assertThat(String.join("\n", cli.lines())).contains("--json");
  }

  @ParameterizedTest
  @ValueSource(strings = {"pub", "push"})
  void sendOnlyCommandsHaveNoJson(String command) {
    RunningCli cli = RunningCli.run("", command, "--connect", "tcp://127.0.0.1:5555", "--json");

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.errLines()).singleElement().asString().contains("--json");
  }
}
