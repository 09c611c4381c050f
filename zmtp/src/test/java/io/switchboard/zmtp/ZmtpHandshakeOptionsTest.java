package io.switchboard.zmtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ZmtpHandshakeOptionsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  @Test
  void identityIsCopiedInAndOut() {
    byte[] identity = Wire.ascii("alice");
    ZmtpHandshakeOptions options = new ZmtpHandshakeOptions(ZmtpSocketType.DEALER, identity, 1, 1, TIMEOUT);
    identity[0] = 'X';
    options.identity()[1] = 'X';
    assertThat(options.identity()).isEqualTo(Wire.ascii("alice"));
  }

  @Test
  void nullIdentityIsEmpty() {
    assertThat(new ZmtpHandshakeOptions(ZmtpSocketType.DEALER, null, 1, 1, TIMEOUT).identity()).isEmpty();
  }

  @Test
  void identityFitsOneSizeOctet() {
    new ZmtpHandshakeOptions(ZmtpSocketType.DEALER, new byte[255], 1, 1, TIMEOUT);
    assertThatThrownBy(() -> new ZmtpHandshakeOptions(ZmtpSocketType.DEALER, new byte[256], 1, 1, TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("identity: 256 octets (expected: at most 255)");
  }

  @Test
  void limitsArePositive() {
    assertThatThrownBy(() -> new ZmtpHandshakeOptions(ZmtpSocketType.PUB, null, 0, 1, TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxMessageSize: 0 (expected: > 0)");
    assertThatThrownBy(() -> new ZmtpHandshakeOptions(ZmtpSocketType.PUB, null, 1, -1, TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxMetadataSize: -1 (expected: > 0)");
  }

  @Test
  void socketTypeAndTimeoutAreRequired() {
    assertThatThrownBy(() -> new ZmtpHandshakeOptions(null, null, 1, 1, TIMEOUT))
        .isInstanceOf(NullPointerException.class).hasMessage("socketType");
    assertThatThrownBy(() -> new ZmtpHandshakeOptions(ZmtpSocketType.PUB, null, 1, 1, null))
        .isInstanceOf(NullPointerException.class).hasMessage("handshakeTimeout");
  }
}
