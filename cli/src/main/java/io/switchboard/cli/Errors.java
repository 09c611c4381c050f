package io.switchboard.cli;

import io.switchboard.socket.EndpointException;
import io.switchboard.socket.InterruptedOperationException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine;

/**
 * How every command reports errors: one line on standard error, {@code switchboard COMMAND: WHAT: VALUE (expected:
 * ...)}, in the user's words rather than picocli's or Java's, with a "did you mean" for a mistyped command or
 * option. {@link Main} installs both handlers on the whole command tree, so a new command gets them by being a
 * subcommand.
 */
final class Errors {
  private static final Pattern UNKNOWN_OPTION = Pattern.compile("Unknown options?: (.*)");
  private static final Pattern UNMATCHED = Pattern.compile("Unmatched arguments? (?:from|at) index \\d+: (.*)");
  private static final Pattern MISSING_VALUE =
      Pattern.compile("Missing required parameter for option '([^']+)' \\((.*)\\)");
  private static final Pattern EXPECTED_VALUE =
      Pattern.compile("Expected parameter for option '([^']+)' but found '([^']*)'");
  private static final Pattern MISSING_ARGUMENTS = Pattern.compile("Missing required (?:argument|option|parameter)"
      + "(?:\\(s\\)|s)?(?: \\(specify one of these\\))?: (.*)");
  private static final Pattern INVALID_VALUE =
      Pattern.compile("Invalid value for (?:option|positional parameter at index \\d+) '?([^':]+)'?: (.*)");
  private static final Pattern NOT_A_NUMBER = Pattern.compile("'(.*)' is not an? (?:int|long|short|byte)");
  private static final Pattern TWICE = Pattern.compile("option '([^']+)' \\(.*\\) should be specified only once");
  private static final Pattern QUOTED = Pattern.compile("'([^']*)'");

  private Errors() {}

  /** Usage errors: one line naming the command and what was wrong, exit status 2. */
  static int usage(ParameterException ex, String[] args) {
    CommandLine commandLine = ex.getCommandLine();
    CommandSpec spec = commandLine.getCommandSpec();
    String name = spec.qualifiedName();
    commandLine.getErr().println(name + ": " + reword(ex) + "; see '" + name + " --help'");
    commandLine.getErr().flush();
    return ExitStatus.USAGE;
  }

  /** Failures of a running command: one line; exit status 2 for an endpoint that cannot be bound, 1 otherwise. */
  static int failure(Exception ex, CommandLine commandLine, ParseResult parseResult) {
    if (Stopping.isStopping() && (ex instanceof InterruptedOperationException || ex instanceof InterruptedException
        || ex instanceof io.switchboard.socket.SocketClosedException)) {
      return ExitStatus.SIGINT; // stopped by a signal: not an error; the JVM exits with 128 + the signal
    }
    commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + describe(ex));
    commandLine.getErr().flush();
    return ex instanceof EndpointException ? ExitStatus.USAGE : ExitStatus.FAILURE;
  }

  /** A throwable in the user's words: its message, or for file errors, the file and what is wrong with it. */
  static String describe(Throwable t) {
    Throwable cause = t instanceof UncheckedIOException && t.getCause() != null ? t.getCause() : t;
    if (cause instanceof FileSystemException) {
      FileSystemException f = (FileSystemException) cause;
      String what = cause instanceof NoSuchFileException ? "no such file or directory"
          : cause instanceof AccessDeniedException ? "permission denied"
          : cause instanceof FileAlreadyExistsException ? "exists"
          : f.getReason() != null ? f.getReason().toLowerCase(Locale.ROOT) : "cannot be used";
      return f.getFile() + ": " + what;
    }
    if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
      return cause.getMessage();
    }
    return cause.getClass().getSimpleName().replaceAll("(Exception|Error)$", "").replaceAll("(?<=[a-z])(?=[A-Z])",
        " ").toLowerCase(Locale.ROOT);
  }

  /** A picocli parameter exception's message in the user's words. */
  static String reword(ParameterException ex) {
    String message = ex.getMessage() == null ? "bad usage" : ex.getMessage().replaceFirst("^Error: ", "");
    CommandSpec spec = ex.getCommandLine().getCommandSpec();
    Matcher m;
    if (ex instanceof UnmatchedArgumentException) {
      UnmatchedArgumentException unmatched = (UnmatchedArgumentException) ex;
      List<String> words = unmatched.getUnmatched();
      String first = words.isEmpty() ? "" : words.get(0);
      if (first.startsWith("-")) {
        String option = first.replaceFirst("=.*", "");
        return "unknown option " + option + didYouMean(option, optionNames(spec));
      }
      if (!spec.subcommands().isEmpty() && spec.positionalParameters().isEmpty()) {
        return "unknown command '" + first + "'" + didYouMean(first, spec.subcommands().keySet());
      }
      return "unexpected argument '" + first + "'" + (words.size() > 1 ? " (and " + (words.size() - 1) + " more)"
          : "");
    }
    if ((m = UNKNOWN_OPTION.matcher(message)).matches() || (m = UNMATCHED.matcher(message)).matches()) {
      Matcher quoted = QUOTED.matcher(m.group(1));
      String first = quoted.find() ? quoted.group(1) : m.group(1);
      return "unknown option " + first + didYouMean(first, optionNames(spec));
    }
    if ((m = MISSING_VALUE.matcher(message)).matches()) {
      return m.group(1) + " needs a value (" + m.group(2) + ")";
    }
    if ((m = EXPECTED_VALUE.matcher(message)).matches()) {
      return m.group(1) + " needs a value, not the option '" + m.group(2) + "'";
    }
    if ((m = MISSING_ARGUMENTS.matcher(message)).matches()) {
      String missing = m.group(1);
      if (missing.contains("--bind") && missing.contains("--connect")) {
        return "missing --bind or --connect (expected: where to listen or connect, as --connect "
            + "tcp://127.0.0.1:5555)";
      }
      return "missing " + missing.replace("'", "").replaceAll("=([A-Z_]+)", " $1").replaceAll("^\\((.*)\\)$",
          "$1").replace(" | ", " or ");
    }
    if ((m = INVALID_VALUE.matcher(message)).matches()) {
      Matcher number = NOT_A_NUMBER.matcher(m.group(2));
      return m.group(1) + ": " + (number.matches() ? "'" + number.group(1) + "' (expected: a whole number)"
          : m.group(2));
    }
    if ((m = TWICE.matcher(message)).matches()) {
      return m.group(1) + " given more than once (expected: once)";
    }
    // "Missing ..." reads "missing ..." after the command's name; a name in capitals (DATA_JSON) stays as it is
    boolean word = message.length() > 1 && Character.isUpperCase(message.charAt(0))
        && Character.isLowerCase(message.charAt(1));
    return word ? Character.toLowerCase(message.charAt(0)) + message.substring(1) : message;
  }

  /** {@code " (did you mean X?)"} for the candidates closest to {@code typed}, or empty if none is close. */
  static String didYouMean(String typed, Collection<String> candidates) {
    List<String> close = closest(typed, candidates);
    return close.isEmpty() ? "" : " (did you mean " + String.join(" or ", close) + "?)";
  }

  /**
   * The candidates nearest to {@code typed} by edit distance (a swap of two neighbours counts one), if within a
   * third of its length (at least one edit); at most three, in the candidates' order.
   */
  static List<String> closest(String typed, Collection<String> candidates) {
    int limit = Math.max(1, typed.replaceFirst("^-+", "").length() / 3);
    int best = Integer.MAX_VALUE;
    List<String> found = new ArrayList<>();
    for (String candidate : candidates) {
      int d = distance(typed.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      if (d > limit || d > best) {
        continue;
      }
      if (d < best) {
        best = d;
        found.clear();
      }
      if (found.size() < 3) {
        found.add(candidate);
      }
    }
    return found;
  }

  /** The optimal string alignment distance: insertions, deletions, substitutions, swaps of neighbours. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  private static List<String> optionNames(CommandSpec spec) {
    List<String> names = new ArrayList<>();
    for (OptionSpec option : spec.options()) {
      for (String name : option.names()) {
        if (name.startsWith("--")) {
          names.add(name);
          if (option.negatable()) {
            names.add(name.replaceFirst("^--", "--no-"));
          }
        }
      }
    }
    return names;
  }
}
