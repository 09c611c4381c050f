package io.switchboard.cli;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The default log line, {@link LoggingSetup#TERMINAL_PATTERN} written out in code: time of day, level, the logger's
 * short name, the message, and a throwable's stack trace if the event has one, exactly as logback's {@code
 * PatternLayout} prints that pattern. It is the layout of every command until {@code --log-format} or {@code
 * --log-level} replace it; in code because a {@code PatternLayout} first registers some seventy converters, a good
 * part of the time logback takes to start (docs/cli.md#start-up).
 */
final class ConciseLayout extends LayoutBase<ILoggingEvent> {
  private static final DateTimeFormatter TIME_OF_DAY = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  private final ZoneId zone = ZoneId.systemDefault();
  private final ThrowableProxyConverter throwable = new ThrowableProxyConverter();

  @Override
  public void start() {
    throwable.setContext(getContext());
    throwable.start();
    super.start();
  }

  @Override
  public void stop() {
    super.stop();
    throwable.stop();
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(128);
    TIME_OF_DAY.formatTo(Instant.ofEpochMilli(event.getTimeStamp()).atZone(zone), line);
    String level = event.getLevel().toString();
    line.append(' ').append(level);
    for (int i = level.length(); i < 5; i++) {
      line.append(' ');
    }
    String logger = event.getLoggerName();
    line.append(' ').append(logger, logger.lastIndexOf('.') + 1, logger.length()).append(": ")
        .append(event.getFormattedMessage())
        .append(CoreConstants.LINE_SEPARATOR)
        .append(throwable.convert(event));
    return line.toString();
  }
}
