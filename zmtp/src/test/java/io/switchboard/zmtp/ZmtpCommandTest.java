package io.switchboard.zmtp;

import static io.switchboard.zmtp.Wire.ascii;
import static io.switchboard.zmtp.Wire.concat;
import static io.switchboard.zmtp.Wire.hex;
import static io.switchboard.zmtp.Wire.sequence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.netty.buffer.Unpooled;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ZmtpCommand} bodies per RFC 23 (READY, ERROR) and RFC 37 (PING, PONG, SUBSCRIBE, CANCEL). */
class ZmtpCommandTest {
  /** Each command with its whole frame, written out by hand from the RFCs' grammar. */
  static Stream<Arguments> commands() {
    Map<String, byte[]> ready = new LinkedHashMap<>();
    ready.put("Socket-Type", ascii("DEALER"));
    ready.put("Identity", new byte[0]);
    return Stream.of(
        arguments(new ZmtpCommand.Ready(ZmtpMetadata.of(ready)),
            hex("04 29 05 5245414459  08 4964656e74697479 00000000  0b 536f636b65742d54797065 00000006 4445414c4552")),
        arguments(new ZmtpCommand.Ready(ZmtpMetadata.of(Map.of())), hex("04 06 05 5245414459")),
        arguments(new ZmtpCommand.Error("bad"), hex("04 0a 05 4552524f52 03 626164")),
        arguments(new ZmtpCommand.Error(""), hex("04 07 05 4552524f52 00")),
        arguments(new ZmtpCommand.Ping(100, ascii("ab")), hex("04 09 04 50494e47 0064 6162")),
        arguments(new ZmtpCommand.Ping(0, new byte[0]), hex("04 07 04 50494e47 0000")),
        arguments(new ZmtpCommand.Ping(0xffff, sequence(16)), concat(hex("04 17 04 50494e47 ffff"), sequence(16))),
        arguments(new ZmtpCommand.Pong(ascii("ab")), hex("04 07 04 504f4e47 6162")),
        arguments(new ZmtpCommand.Pong(new byte[0]), hex("04 05 04 504f4e47")),
        arguments(new ZmtpCommand.Subscribe(ascii("A")), hex("04 0b 09 535542534352494245 41")),
        arguments(new ZmtpCommand.Subscribe(new byte[0]), hex("04 0a 09 535542534352494245")),
        arguments(new ZmtpCommand.Subscribe(sequence(300)),
            concat(hex("06 0000000000000136 09 535542534352494245"), sequence(300))),
        arguments(new ZmtpCommand.Cancel(ascii("A")), hex("04 08 06 43414e43454c 41")),
        arguments(new ZmtpCommand.Other("X-FOO", ascii("zz")), hex("04 08 05 582d464f4f 7a7a")));
  }

  @ParameterizedTest
  @MethodSource("commands")
  void encodesTheRfcOctets(ZmtpCommand command, byte[] frame) {
    assertThat(Wire.hex(Wire.command(command))).isEqualTo(Wire.hex(frame));
  }

  @ParameterizedTest
  @MethodSource("commands")
  void encodedLengthIsTheBodyLength(ZmtpCommand command, byte[] frame) {
    assertThat(command.encodedLength())
        .isEqualTo(frame.length - ZmtpFrames.headerLength(command.encodedLength()))
        .isEqualTo(Wire.written(command::encodeBody).length);
  }

  @ParameterizedTest
  @MethodSource("commands")
  void decodesTheRfcOctets(ZmtpCommand command, byte[] frame) {
    byte[] body = Wire.range(frame, ZmtpFrames.headerLength(command.encodedLength()), frame.length);
    RecordingListener.assertEvents(List.of(decode(body)), command);
  }

  @Test
  void namesAreThoseOnTheWire() {
    assertThat(new ZmtpCommand.Ready(ZmtpMetadata.of(Map.of())).name()).isEqualTo("READY");
    assertThat(new ZmtpCommand.Error("x").name()).isEqualTo("ERROR");
    assertThat(new ZmtpCommand.Ping(0, new byte[0]).name()).isEqualTo("PING");
    assertThat(new ZmtpCommand.Pong(new byte[0]).name()).isEqualTo("PONG");
    assertThat(new ZmtpCommand.Subscribe(new byte[0]).name()).isEqualTo("SUBSCRIBE");
    assertThat(new ZmtpCommand.Cancel(new byte[0]).name()).isEqualTo("CANCEL");
    assertThat(new ZmtpCommand.Other("X-FOO", new byte[0]).name()).isEqualTo("X-FOO");
  }

  @Test
  void readyCarriesItsMetadata() {
    ZmtpCommand command = decode(hex("05 5245414459 0b 736f636b65742d74797065 00000003 505542"));
    assertThat(command).isInstanceOfSatisfying(ZmtpCommand.Ready.class,
        ready -> assertThat(ready.metadata().getString("Socket-Type")).isEqualTo("PUB"));
  }

  @Test
  void errorReasonIsCutTo255Characters() {
    ZmtpCommand.Error error = new ZmtpCommand.Error("x".repeat(300));
    assertThat(error.reason()).hasSize(255);
    // 1 + 5 + 1 + 255 = 262 octets: a long command frame.
    assertThat(Wire.command(error)).startsWith(hex("06 0000000000000106 05 4552524f52 ff"));
  }

  @Test
  void pingAndPongAcceptTheLargestContext() {
    assertThat(decode(concat(hex("04 50494e47 0001"), sequence(16))))
        .isInstanceOfSatisfying(ZmtpCommand.Ping.class, ping -> assertThat(ping.context()).hasSize(16));
    assertThat(decode(concat(hex("04 504f4e47"), sequence(16))))
        .isInstanceOfSatisfying(ZmtpCommand.Pong.class, pong -> assertThat(pong.context()).hasSize(16));
  }

  @ParameterizedTest(name = "[{index}] body \"{0}\"")
  @ValueSource(strings = {
      "",                                    // no name size
      "00",                                  // empty name
      "05 52454144",                         // name runs past the frame
      "05 4552524f52",                       // ERROR without reason size
      "05 4552524f52 04 626164",             // ERROR reason runs past the frame
      "04 50494e47",                         // PING without TTL
      "04 50494e47 00",                      // PING with half a TTL
      "04 50494e47 0000 000102030405060708090a0b0c0d0e0f10", // PING context of 17
      "04 504f4e47 000102030405060708090a0b0c0d0e0f10",      // PONG context of 17
      "05 5245414459 05 41",                 // READY with a truncated property
  })
  void malformedBodiesAreRejected(String body) {
    assertThatThrownBy(() -> decode(hex(body))).isInstanceOf(ZmtpException.class);
  }

  private static ZmtpCommand decode(byte[] body) {
    return ZmtpCommand.decode(Unpooled.wrappedBuffer(body));
  }
}
