package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.socket.Message;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FramesTest {
  @Test
  void aLineIsSplitIntoFramesAtEachTab() {
    assertThat(Frames.parse("a\tb\t\tc")).isEqualTo(Message.of("a", "b", "", "c"));
    assertThat(Frames.parse("")).isEqualTo(Message.of(""));
    assertThat(Frames.parse("\t")).isEqualTo(Message.of("", ""));
    assertThat(Frames.parse("0x00")).isEqualTo(Message.of("0x00")); // only router ids are read as hex
  }

  @Test
  void printableTextPrintsAsItIs() {
    assertThat(Frames.format(Message.of("héllo wörld ✓", "", "0x", "0xZZ", "0x123"))).isEqualTo(
        "héllo wörld ✓\t\t0x\t0xZZ\t0x123");
  }

  @Test
  void everythingElsePrintsAsHex() {
    assertThat(Frames.format(new byte[] {0, (byte) 0x80, 0, 0, 1})).isEqualTo("0x0080000001");
    assertThat(Frames.format(new byte[] {(byte) 0xc3})).isEqualTo("0xc3"); // truncated UTF-8
    assertThat(Frames.format(bytes("a\tb"))).isEqualTo("0x610962");
    assertThat(Frames.format(bytes("line\n"))).isEqualTo("0x6c696e650a");
    assertThat(Frames.format(bytes("0xab"))).isEqualTo("0x30786162"); // would read back as one byte
  }

  @Test
  void thePrintableFormReadsBack() {
    for (byte[] frame : new byte[][] {
        bytes("text"), bytes(""), bytes("0xab"), bytes("0xAB"), {0, 1, 2, (byte) 0xff}, bytes("tab\there")}) {
      assertThat(Frames.parseFrame(Frames.format(frame))).isEqualTo(frame);
    }
    assertThat(Frames.parseFrame("0xAbCd")).containsExactly(0xab, 0xcd);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
