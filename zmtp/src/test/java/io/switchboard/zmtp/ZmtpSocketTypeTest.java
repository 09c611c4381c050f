package io.switchboard.zmtp;

import static io.switchboard.zmtp.ZmtpSocketType.DEALER;
import static io.switchboard.zmtp.ZmtpSocketType.PAIR;
import static io.switchboard.zmtp.ZmtpSocketType.PUB;
import static io.switchboard.zmtp.ZmtpSocketType.PULL;
import static io.switchboard.zmtp.ZmtpSocketType.PUSH;
import static io.switchboard.zmtp.ZmtpSocketType.REP;
import static io.switchboard.zmtp.ZmtpSocketType.REQ;
import static io.switchboard.zmtp.ZmtpSocketType.ROUTER;
import static io.switchboard.zmtp.ZmtpSocketType.SUB;
import static io.switchboard.zmtp.ZmtpSocketType.XPUB;
import static io.switchboard.zmtp.ZmtpSocketType.XSUB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link ZmtpSocketType} and the table of valid socket combinations in RFC 23 section "Socket Semantics". */
class ZmtpSocketTypeTest {
  /** RFC 23, one line per socket type. */
  private static final Map<ZmtpSocketType, Set<ZmtpSocketType>> RFC_23 = new EnumMap<>(Map.ofEntries(
      Map.entry(REQ, EnumSet.of(REP, ROUTER)),
      Map.entry(REP, EnumSet.of(REQ, DEALER)),
      Map.entry(DEALER, EnumSet.of(REP, DEALER, ROUTER)),
      Map.entry(ROUTER, EnumSet.of(REQ, DEALER, ROUTER)),
      Map.entry(PUB, EnumSet.of(SUB, XSUB)),
      Map.entry(XPUB, EnumSet.of(SUB, XSUB)),
      Map.entry(SUB, EnumSet.of(PUB, XPUB)),
      Map.entry(XSUB, EnumSet.of(PUB, XPUB)),
      Map.entry(PUSH, EnumSet.of(PULL)),
      Map.entry(PULL, EnumSet.of(PUSH)),
      Map.entry(PAIR, EnumSet.of(PAIR))));

  @Test
  void theTableCoversEveryType() {
    assertThat(RFC_23).containsOnlyKeys(ZmtpSocketType.values());
  }

  @Test
  void everyPairIsAsInRfc23() {
    for (ZmtpSocketType us : ZmtpSocketType.values()) {
      for (ZmtpSocketType peer : ZmtpSocketType.values()) {
        assertThat(us.isCompatibleWith(peer)).as("%s with %s", us, peer).isEqualTo(RFC_23.get(us).contains(peer));
      }
    }
  }

  @Test
  void compatibilityIsSymmetric() {
    for (ZmtpSocketType a : ZmtpSocketType.values()) {
      for (ZmtpSocketType b : ZmtpSocketType.values()) {
        assertThat(a.isCompatibleWith(b)).as("%s with %s", a, b).isEqualTo(b.isCompatibleWith(a));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ZmtpSocketType.class)
  void wireNameIsTheUpperCaseName(ZmtpSocketType type) {
    assertThat(type.wireName()).isEqualTo(Wire.ascii(type.name()));
    assertThat(ZmtpSocketType.fromWireName(type.name())).isSameAs(type);
  }

  @Test
  void wireNameIsACopy() {
    PUB.wireName()[0] = 'X';
    assertThat(PUB.wireName()).isEqualTo(Wire.ascii("PUB"));
  }

  @Test
  void fromWireNameIgnoresCase() {
    assertThat(ZmtpSocketType.fromWireName("dealer")).isSameAs(DEALER);
    assertThat(ZmtpSocketType.fromWireName("xPub")).isSameAs(XPUB);
  }

  @Test
  void fromWireNameRefusesUnknownTypes() {
    for (String name : new String[] {"", "STREAM", "SERVER", "PUB "}) {
      assertThatThrownBy(() -> ZmtpSocketType.fromWireName(name)).as("'%s'", name)
          .isInstanceOf(ZmtpException.class).hasMessageContaining("Socket-Type");
    }
  }
}
