package io.switchboard.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonLineDecoderTest {
  private static List<String> decode(int max, String... chunks) {
    EmbeddedChannel ch = new EmbeddedChannel(new JsonLineDecoder(max));
    for (String c : chunks) {
      ch.writeInbound(Unpooled.copiedBuffer(c, StandardCharsets.UTF_8));
    }
    ch.finish();
    List<String> out = new ArrayList<>();
    for (Object o; (o = ch.readInbound()) != null; ) {
      out.add(o == JsonLineDecoder.TOO_LONG ? "TOO_LONG" : new String((byte[]) o, StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void framesLinesWholeSplitAtEveryOctetAndManyPerBuffer() {
    String input = "{\"cmd\":\"status\"}\n\r\n  \nnot json\r\n{\"cmd\":\"a\",\"payload\":{\"s\":\"}\\\"{\\n\"}}\n[1,2]";
    List<String> expected = List.of("{\"cmd\":\"status\"}", "not json",
        "{\"cmd\":\"a\",\"payload\":{\"s\":\"}\\\"{\\n\"}}", "[1,2]");
    assertThat(decode(1000, input)).isEqualTo(expected);
    for (int split = 1; split < input.length(); split++) {
      assertThat(decode(1000, input.substring(0, split), input.substring(split))).as("split at %d", split)
          .isEqualTo(expected);
    }
    String[] octets = input.split("");
    assertThat(decode(1000, octets)).isEqualTo(expected);
  }

  @Test
  void anObjectEndsARequestWithoutALineFeed() {
    EmbeddedChannel ch = new EmbeddedChannel(new JsonLineDecoder(1000));
    ch.writeInbound(Unpooled.copiedBuffer("{\"cmd\":\"status\"}", StandardCharsets.UTF_8));
    assertThat(new String((byte[]) ch.readInbound(), StandardCharsets.UTF_8)).isEqualTo("{\"cmd\":\"status\"}");
    ch.writeInbound(Unpooled.copiedBuffer("\n{\"cmd\":\"x\"}{\"cmd\":\"y\"}", StandardCharsets.UTF_8));
    assertThat(new String((byte[]) ch.readInbound(), StandardCharsets.UTF_8)).isEqualTo("{\"cmd\":\"x\"}");
    assertThat(new String((byte[]) ch.readInbound(), StandardCharsets.UTF_8)).isEqualTo("{\"cmd\":\"y\"}");
    Object none = ch.readInbound();
    assertThat(none).isNull();
    assertThat(ch.finish()).isFalse();
  }

  @Test
  void anOverLongRequestIsRefusedOnceAndSkippedToTheNextLineFeed() {
    String big = "{\"cmd\":\"" + "x".repeat(100) + "\"}";
    assertThat(decode(32, big + "\n{\"cmd\":\"ok\"}\n")).containsExactly("TOO_LONG", "{\"cmd\":\"ok\"}");
    assertThat(decode(32, big.substring(0, 50), big.substring(50), "\n", "{\"cmd\":\"ok\"}\n"))
        .containsExactly("TOO_LONG", "{\"cmd\":\"ok\"}");
    assertThat(decode(32, "y".repeat(40) + "\nshort\n")).containsExactly("TOO_LONG", "short");
  }

  @Test
  void whatIsLeftAtTheEndOfInputIsALastRequest() {
    assertThat(decode(1000, "{\"cmd\":\"a\"}\nnot closed {")).containsExactly("{\"cmd\":\"a\"}", "not closed {");
    assertThat(decode(1000, "   \n")).isEmpty();
  }
}
