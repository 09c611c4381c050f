package io.switchboard.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --log-format} and {@code --log-level}, for commands that run long enough to log. */
final class LoggingOptions {
  @Option(names = "--log-format", paramLabel = "text|json",
      description = "Log lines on standard error as text (concise on a terminal) or as JSON lines. Default: text.")
  String format = "text";

  @Option(names = "--log-level", paramLabel = "[LOGGER=]LEVEL",
      description = "error, warn (the default), info, debug, trace or off; for every logger, or for one "
          + "(io.switchboard.socket=debug shows each connection). Repeatable.")
  List<String> levels = new ArrayList<>();

  /** Sets up logging as asked. */
  void apply(CommandSpec spec) {
    LoggingSetup.Format f = switch (format) {
      case "text" -> LoggingSetup.Format.TEXT;
      case "json" -> LoggingSetup.Format.JSON;
      default -> throw new ParameterException(spec.commandLine(), "--log-format: " + format
          + " (expected: text or json)");
    };
    try {
      LoggingSetup.configure(f, LoggingSetup.levels(levels));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
