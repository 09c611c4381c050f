package io.switchboard.examples;

import io.switchboard.socket.Endpoint;
import io.switchboard.socket.EndpointException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Checks shared by the examples' options; every failure is a {@link ParameterException} (exit status 2). */
final class Options {
  private Options() {}

  /**
   * The endpoint to use: {@code endpoint} if given (checked), otherwise {@code prefix + port}.
   *
   * @param port a port from 0 (ephemeral, for binding) to 65535
   */
  static String endpoint(CommandSpec spec, String endpoint, String prefix, int port) {
    if (endpoint != null) {
      try {
        Endpoint.parse(endpoint);
      } catch (EndpointException e) {
        throw new ParameterException(spec.commandLine(), "--endpoint: " + e.getMessage());
      }
      return endpoint;
    }
    if (port < 0 || port > 65535) {
      throw new ParameterException(spec.commandLine(), "--port: " + port + " (expected: 0 to 65535)");
    }
    return prefix + (port == 0 ? "*" : Integer.toString(port));
  }

  static int positive(CommandSpec spec, String name, int value) {
    if (value <= 0) {
      throw new ParameterException(spec.commandLine(), name + ": " + value + " (expected: > 0)");
    }
    return value;
  }

  /** Durations as {@code 500ms}, {@code 5s}, {@code 1m}; a bare number is milliseconds. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)?");

    @Override
    public Duration convert(String text) {
      Matcher m = DURATION.matcher(text);
      if (!m.matches()) {
        throw new IllegalArgumentException(text + " (expected: a duration as 500ms, 5s or 1m)");
      }
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "ms" : m.group(2);
      switch (unit) {
        case "s":
          return Duration.ofSeconds(n);
        case "m":
          return Duration.ofMinutes(n);
        default:
          return Duration.ofMillis(n);
      }
    }
  }
}
