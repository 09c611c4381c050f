package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real thing: the fat jar run by {@code java -jar} in a process of its own. */
class CliProcessIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Pattern LISTENING = Pattern.compile("switchboard pull: listening on (tcp://127\\.0\\.0\\.1:\\d+)");

  private final Context context = new Context();
  private final CliProcesses processes = new CliProcesses();

  /** Stops the processes before the context closes its sockets to them. */
  @AfterEach
  void cleanUp() {
    processes.close();
    context.close();
  }

  @Test
  void pullPrintsWhatItIsSentAndExitsAtCount() throws Exception {
    Process pull = start("pull", "--bind", "tcp://127.0.0.1:*", "-n", "2");
    pull.getOutputStream().close();
    BufferedReader err = reader(pull.getErrorStream());
    Matcher listening = LISTENING.matcher(String.valueOf(err.readLine()));
    assertThat(listening.matches()).as("the first line on stderr names the endpoint").isTrue();

    Socket push = context.socket(SocketType.PUSH);
    push.connect(listening.group(1));
    push.send(Message.of("hello"));
    push.send(Message.of("a", "b"));

    BufferedReader out = reader(pull.getInputStream());
    assertThat(out.readLine()).isEqualTo("hello");
    assertThat(out.readLine()).isEqualTo("a\tb");
    assertThat(out.readLine()).isNull();
    assertThat(exitCode(pull)).isZero();
  }

  @Test
  void pushDeliversEverythingBeforeExitingAtTheEndOfInput() throws Exception {
    Socket pull = context.socket(SocketType.PULL);
    String endpoint = pull.bind("tcp://127.0.0.1:*");

    Process push = start("push", "--connect", endpoint);
    try (OutputStream in = push.getOutputStream()) {
      in.write("first\nsecond\tframe\n".getBytes(StandardCharsets.UTF_8));
    }

    assertThat(exitCode(push)).isZero();
    assertThat(pull.receive(WAIT)).isEqualTo(Message.of("first"));
    assertThat(pull.receive(WAIT)).isEqualTo(Message.of("second", "frame"));
  }

  @Test
  void aBadEndpointExitsWithStatusTwoAndOneLine() throws Exception {
    Process pull = start("pull", "--bind", "tcp://nowhere");
    pull.getOutputStream().close();

    assertThat(exitCode(pull)).isEqualTo(2);
    assertThat(reader(pull.getErrorStream()).lines()).singleElement().asString()
        .startsWith("switchboard pull: --bind: endpoint: tcp://nowhere (expected: ");
  }

  private Process start(String... args) throws IOException {
    return processes.start(args);
  }

  private static int exitCode(Process process) throws InterruptedException {
    return CliProcess.exitCode(process, WAIT);
  }

  private static BufferedReader reader(InputStream in) {
    return CliProcess.reader(in);
  }
}
