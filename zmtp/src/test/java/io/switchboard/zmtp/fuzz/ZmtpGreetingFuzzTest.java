package io.switchboard.zmtp.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.switchboard.zmtp.ZmtpException;
import io.switchboard.zmtp.ZmtpGreeting;
import io.switchboard.zmtp.ZmtpSecurity;
import io.switchboard.zmtp.ZmtpSocketType;

/**
 * Fuzzes the greeting: {@link ZmtpGreeting#checkSignature} and {@link ZmtpGreeting#decode} on raw octets, and a
 * NULL {@link io.switchboard.zmtp.ZmtpHandshakeHandler} fed arbitrary octets cut at arbitrary points. Seeds are in
 * {@code src/test/resources/io/switchboard/zmtp/fuzz/ZmtpGreetingFuzzTestInputs}; docs/fuzzing.md says how to fuzz.
 */
class ZmtpGreetingFuzzTest {
  private static final ZmtpSocketType[] TYPES = ZmtpSocketType.values();

  /**
   * The signature check refuses early only what the whole greeting would refuse, never consumes, and a greeting that
   * decodes is ZMTP 3 or later and exactly {@link ZmtpGreeting#LENGTH} octets long.
   */
  @FuzzTest(maxDuration = "5m")
  void signatureAndDecode(byte[] data) {
    boolean wholeAccepted = checks(Unpooled.wrappedBuffer(data));
    for (int prefix = 0; prefix <= Math.min(data.length, ZmtpGreeting.SIGNATURE_LENGTH + 1); prefix++) {
      boolean prefixAccepted = checks(Unpooled.wrappedBuffer(data, 0, prefix));
      if (!prefixAccepted) {
        assertThat(wholeAccepted).as("a prefix of %s octets is refused but the whole is not", prefix).isFalse();
      }
    }
    if (data.length < ZmtpGreeting.LENGTH) {
      return;
    }
    ByteBuf in = Unpooled.wrappedBuffer(data);
    ZmtpGreeting greeting;
    try {
      greeting = ZmtpGreeting.decode(in);
    } catch (ZmtpException e) {
      assertThat(wholeAccepted).as("decode refused what checkSignature accepted").isFalse();
      return;
    }
    assertThat(wholeAccepted).isTrue();
    assertThat(in.readerIndex()).isEqualTo(ZmtpGreeting.LENGTH);
    assertThat(greeting.major()).isGreaterThanOrEqualTo(3);
    assertThat(greeting.mechanism().length()).isLessThanOrEqualTo(20);
  }

  private static boolean checks(ByteBuf in) {
    int before = in.readerIndex();
    try {
      ZmtpGreeting.checkSignature(in);
      return true;
    } catch (ZmtpException e) {
      return false;
    } finally {
      assertThat(in.readerIndex()).as("checkSignature consumed octets").isEqualTo(before);
    }
  }

  /**
   * A NULL handshake handler fed arbitrary octets. Params: socket type, metadata limit, message limit.
   */
  @FuzzTest(maxDuration = "5m")
  void handshake(byte[] data) {
    FuzzSupport.assertAllocationBounded(data.length, 64, () -> handshakeRun(data));
  }

  private static void handshakeRun(byte[] data) {
    FuzzSupport.Input input = FuzzSupport.Input.parse(data, 3);
    HandshakeHarness h = new HandshakeHarness(TYPES[input.param(0) % TYPES.length], 1 + input.param(2) * 16L,
        1 + input.param(1) * 4, ZmtpSecurity.NULL);
    for (byte[] chunk : input.chunks()) {
      h.feed(chunk);
    }
    h.finish();
  }
}
