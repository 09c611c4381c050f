package io.switchboard.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Message} keeps one or two frames in fields and more in an array; every operation must read the same
 * through either form, and cross between them.
 */
class MessageTest {
  @Test
  void everySizeReadsBackItsFrames() {
    for (int n = 0; n <= 4; n++) {
      byte[][] frames = frames(n);
      Message m = Message.of(frames);
      assertThat(m.size()).isEqualTo(n);
      assertThat(m.isEmpty()).isEqualTo(n == 0);
      for (int i = 0; i < n; i++) {
        assertThat(m.frame(i)).isSameAs(frames[i]);
      }
      assertThat(m.frames()).containsExactly(frames);
      assertThat(m.byteSize()).isEqualTo(n * (n + 1) / 2);
      int size = n;
      assertThatThrownBy(() -> m.frame(size)).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> m.frame(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
  }

  @Test
  void prependDropAndSliceCrossBetweenTheForms() {
    Message one = Message.of("b");
    assertThat(one.prepend(bytes("a")).join(",")).isEqualTo("a,b");
    assertThat(Message.of("b", "c").prepend(bytes("a")).join(",")).isEqualTo("a,b,c");
    Message four = Message.of("a", "b", "c", "d");
    assertThat(four.dropFirst(1).join(",")).isEqualTo("b,c,d");
    assertThat(four.dropFirst(2).join(",")).isEqualTo("c,d");
    assertThat(four.dropFirst(3).join(",")).isEqualTo("d");
    assertThat(four.dropFirst(4).isEmpty()).isTrue();
    assertThat(four.slice(1, 3).join(",")).isEqualTo("b,c");
    assertThat(Message.of("a", "b").dropFirst(1).join(",")).isEqualTo("b");
    assertThat(Message.of("a").append(Message.of("b", "c")).join(",")).isEqualTo("a,b,c");
    assertThat(Message.of("a", "b").append(Message.of(new byte[0][])).join(",")).isEqualTo("a,b");
    assertThatThrownBy(() -> four.slice(3, 5)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void equalityAndHashIgnoreTheForm() {
    Message inline = Message.of("a", "b");
    Message viaArray = Message.of("z", "a", "b").dropFirst(1);
    Message fromList = Message.of(List.of(bytes("a"), bytes("b")));
    assertThat(inline).isEqualTo(viaArray).isEqualTo(fromList);
    assertThat(inline.hashCode()).isEqualTo(viaArray.hashCode()).isEqualTo(fromList.hashCode());
    assertThat(inline).isNotEqualTo(Message.of("a")).isNotEqualTo(Message.of("a", "b", "c"));
    assertThat(Message.of("z", "a", "b").dropFirst(1)).isEqualTo(inline);
  }

  private static byte[][] frames(int n) {
    byte[][] frames = new byte[n][];
    for (int i = 0; i < n; i++) {
      frames[i] = new byte[i + 1];
    }
    return frames;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
