package io.switchboard.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code --subscribe} option of {@code sub} and {@code xsub}. */
final class Subscriptions {
  @Option(
      names = "--subscribe",
      paramLabel = "PREFIX",
      description = "Receive only messages whose first frame starts with PREFIX; repeatable. None: everything.")
  List<String> prefixes = new ArrayList<>();

  /** The prefixes to subscribe to: those given, or the empty prefix, which matches everything. */
  List<String> orEverything() {
    return prefixes.isEmpty() ? List.of("") : prefixes;
  }
}
