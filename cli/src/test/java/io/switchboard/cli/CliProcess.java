package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The {@code switchboard} command as a process of its own: the fat jar when it is built, this class path if not. */
final class CliProcess {
  private CliProcess() {}

  /** The command line that runs {@code switchboard} with these arguments. */
  static List<String> command(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Path jar = Path.of(System.getProperty("switchboard.jar", "target/switchboard.jar")).toAbsolutePath();
    if (Files.isRegularFile(jar)) {
      command.addAll(List.of("-jar", jar.toString()));
    } else {
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    }
    command.addAll(List.of(args));
    return command;
  }

  /** Waits up to {@code wait} for a process to exit, and returns its exit status. */
  static int exitCode(Process process, Duration wait) throws InterruptedException {
    assertThat(process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)).as("exited").isTrue();
    return process.exitValue();
  }

  /** The lines of a stream, read by a daemon thread as they come. */
  static BlockingQueue<String> lines(InputStream in) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = reader(in)) {
        for (String line; (line = r.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (IOException e) {
        // the process is gone
      }
    }, "stream reader");
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  /** A UTF-8 line reader. */
  static BufferedReader reader(InputStream in) {
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }
}
