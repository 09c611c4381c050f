package io.switchboard.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The command line's logging, on standard error (standard output is the command's own): concise lines on a terminal,
 * timestamped lines elsewhere, or JSON lines ({@code --log-format json}); {@code warn} and above unless {@code
 * --log-level} says otherwise. The same default (concise lines, warn) is set when logback starts, by {@link
 * LoggingConfigurator}, before any command runs.
 *
 * <p>Expected conditions (a refused connection, a malformed message from a peer) are logged as one line without a
 * stack trace; a stack trace means a bug, and is printed in full.
 */
final class LoggingSetup {
  /** The output formats. */
  enum Format { TEXT, JSON }

  /** On a terminal: time of day, level, logger's short name, message; {@link ConciseLayout} writes it out in code. */
  static final String TERMINAL_PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0}: %msg%n";
  /** Elsewhere (a file, journald): the full time and the thread too. */
  static final String FILE_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36}: %msg%n";

  private LoggingSetup() {}

  /**
   * Parses {@code --log-level} values: {@code LEVEL} for every logger, {@code LOGGER=LEVEL} for one (and those
   * below it), such as {@code io.switchboard.socket=debug}.
   *
   * @throws IllegalArgumentException naming the value and what was expected
   */
  static Map<String, Level> levels(List<String> values) {
    Map<String, Level> levels = new LinkedHashMap<>();
    for (String value : values) {
      int eq = value.indexOf('=');
      String logger = eq < 0 ? Logger.ROOT_LOGGER_NAME : value.substring(0, eq);
      String name = eq < 0 ? value : value.substring(eq + 1);
      Level level = switch (name.toLowerCase(Locale.ROOT)) {
        case "error" -> Level.ERROR;
        case "warn", "warning" -> Level.WARN;
        case "info" -> Level.INFO;
        case "debug" -> Level.DEBUG;
        case "trace" -> Level.TRACE;
        case "off" -> Level.OFF;
        default -> null;
      };
      if (level == null || logger.isEmpty()) {
        throw new IllegalArgumentException("--log-level: " + value
            + " (expected: LEVEL or LOGGER=LEVEL, LEVEL one of error, warn, info, debug, trace, off)");
      }
      levels.put(logger, level);
    }
    return levels;
  }

  /** Sends every log event to standard error in {@code format}, at the given levels (warn for the rest). */
  static void configure(Format format, Map<String, Level> levels) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return; // another SLF4J provider was put first on the class path: it has its own configuration
    }
    context.reset();
    Encoder<ILoggingEvent> encoder = format == Format.JSON
        ? json(context)
        : text(context, System.console() != null ? TERMINAL_PATTERN : FILE_PATTERN);
    install(context, encoder, levels);
  }

  /** The default before any option is read: concise lines, warn and above; {@link LoggingConfigurator} calls it. */
  static void configureDefault(LoggerContext context) {
    ConciseLayout layout = new ConciseLayout();
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    install(context, encoder, Map.of());
  }

  private static void install(LoggerContext context, Encoder<ILoggingEvent> encoder, Map<String, Level> levels) {
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("stderr");
    console.setTarget("System.err");
    console.setEncoder(encoder);
    console.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(console);
    levels.forEach((name, level) -> context.getLogger(name).setLevel(level));
  }

  private static Encoder<ILoggingEvent> text(LoggerContext context, String pattern) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(pattern);
    encoder.start();
    return encoder;
  }

  /** logback's JSON lines: timestamp (epoch ms), level, thread, logger, message and any throwable, one per line. */
  private static Encoder<ILoggingEvent> json(LoggerContext context) {
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithContext(false);
    encoder.setWithMDC(false);
    encoder.setWithMessage(false);
    encoder.setWithArguments(false);
    encoder.setWithFormattedMessage(true);
    encoder.start();
    return encoder;
  }
}
