package io.switchboard.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command-line options that both runners, {@link BenchRunner} and {@link BusBenchRunner}, take the same way:
 * {@code --quick}, {@code --only}, {@code --out}, {@code --jvm-opt}, {@code --list} and {@code --help}, and the runs
 * that {@code --repeat} asks for. Each runner's own options, {@code --repeat} among them, are parsed by its subclass
 * ({@link #parseOption}).
 */
abstract class RunnerOptions {
  /** Runs per case and library (or system) in a full run. */
  static final int FULL_REPEAT = 3;

  boolean quick;
  /** --repeat, or 0 for the default. */
  int repeat;
  boolean list;
  boolean help;
  final List<String> only = new ArrayList<>();
  Path out = Path.of("results");
  final List<String> jvmOptions = new ArrayList<>();

  /**
   * Parses {@code args} into these options.
   *
   * @throws IllegalArgumentException for an unknown option, a missing value or a value out of range
   */
  final void parse(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--quick" -> quick = true;
        case "--list" -> list = true;
        case "-h", "--help" -> help = true;
        case "--only" -> only.add(value(args, ++i, arg));
        case "--out" -> out = Path.of(value(args, ++i, arg));
        case "--jvm-opt" -> jvmOptions.add(value(args, ++i, arg));
        default -> i = parseOption(args, i);
      }
    }
  }

  /**
   * Parses the runner's own option {@code args[i]}, and its value if it takes one; returns the index of the last
   * argument it took.
   *
   * @throws IllegalArgumentException for an unknown option ({@code unknown option: …}), a missing value or a value
   *     out of range
   */
  abstract int parseOption(String[] args, int i);

  /** The runs per case: --repeat, else 1 when quick and {@link #FULL_REPEAT} otherwise. */
  int repeat() {
    return repeat > 0 ? repeat : quick ? 1 : FULL_REPEAT;
  }

  /**
   * {@code runs}, the value of {@code --repeat}, if it is within range.
   *
   * @throws IllegalArgumentException if not
   */
  static int checkRepeat(int runs) {
    if (runs < 1 || runs > 100) {
      throw new IllegalArgumentException("--repeat: " + runs + " (expected: 1 to 100)");
    }
    return runs;
  }

  /**
   * The value of {@code option}, {@code args[i]}.
   *
   * @throws IllegalArgumentException if the arguments end before it
   */
  static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + ": missing value");
    }
    return args[i];
  }
}
