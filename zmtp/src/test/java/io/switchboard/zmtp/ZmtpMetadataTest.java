package io.switchboard.zmtp;

import static io.switchboard.zmtp.Wire.ascii;
import static io.switchboard.zmtp.Wire.hex;
import static io.switchboard.zmtp.Wire.range;
import static io.switchboard.zmtp.Wire.sequence;
import static io.switchboard.zmtp.Wire.written;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ZmtpMetadata}: the property list of READY, RFC 23 section "The NULL Security Mechanism". */
class ZmtpMetadataTest {
  /** Socket-Type=DEALER, then Identity=alice. */
  private static final byte[] TWO_PROPERTIES = hex(
      "0b 536f636b65742d54797065 00000006 4445414c4552"
      + " 08 4964656e74697479 00000005 616c696365");
  private static final int FIRST_PROPERTY_LENGTH = 1 + 11 + 4 + 6;

  @Test
  void encodesNameSizeNameValueSizeValue() {
    ZmtpMetadata metadata = ZmtpMetadata.of(Map.of("Socket-Type", ascii("DEALER")));
    assertThat(written(metadata::encode)).isEqualTo(hex("0b 536f636b65742d54797065 00000006 4445414c4552"));
    assertThat(metadata.encodedLength()).isEqualTo(22);
  }

  @Test
  void roundTripsBinaryAndEmptyValues() {
    Map<String, byte[]> properties = new LinkedHashMap<>();
    properties.put("Socket-Type", ascii("ROUTER"));
    properties.put("Identity", new byte[0]);
    properties.put("X-Binary", sequence(256));
    properties.put("X".repeat(255), ascii("longest name"));
    ZmtpMetadata metadata = ZmtpMetadata.of(properties);

    byte[] encoded = written(metadata::encode);
    assertThat(encoded).hasSize(metadata.encodedLength());
    ZmtpMetadata decoded = decode(encoded);
    assertThat(decoded.asMap()).containsOnlyKeys(properties.keySet());
    properties.forEach((name, value) -> assertThat(decoded.get(name)).as(name).isEqualTo(value));
  }

  @Test
  void decodesEveryProperty() {
    ZmtpMetadata metadata = decode(TWO_PROPERTIES);
    assertThat(metadata.getString("Socket-Type")).isEqualTo("DEALER");
    assertThat(metadata.getString("Identity")).isEqualTo("alice");
    assertThat(metadata.get("X-Absent")).isNull();
    assertThat(metadata.getString("X-Absent")).isNull();
  }

  @Test
  void namesAreCaseInsensitive() {
    ZmtpMetadata decoded = decode(TWO_PROPERTIES);
    assertThat(decoded.getString("socket-type")).isEqualTo("DEALER");
    assertThat(decoded.getString("SOCKET-TYPE")).isEqualTo("DEALER");
    assertThat(decoded.getString("iDENTITY")).isEqualTo("alice");

    ZmtpMetadata built = ZmtpMetadata.of(Map.of("socket-TYPE", ascii("PUB")));
    assertThat(built.getString(ZmtpMetadata.SOCKET_TYPE)).isEqualTo("PUB");
  }

  @Test
  void aNameRepeatedInAnotherCaseIsOneProperty() {
    ZmtpMetadata metadata = decode(hex("01 61 00000001 31  01 41 00000001 32"));
    assertThat(metadata.asMap()).hasSize(1);
    assertThat(metadata.getString("a")).isEqualTo("2");
  }

  @Test
  void emptyMetadata() {
    ZmtpMetadata metadata = decode(new byte[0]);
    assertThat(metadata.asMap()).isEmpty();
    assertThat(metadata.encodedLength()).isZero();
  }

  @Test
  void decodeConsumesAllReadableOctets() {
    ByteBuf in = Unpooled.wrappedBuffer(TWO_PROPERTIES);
    ZmtpMetadata.decode(in);
    assertThat(in.isReadable()).isFalse();
  }

  @Test
  void truncatedPropertiesAreRejected() {
    for (int cut = 1; cut < TWO_PROPERTIES.length; cut++) {
      byte[] truncated = range(TWO_PROPERTIES, 0, cut);
      if (cut == FIRST_PROPERTY_LENGTH) {
        assertThat(decode(truncated).asMap()).as("cut at the property boundary").hasSize(1);
      } else {
        assertThatThrownBy(() -> decode(truncated)).as("cut at octet %d", cut).isInstanceOf(ZmtpException.class);
      }
    }
  }

  @Test
  void emptyNameIsRejected() {
    assertThatThrownBy(() -> decode(hex("00 00000000"))).isInstanceOf(ZmtpException.class);
  }

  @Test
  void valueSizeBeyondTheCommandIsRejectedWithoutAllocating() {
    assertThatThrownBy(() -> decode(hex("01 61 ffffffff 00")))
        .isInstanceOf(ZmtpException.class).hasMessageContaining("4294967295 octets");
  }

  @Test
  void ofRefusesNamesThatDoNotFitTheNameSizeOctet() {
    assertThatThrownBy(() -> ZmtpMetadata.of(Map.of("", new byte[0])))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected: 1 to 255");
    assertThatThrownBy(() -> ZmtpMetadata.of(Map.of("X".repeat(256), new byte[0])))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void valuesAreCopiedInAndOut() {
    byte[] value = ascii("abc");
    ZmtpMetadata metadata = ZmtpMetadata.of(Map.of("X-Key", value));
    value[0] = 'z';
    metadata.get("X-Key")[1] = 'z';
    metadata.asMap().get("X-Key")[2] = 'z';
    assertThat(metadata.getString("X-Key")).isEqualTo("abc");
    assertThatThrownBy(() -> metadata.asMap().put("X-Other", new byte[0]))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void toStringShowsNamesAndValues() {
    assertThat(decode(TWO_PROPERTIES)).hasToString("{Identity=alice, Socket-Type=DEALER}");
  }

  private static ZmtpMetadata decode(byte[] octets) {
    return ZmtpMetadata.decode(Unpooled.wrappedBuffer(octets));
  }
}
