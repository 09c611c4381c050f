package io.switchboard.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.TypeConversionException;

/** Durations as people type them: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}. */
final class Durations {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  private Durations() {}

  /**
   * Parses a duration.
   *
   * @throws TypeConversionException if the text is not a number followed by ms, s, m or h
   */
  static Duration parse(String text) {
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw new TypeConversionException(
          "'" + text + "' (expected: a number and a unit, ms, s, m or h, as 500ms, 5s or 2m)");
    }
    long n = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "ms":
        return Duration.ofMillis(n);
      case "s":
        return Duration.ofSeconds(n);
      case "m":
        return Duration.ofMinutes(n);
      default:
        return Duration.ofHours(n);
    }
  }

  /** Formats a duration in the largest unit that keeps it whole: {@code 500ms}, {@code 5s}, {@code 2m}. */
  static String format(Duration duration) {
    long ms = duration.toMillis();
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }
}
