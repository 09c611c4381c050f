package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConciseLayoutTest {
  private final LoggerContext context = new LoggerContext();
  private final PatternLayout pattern = new PatternLayout();
  private final ConciseLayout concise = new ConciseLayout();

  ConciseLayoutTest() {
    pattern.setContext(context);
    pattern.setPattern(LoggingSetup.TERMINAL_PATTERN);
    pattern.start();
    concise.setContext(context);
    concise.start();
  }

  @AfterEach
  void stop() {
    pattern.stop();
    concise.stop();
    context.stop();
  }

  @Test
  void writesWhatThePatternWrites() {
    for (Level level : new Level[] {Level.ERROR, Level.WARN, Level.INFO, Level.DEBUG, Level.TRACE}) {
      assertSame(event("io.switchboard.socket.internal.Connector", level, "refused by {}", null, "tcp://h:1"));
    }
    assertSame(event("Root", Level.WARN, "no dots in the name", null));
    assertSame(event("io.switchboard.Thing", Level.WARN, "{} and {}", null, "one", 2));
  }

  @Test
  void writesAStackTraceAsThePatternDoes() {
    IllegalStateException cause = new IllegalStateException("inner");
    UncheckedIOException thrown = new UncheckedIOException("outer", new IOException("middle", cause));
    thrown.addSuppressed(new RuntimeException("beside"));
    String line = concise.doLayout(event("io.switchboard.Thing", Level.ERROR, "failed", thrown));
    assertThat(line).contains("Caused by: java.lang.IllegalStateException: inner", "Suppressed: ");
    assertSame(event("io.switchboard.Thing", Level.ERROR, "failed", thrown));
  }

  private void assertSame(LoggingEvent event) {
    assertThat(concise.doLayout(event)).isEqualTo(pattern.doLayout(event));
  }

  private LoggingEvent event(String logger, Level level, String message, Throwable thrown, Object... arguments) {
    return new LoggingEvent(ConciseLayoutTest.class.getName(), context.getLogger(logger), level, message, thrown,
        arguments);
  }
}
