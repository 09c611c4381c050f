package io.switchboard.zmtp;

import static io.switchboard.zmtp.Wire.concat;
import static io.switchboard.zmtp.Wire.hex;
import static io.switchboard.zmtp.Wire.range;
import static io.switchboard.zmtp.Wire.written;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ZmtpGreeting} per RFC 23 section "The Greeting" and RFC 37 (version 3.1). */
class ZmtpGreetingTest {
  /** Our greeting, octet by octet. */
  private static final byte[] OURS = hex(
      "ff 0000000000000000 7f"                          // signature
      + " 03 01"                                        // version 3.1
      + " 4e554c4c 00000000000000000000000000000000"    // "NULL", null-padded to 20 octets
      + " 00"                                           // as-server
      + " 00000000000000000000000000000000000000000000000000000000000000"); // filler, 31 octets

  @Test
  void encodesTheExact64Octets() {
    assertThat(OURS).hasSize(ZmtpGreeting.LENGTH);
    assertThat(hex(written(ZmtpGreeting.ours("NULL", false)::encode))).isEqualTo(hex(OURS));
  }

  @Test
  void asServerIsOctet32() {
    byte[] greeting = written(ZmtpGreeting.ours("PLAIN", true)::encode);
    assertThat(greeting).hasSize(64);
    assertThat(range(greeting, 12, 17)).isEqualTo(Wire.ascii("PLAIN"));
    assertThat(greeting[32]).isEqualTo((byte) 1);
  }

  @Test
  void decodesOurs() {
    ByteBuf in = Unpooled.wrappedBuffer(concat(OURS, hex("04 00")));
    assertThat(ZmtpGreeting.decode(in)).isEqualTo(new ZmtpGreeting(3, 1, "NULL", false));
    assertThat(in.readerIndex()).as("octets consumed").isEqualTo(64);
  }

  @ParameterizedTest
  @ValueSource(strings = {"NULL", "PLAIN", "CURVE", "ABCDEFGHIJKLMNOPQRST"})
  void mechanismRoundTrips(String mechanism) {
    ZmtpGreeting greeting = new ZmtpGreeting(3, 0, mechanism, true);
    assertThat(ZmtpGreeting.decode(Unpooled.wrappedBuffer(written(greeting::encode)))).isEqualTo(greeting);
  }

  @Test
  void paddingOctetsMayHoldAnyValue() {
    // RFC 23: "signature = %xFF padding %x7F", where libzmq 3.x puts its length prefix in the padding.
    byte[] greeting = OURS.clone();
    for (int i = 1; i <= 8; i++) {
      greeting[i] = (byte) (0x10 * i);
    }
    assertThat(ZmtpGreeting.decode(Unpooled.wrappedBuffer(greeting))).isEqualTo(new ZmtpGreeting(3, 1, "NULL", false));
  }

  @Test
  void decodeRefusesAZmtp2Greeting() {
    byte[] greeting = OURS.clone();
    greeting[10] = 1;
    assertThatThrownBy(() -> ZmtpGreeting.decode(Unpooled.wrappedBuffer(greeting)))
        .isInstanceOf(ZmtpException.class).hasMessageContaining("major version 1");
  }

  @Test
  void checkSignatureAcceptsEveryPrefixOfAValidGreeting() {
    for (int n = 0; n <= 64; n++) {
      byte[] prefix = range(OURS, 0, n);
      assertThatCode(() -> check(prefix)).as("first %d octets", n).doesNotThrowAnyException();
    }
  }

  @Test
  void checkSignatureRefusesZmtp10AtTheFirstOctet() {
    // A ZMTP 1.0 peer opens with its identity frame: a length octet, then a flags octet.
    assertThatThrownBy(() -> check(hex("01"))).isInstanceOf(ZmtpException.class).hasMessageContaining("1.0");
    assertThatThrownBy(() -> check(hex("00"))).isInstanceOf(ZmtpException.class);
  }

  @Test
  void checkSignatureRefusesNonZmtpAtTheFirstOctet() {
    assertThatThrownBy(() -> check(Wire.ascii("GET / HTTP/1.1\r\n"))).isInstanceOf(ZmtpException.class);
  }

  @Test
  void checkSignatureRefusesABadOctet9AsSoonAsItArrives() {
    byte[] bad = range(OURS, 0, 10);
    bad[9] = 0x7e;
    assertThatThrownBy(() -> check(bad)).isInstanceOf(ZmtpException.class).hasMessageContaining("octet 9");
  }

  @ParameterizedTest(name = "major version {0}")
  @ValueSource(ints = {0, 1, 2})
  void checkSignatureRefusesOldVersionsAsSoonAs11OctetsArrive(int major) {
    byte[] old = concat(range(OURS, 0, 10), new byte[] {(byte) major});
    assertThatThrownBy(() -> check(old)).isInstanceOf(ZmtpException.class)
        .hasMessageContaining("major version " + major);
    assertThatCode(() -> check(range(old, 0, 10))).as("10 octets do not tell the version yet")
        .doesNotThrowAnyException();
  }

  @ParameterizedTest(name = "major version {0}")
  @ValueSource(ints = {3, 4, 255})
  void checkSignatureAcceptsVersion3AndLater(int major) {
    // RFC 23: "A peer MUST accept higher protocol versions as valid."
    assertThatCode(() -> check(concat(range(OURS, 0, 10), new byte[] {(byte) major, 0})))
        .doesNotThrowAnyException();
  }

  @Test
  void checkSignatureReadsFromTheReaderIndexWithoutConsuming() {
    ByteBuf in = Unpooled.wrappedBuffer(concat(hex("01 02 03"), range(OURS, 0, 11)));
    in.skipBytes(3);
    ZmtpGreeting.checkSignature(in);
    assertThat(in.readerIndex()).isEqualTo(3);
    assertThat(in.readableBytes()).isEqualTo(11);
  }

  @ParameterizedTest(name = "{0}.{1} is 3.1 or later: {2}")
  @CsvSource({"3, 0, false", "3, 1, true", "3, 2, true", "4, 0, true"})
  void atLeast31(int major, int minor, boolean expected) {
    assertThat(new ZmtpGreeting(major, minor, "NULL", false).atLeast31()).isEqualTo(expected);
  }

  private static void check(byte[] octets) {
    ZmtpGreeting.checkSignature(Unpooled.wrappedBuffer(octets));
  }
}
