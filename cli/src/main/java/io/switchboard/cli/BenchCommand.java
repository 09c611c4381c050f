package io.switchboard.cli;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard bench}: the benchmarks, which live in the repository's bench module and build and run on their
 * own ({@code bench/run.sh}). The {@code ./switchboard} launcher runs that script itself; this command, listed so
 * that help and completion know it, runs the same script when the jar is started directly from a clone.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Run the benchmarks: Switchboard beside JeroMQ and libzmq (or, with 'bus', beside NATS) in one run, results "
          + "as a table, CSV and SVG (docs/bench.md).",
      "It runs bench/run.sh of the repository this jar was built in, which builds the bench module first; every "
          + "ARG goes to that script ('switchboard bench --list' lists the cases). Needs a clone of the repository."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  switchboard bench --quick --only 'push/pull tcp'",
      "  switchboard bench bus --only 'events 1:5' --repeat 5",
      ExitStatus.HELP
    })
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "ARG", arity = "0..*", description = "Options for bench/run.sh (see docs/bench.md).")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Path script = script();
    if (script == null) {
      throw new SocketCommand.CommandFailedException("bench/run.sh not found: the benchmarks run from a clone of "
          + "the repository (./switchboard bench)");
    }
    List<String> command = new ArrayList<>(List.of(script.toString()));
    command.addAll(args);
    Process process = new ProcessBuilder(command).inheritIO().start();
    try {
      return process.waitFor();
    } finally {
      process.destroy();
    }
  }

  /** bench/run.sh next to the directory this jar (cli/target/switchboard.jar) or class directory is in. */
  private static Path script() throws URISyntaxException {
    Path code = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    for (Path dir = code.getParent(); dir != null; dir = dir.getParent()) {
      Path script = dir.resolve("bench" + File.separator + "run.sh");
      if (Files.isExecutable(script)) {
        return script;
      }
    }
    return null;
  }
}
