package io.switchboard.zmtp.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.switchboard.zmtp.ZmtpAuthenticationException;
import io.switchboard.zmtp.ZmtpAuthenticator;
import io.switchboard.zmtp.ZmtpSecurity;
import io.switchboard.zmtp.ZmtpSocketType;
import java.util.Arrays;

/**
 * Fuzzes the server side of PLAIN (RFC 24): a handshake handler configured as a PLAIN server gets a valid client
 * greeting, then arbitrary octets (HELLO, INITIATE, frames after READY), cut at arbitrary points. Seeds are in
 * {@code src/test/resources/io/switchboard/zmtp/fuzz/ZmtpPlainHandshakeFuzzTestInputs}.
 */
class ZmtpPlainHandshakeFuzzTest {
  static final byte[] CLIENT_GREETING = FuzzSupport.greeting("PLAIN", false);
  private static final ZmtpSocketType[] TYPES = ZmtpSocketType.values();

  /** Accepts alice/secret (User-Id "alice") and bob with any password (no User-Id); refuses everyone else. */
  static final ZmtpAuthenticator AUTHENTICATOR = request -> {
    if ("alice".equals(request.username()) && Arrays.equals(FuzzSupport.ascii("secret"), request.password())) {
      return "alice";
    }
    if ("bob".equals(request.username())) {
      return null;
    }
    throw new ZmtpAuthenticationException("PLAIN user " + request.username() + " refused");
  };

  /** Params: our socket type, metadata limit, message limit. */
  @FuzzTest(maxDuration = "5m")
  void serverCommands(byte[] data) {
    FuzzSupport.assertAllocationBounded(data.length, 64, () -> run(data));
  }

  private static void run(byte[] data) {
    FuzzSupport.Input input = FuzzSupport.Input.parse(data, 3);
    HandshakeHarness h = new HandshakeHarness(TYPES[input.param(0) % TYPES.length], 1 + input.param(2) * 16L,
        1 + input.param(1) * 4, new ZmtpSecurity.PlainServer(AUTHENTICATOR));
    h.feed(CLIENT_GREETING);
    for (byte[] chunk : input.chunks()) {
      h.feed(chunk);
    }
    h.finish();
  }
}
