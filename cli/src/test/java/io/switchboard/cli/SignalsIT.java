package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketType;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long-running commands stopped by SIGTERM or Ctrl-C (SIGINT) close cleanly and exit as their help says (143, 130):
 * ipc files removed, a proxy's statistics printed, workers stopped; SIGUSR1 makes a proxy print its statistics.
 */
class SignalsIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Pattern LISTENING =
      Pattern.compile("switchboard proxy: listening: frontend pull@(\\S+), backend push@(\\S+)");

  private final Context context = new Context();
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    processes.forEach(p -> {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    });
    context.close();
  }

  @Test
  void aProxyPrintsItsStatisticsOnSigusr1AndWhenSigtermStopsIt() throws Exception {
    Process proxy = start("proxy", "--frontend", "pull@tcp://127.0.0.1:*", "--backend", "push@tcp://127.0.0.1:*");
    BlockingQueue<String> err = CliProcess.lines(proxy.getErrorStream());
    Matcher listening = LISTENING.matcher(next(err));
    assertThat(listening.matches()).isTrue();
    Socket push = context.socket(SocketType.PUSH);
    push.connect(listening.group(1));
    Socket pull = context.socket(SocketType.PULL);
    pull.connect(listening.group(2));
    push.send(Message.of("through"));
    assertThat(pull.receive(WAIT)).isEqualTo(Message.of("through"));

    signal(proxy, "USR1");
    assertThat(err.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("alive: %s", proxy.isAlive()).isEqualTo("switchboard proxy: forwarded 1 messages (7 bytes) frontend to backend, "
        + "0 (0 bytes) backend to frontend");

    signal(proxy, "TERM"); // not Process.destroy(), which closes the streams it would print on
    assertThat(exitCode(proxy)).isEqualTo(ExitStatus.SIGTERM);
    assertThat(next(err)).isEqualTo("switchboard proxy: forwarded 1 messages (7 bytes) frontend to backend, "
        + "0 (0 bytes) backend to frontend");
    assertThat(err.poll(1, TimeUnit.SECONDS)).as("nothing more").isNull();
  }

  @Test
  void ctrlCStopsAProxyWithStatus130() throws Exception {
    assumeFalse(sigintIgnored(), "SIGINT is ignored in this process (a background job), and so in its children");
    Process proxy = start("proxy", "--frontend", "pull@tcp://127.0.0.1:*", "--backend", "push@tcp://127.0.0.1:*");
    BlockingQueue<String> err = CliProcess.lines(proxy.getErrorStream());
    assertThat(next(err)).startsWith("switchboard proxy: listening: ");

    signal(proxy, "INT");

    assertThat(exitCode(proxy)).isEqualTo(ExitStatus.SIGINT);
    assertThat(next(err)).startsWith("switchboard proxy: forwarded 0 messages");
  }

  @Test
  void sigtermRemovesTheIpcFileABoundCommandMade(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("pull.ipc");
    Process pull = start("pull", "--bind", "ipc://" + file);
    BlockingQueue<String> err = CliProcess.lines(pull.getErrorStream());
    assertThat(next(err)).isEqualTo("switchboard pull: listening on ipc://" + file);
    assertThat(file).exists();

    signal(pull, "TERM");

    assertThat(exitCode(pull)).isEqualTo(ExitStatus.SIGTERM);
    assertThat(file).doesNotExist();
    assertThat(err.poll(1, TimeUnit.SECONDS)).as("no error on stderr").isNull();
  }

  @Test
  void aPushWaitingForItsNextLineStopsAtOnceOnSigterm() throws Exception {
    Socket pull = context.socket(SocketType.PULL);
    String endpoint = pull.bind("tcp://127.0.0.1:*");
    Process push = new ProcessBuilder(CliProcess.command("push", "--connect", endpoint)).start();
    processes.add(push);
    push.getOutputStream().write("first\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    push.getOutputStream().flush(); // and standard input stays open, as a terminal's does
    assertThat(pull.receive(WAIT)).isEqualTo(Message.of("first"));

    long start = System.nanoTime();
    signal(push, "TERM");

    assertThat(exitCode(push)).isEqualTo(ExitStatus.SIGTERM);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("well within the grace period")
        .isLessThan(Stopping.GRACE.dividedBy(2));
  }

  @Test
  void sigtermStopsAFilerClusterAndRemovesItsIpcFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("filer-dealer.ipc");
    Process cluster = start("example", "filer-rep-cluster", "--workers", "1", "--endpoint", "tcp://127.0.0.1:*",
        "--backend", "ipc://" + file, "--root", dir.toString());
    BlockingQueue<String> out = CliProcess.lines(cluster.getInputStream());
    assertThat(next(out)).startsWith("Listening on tcp://127.0.0.1:");
    assertThat(file).exists();

    signal(cluster, "TERM");

    assertThat(exitCode(cluster)).isEqualTo(ExitStatus.SIGTERM);
    assertThat(file).doesNotExist();
  }

  private Process start(String... args) throws IOException {
    Process process = new ProcessBuilder(CliProcess.command(args)).start();
    processes.add(process);
    process.getOutputStream().close();
    return process;
  }

  private static void signal(Process process, String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    assertThat(kill.waitFor()).isZero();
  }

  /** Whether this process ignores SIGINT (bit 2 of SigIgn in /proc/self/status), which its children inherit. */
  private static boolean sigintIgnored() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("SigIgn:")) {
        return new BigInteger(line.substring(7).strip(), 16).testBit(1);
      }
    }
    return false;
  }

  private static String next(BlockingQueue<String> lines) throws InterruptedException {
    String line = lines.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(line).as("a line within %s", WAIT).isNotNull();
    return line;
  }

  private static int exitCode(Process process) throws InterruptedException {
    return CliProcess.exitCode(process, WAIT);
  }
}
