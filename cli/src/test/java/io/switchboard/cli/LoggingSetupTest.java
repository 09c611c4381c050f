package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LoggingSetupTest {
  private final PrintStream originalErr = System.err;

  @AfterEach
  void restore() {
    System.setErr(originalErr);
    LoggingSetup.configure(LoggingSetup.Format.TEXT, Map.of());
  }

  @Test
  void parsesLevelsForEveryLoggerOrOne() {
    assertThat(LoggingSetup.levels(List.of("debug", "io.switchboard.socket=TRACE", "netty=off")))
        .containsEntry("ROOT", Level.DEBUG)
        .containsEntry("io.switchboard.socket", Level.TRACE)
        .containsEntry("netty", Level.OFF);
    assertThatThrownBy(() -> LoggingSetup.levels(List.of("=debug"))).hasMessageContaining("--log-level: =debug");
    assertThatThrownBy(() -> LoggingSetup.levels(List.of("io.x=loud"))).hasMessageContaining("(expected: LEVEL");
  }

  @Test
  void jsonLinesOnStandardErrorAtTheLevelsAsked() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    LoggingSetup.configure(LoggingSetup.Format.JSON, LoggingSetup.levels(List.of("io.switchboard.test=debug")));
    LoggerFactory.getLogger("io.switchboard.test.Here").debug("shown {}", 1);
    LoggerFactory.getLogger("io.switchboard.elsewhere").info("not shown: warn and above only");
    LoggerFactory.getLogger("io.switchboard.elsewhere").warn("shown too");
    String[] lines = err.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(2);
    JsonNode first = new ObjectMapper().readTree(lines[0]);
    assertThat(first.path("level").asText()).isEqualTo("DEBUG");
    assertThat(first.path("loggerName").asText()).isEqualTo("io.switchboard.test.Here");
    assertThat(first.path("formattedMessage").asText()).isEqualTo("shown 1");
    assertThat(new ObjectMapper().readTree(lines[1]).path("level").asText()).isEqualTo("WARN");
  }

  @Test
  void textIsOneLinePerEvent() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    LoggingSetup.configure(LoggingSetup.Format.TEXT, Map.of());
    LoggerFactory.getLogger("io.switchboard.Thing").warn("connection refused by {}", "peer");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .matches("(?s)\\d{4}-\\d\\d-\\d\\dT[\\d:.]+\\S* WARN  \\[[^]]+\\] io.switchboard.Thing: connection refused by peer\n");
  }

  @Test
  void byDefaultConciseLinesAtWarnSetInCode() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    assertThat(new LoggingConfigurator().configure(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    LoggerFactory.getLogger("io.switchboard.Thing").info("not shown: warn and above only");
    LoggerFactory.getLogger("io.switchboard.Thing").warn("connection refused by {}", "peer");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  Thing: connection refused by peer\n");
  }
}
