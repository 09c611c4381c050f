package io.switchboard.bus.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventPatternTest {
  @ParameterizedTest
  @CsvSource({
      "log, log, true",
      "log, logs, false",
      "order.*, order.created, true",
      "order.*, order.eu.created, false",
      "order.*, order, false",
      "order.*, order., false",
      "*.created, order.created, true",
      "order.>, order.eu.created, true",
      "order.>, order, false",
      ">, anything.at.all, true",
      "a.*.c, a.b.c, true",
      "a.*.c, a.b.d, false",
      "/^log/, logger, true",
      "/^log/, blog, false",
  })
  void matches(String pattern, String event, boolean expected) {
    assertThat(EventPattern.compile(pattern).matches(event)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"'', empty", "a.>.b, last token", "/(/, event pattern /(/"})
  void rejects(String pattern, String message) {
    assertThatThrownBy(() -> EventPattern.compile(pattern)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
