package io.switchboard.socket.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SubscriptionsTest {
  private final Subscriptions subscriptions = new Subscriptions();

  @Test
  void nothingMatchesUntilSubscribedAndTheEmptyPrefixMatchesEverything() {
    assertThat(subscriptions.matches(bytes("weather"))).isFalse();
    assertThat(subscriptions.matches(new byte[0])).isFalse();
    assertThat(subscriptions.add(new byte[0])).isTrue();
    assertThat(subscriptions.matches(bytes("weather"))).isTrue();
    assertThat(subscriptions.matches(new byte[0])).isTrue();
  }

  @Test
  void aPrefixMatchesTopicsThatStartWithIt() {
    subscriptions.add(bytes("news."));
    assertThat(subscriptions.matches(bytes("news.sport"))).isTrue();
    assertThat(subscriptions.matches(bytes("news."))).isTrue();
    assertThat(subscriptions.matches(bytes("news"))).isFalse();
    assertThat(subscriptions.matches(bytes("weather"))).isFalse();
  }

  @Test
  void subscriptionsAreCountedAndNestedPrefixesRemovedOneByOne() {
    assertThat(subscriptions.add(bytes("a"))).isTrue();
    assertThat(subscriptions.add(bytes("a"))).isFalse();
    assertThat(subscriptions.add(bytes("abc"))).isTrue();
    assertThat(subscriptions.remove(bytes("a"))).isFalse();
    assertThat(subscriptions.matches(bytes("ax"))).isTrue();
    assertThat(subscriptions.remove(bytes("a"))).isTrue();
    assertThat(subscriptions.matches(bytes("ax"))).isFalse();
    assertThat(subscriptions.matches(bytes("abcd"))).isTrue();
    assertThat(subscriptions.remove(bytes("zzz"))).as("an unknown prefix").isFalse();
    assertThat(subscriptions.remove(bytes("abc"))).isTrue();
    assertThat(subscriptions.matches(bytes("abcd"))).isFalse();
    assertThat(subscriptions.prefixes()).isEmpty();
  }

  @Test
  void clearReturnsTheDistinctPrefixesAndLeavesNothing() {
    subscriptions.add(bytes("x"));
    subscriptions.add(bytes("x"));
    subscriptions.add(bytes("xy"));
    assertThat(subscriptions.clear()).extracting(Subscriptions.Key::new)
        .containsExactlyInAnyOrder(new Subscriptions.Key(bytes("x")), new Subscriptions.Key(bytes("xy")));
    assertThat(subscriptions.matches(bytes("xyz"))).isFalse();
    assertThat(subscriptions.add(bytes("x"))).isTrue();
  }

  @Test
  void agreesWithALinearScanOverRandomChanges() {
    Random random = new Random(42);
    List<byte[]> model = new ArrayList<>();
    for (int step = 0; step < 20_000; step++) {
      byte[] prefix = randomBytes(random, random.nextInt(4));
      if (random.nextInt(3) > 0) {
        boolean isNew = model.stream().noneMatch(p -> Arrays.equals(p, prefix));
        assertThat(subscriptions.add(prefix)).isEqualTo(isNew);
        model.add(prefix);
      } else {
        int at = indexOf(model, prefix);
        if (at >= 0) {
          model.remove(at);
        }
        assertThat(subscriptions.remove(prefix)).isEqualTo(at >= 0 && indexOf(model, prefix) < 0);
      }
      byte[] topic = randomBytes(random, random.nextInt(6));
      boolean expected = model.stream().anyMatch(p -> p.length <= topic.length
          && Arrays.equals(topic, 0, p.length, p, 0, p.length));
      assertThat(subscriptions.matches(topic)).as("step %d", step).isEqualTo(expected);
      // The zero-copy receive's form: the readable octets of a buffer, here behind some already read.
      ByteBuf buffer = Unpooled.buffer().writeBytes(randomBytes(random, 3)).writeBytes(topic).skipBytes(3);
      assertThat(subscriptions.matches(buffer)).as("step %d, as a buffer", step).isEqualTo(expected);
    }
  }

  @Test
  void manyPrefixesAreAddedAndMatchedInTimeProportionalToTheirLength() {
    for (int i = 0; i < 100_000; i++) {
      subscriptions.add(bytes("topic." + i + "."));
    }
    assertThat(subscriptions.matches(bytes("topic.99999.price"))).isTrue();
    assertThat(subscriptions.matches(bytes("topic.100000.price"))).isFalse();
    for (int i = 0; i < 100_000; i++) {
      subscriptions.remove(bytes("topic." + i + "."));
    }
    assertThat(subscriptions.matches(bytes("topic.99999.price"))).isFalse();
  }

  private static int indexOf(List<byte[]> model, byte[] prefix) {
    for (int i = 0; i < model.size(); i++) {
      if (Arrays.equals(model.get(i), prefix)) {
        return i;
      }
    }
    return -1;
  }

  /** Octets from a small alphabet, including negative ones, so that prefixes share nodes often. */
  private static byte[] randomBytes(Random random, int length) {
    byte[] octets = new byte[length];
    for (int i = 0; i < length; i++) {
      octets[i] = (byte) (random.nextInt(4) * 85 - 128);
    }
    return octets;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
