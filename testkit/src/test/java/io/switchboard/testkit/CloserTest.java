package io.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Closer}: last added closed first, every one closed, the first failure thrown with the others suppressed. */
class CloserTest {
  private final List<String> closed = new ArrayList<>();

  private AutoCloseable named(String name) {
    return () -> closed.add(name);
  }

  private AutoCloseable failing(String name, Exception failure) {
    return () -> {
      closed.add(name);
      throw failure;
    };
  }

  @Test
  void closesTheLastAddedFirstAndOnlyOnce() throws Exception {
    Closer closer = new Closer();
    AutoCloseable a = named("a");
    assertThat(closer.add(a)).isSameAs(a);
    closer.add(named("b"));
    closer.add(named("c"));
    closer.close();
    closer.close();
    assertThat(closed).containsExactly("c", "b", "a");
  }

  @Test
  void closesEveryOneAndThrowsTheFirstFailureWithTheOthersSuppressed() {
    Closer closer = new Closer();
    IOException first = new IOException("first");
    IllegalStateException second = new IllegalStateException("second");
    closer.add(named("a"));
    closer.add(failing("b", second));
    closer.add(failing("c", first));
    assertThatThrownBy(closer::close).isSameAs(first);
    assertThat(first.getSuppressed()).containsExactly(second);
    assertThat(closed).containsExactly("c", "b", "a");
  }

  @Test
  void aRemovedResourceIsNotClosed() throws Exception {
    Closer closer = new Closer();
    AutoCloseable a = closer.add(named("a"));
    closer.add(named("b"));
    assertThat(closer.remove(a)).isTrue();
    assertThat(closer.remove(a)).isFalse();
    closer.close();
    assertThat(closed).containsExactly("b");
  }
}
