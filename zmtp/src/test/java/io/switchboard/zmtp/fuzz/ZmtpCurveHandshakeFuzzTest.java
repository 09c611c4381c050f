package io.switchboard.zmtp.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.switchboard.zmtp.ZmtpAuthenticationException;
import io.switchboard.zmtp.ZmtpAuthenticator;
import io.switchboard.zmtp.ZmtpCurveBox;
import io.switchboard.zmtp.ZmtpFrames;
import io.switchboard.zmtp.ZmtpSecurity;
import io.switchboard.zmtp.ZmtpSocketType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Fuzzes the server side of CURVE (RFC 26). The fuzzer cannot forge a box, so the harness plays a real client as far
 * as the input's mode asks, and the fuzzed octets go in where they would reach the most code:
 *
 * <pre>
 * mode 0  valid CURVE greeting, then the payload raw                       (HELLO and anything after it)
 * mode 1  greeting + valid HELLO, then the payload raw                     (INITIATE: lengths, cookie, boxes)
 * mode 2  greeting + valid HELLO + valid INITIATE whose metadata is the payload   (metadata, Socket-Type, READY)
 * mode 3  a whole valid handshake, then the payload as MESSAGEs:            (ZmtpCurveMessageDecoder, frames)
 *         len:1 plaintext:len, each sealed with the next nonce; len 255 = the rest goes raw
 * </pre>
 *
 * <p>Every key is a constant, so that a seed's HELLO stays valid. Seeds are in
 * {@code src/test/resources/io/switchboard/zmtp/fuzz/ZmtpCurveHandshakeFuzzTestInputs}.
 */
class ZmtpCurveHandshakeFuzzTest {
  static final byte[] SERVER_SECRET = key(1);
  static final byte[] SERVER_PUBLIC = ZmtpCurveBox.publicKey(SERVER_SECRET);
  static final byte[] CLIENT_SECRET = key(2);
  static final byte[] CLIENT_PUBLIC = ZmtpCurveBox.publicKey(CLIENT_SECRET);
  static final byte[] CLIENT_TRANSIENT_SECRET = key(3);
  static final byte[] CLIENT_TRANSIENT_PUBLIC = ZmtpCurveBox.publicKey(CLIENT_TRANSIENT_SECRET);
  static final byte[] CLIENT_GREETING = FuzzSupport.greeting("CURVE", false);
  /** The client's HELLO command frame, short nonce 1. */
  static final byte[] HELLO = hello();
  private static final ZmtpCurveBox TO_SERVER = ZmtpCurveBox.box(SERVER_PUBLIC, CLIENT_TRANSIENT_SECRET);
  private static final ZmtpSocketType[] TYPES = ZmtpSocketType.values();
  private static final ZmtpAuthenticator REFUSE_ALL = request -> {
    throw new ZmtpAuthenticationException("CURVE client refused");
  };
  private static final ZmtpAuthenticator NO_USER_ID = request -> null;

  /** Params: mode, authenticator, metadata limit, message limit, socket type. */
  @FuzzTest(maxDuration = "5m")
  void serverCommands(byte[] data) {
    // Bounded per octet fed to the server: in mode 3 every length octet of the input becomes a sealed MESSAGE of 35
    // octets or more, sealed by the harness and opened by the server (a fuzzed input of 598 octets, 290 one-octet
    // MESSAGEs, went past a bound of 256 per input octet). And per read: an input of 928 octets fed 16,651 octets
    // one per read (seed crash-4b221ca…), and went past 128 per octet with the harness's own cost per read.
    FuzzSupport.assertAllocationBounded(128, 256, () -> run(data));
  }

  /** Runs one input; returns what was fed to the server. */
  private static FuzzSupport.Fed run(byte[] data) {
    CurveKeyHooks.newInput();
    FuzzSupport.Input input = FuzzSupport.Input.parse(data, 5);
    int mode = input.param(0) % 4;
    ZmtpAuthenticator authenticator = switch (input.param(1) % 3) {
      case 0 -> null;
      case 1 -> NO_USER_ID;
      default -> REFUSE_ALL;
    };
    HandshakeHarness h = new HandshakeHarness(TYPES[input.param(4) % TYPES.length], 1 + input.param(3) * 16L,
        1 + input.param(2) * 4, new ZmtpSecurity.CurveServer(SERVER_PUBLIC, SERVER_SECRET, authenticator));
    h.feed(CLIENT_GREETING);
    if (mode == 0) {
      feed(h, input, input.payload);
    } else {
      h.feed(HELLO);
      byte[] out = FuzzSupport.drainOutbound(h.channel);
      assertThat(h.channel.isOpen()).as("a valid HELLO was refused").isTrue();
      byte[] welcome = commandData(out, 64, "WELCOME");
      byte[] plain = TO_SERVER.open(longNonce("WELCOME-", Arrays.copyOfRange(welcome, 0, 16)),
          Arrays.copyOfRange(welcome, 16, welcome.length));
      byte[] serverTransient = Arrays.copyOfRange(plain, 0, 32);
      byte[] cookie = Arrays.copyOfRange(plain, 32, 128);
      if (mode == 1) {
        feed(h, input, input.payload);
      } else {
        ZmtpCurveBox session = ZmtpCurveBox.box(serverTransient, CLIENT_TRANSIENT_SECRET);
        byte[] metadata = mode == 2 ? input.payload : FuzzSupport.metadata(compatibleWith(input.param(4)));
        feed(h, input, initiate(session, serverTransient, cookie, metadata));
        if (mode == 3) {
          feed(h, input, messages(session, input.payload));
        }
      }
    }
    h.finish();
    return h.fed();
  }

  private static void feed(HandshakeHarness h, FuzzSupport.Input input, byte[] octets) {
    for (byte[] chunk : input.chunks(octets)) {
      h.feed(chunk);
    }
  }

  /** A socket type that our type (param) can talk to. */
  private static String compatibleWith(int param) {
    ZmtpSocketType ours = TYPES[param % TYPES.length];
    for (ZmtpSocketType peer : TYPES) {
      if (ours.isCompatibleWith(peer)) {
        return peer.name();
      }
    }
    throw new AssertionError(ours);
  }

  static byte[] hello() {
    ZmtpCurveBox box = ZmtpCurveBox.box(SERVER_PUBLIC, CLIENT_TRANSIENT_SECRET);
    ByteBuf data = Unpooled.buffer();
    data.writeByte(1).writeByte(0).writeZero(72).writeBytes(CLIENT_TRANSIENT_PUBLIC).writeLong(1)
        .writeBytes(box.seal(nonce("CurveZMQHELLO---", 1), new byte[64]));
    byte[] octets = new byte[data.readableBytes()];
    data.readBytes(octets);
    return FuzzSupport.command("HELLO", octets);
  }

  /** The INITIATE command frame (short nonce 2) carrying {@code metadata}. */
  static byte[] initiate(ZmtpCurveBox session, byte[] serverTransient, byte[] cookie, byte[] metadata) {
    byte[] vouchNonce = new byte[16];
    byte[] vouch = ZmtpCurveBox.box(serverTransient, CLIENT_SECRET)
        .seal(longNonce("VOUCH---", vouchNonce), FuzzSupport.concat(CLIENT_TRANSIENT_PUBLIC, SERVER_PUBLIC));
    byte[] box = session.seal(nonce("CurveZMQINITIATE", 2),
        FuzzSupport.concat(CLIENT_PUBLIC, vouchNonce, vouch, metadata));
    return FuzzSupport.command("INITIATE", FuzzSupport.concat(cookie, longBytes(2), box));
  }

  /** Payload as {@code len:1 plaintext:len} MESSAGEs from nonce 3 on; a length of 255 sends the rest raw. */
  static byte[] messages(ZmtpCurveBox session, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long n = 3;
    int at = 0;
    while (at < payload.length) {
      int len = payload[at++] & 0xFF;
      if (len == 255) {
        out.writeBytes(Arrays.copyOfRange(payload, at, payload.length));
        break;
      }
      byte[] plain = Arrays.copyOfRange(payload, at, Math.min(payload.length, at + len));
      at += plain.length;
      byte[] body = FuzzSupport.concat(new byte[] {7}, "MESSAGE".getBytes(StandardCharsets.US_ASCII), longBytes(n),
          session.seal(nonce("CurveZMQMESSAGEC", n), plain));
      n++;
      out.writeBytes(FuzzSupport.written(frame -> ZmtpFrames.writeFrame(frame, body, false)));
    }
    return out.toByteArray();
  }

  /** The data of the command {@code name} in the frame at {@code at} of {@code out}. */
  private static byte[] commandData(byte[] out, int at, String name) {
    ByteBuf in = Unpooled.wrappedBuffer(out, at, out.length - at);
    int flags = in.readUnsignedByte();
    assertThat(flags & 0x04).as("a command frame").isNotZero();
    long size = (flags & 0x02) != 0 ? in.readLong() : in.readUnsignedByte();
    ByteBuf body = in.readSlice((int) size);
    int nameLength = body.readUnsignedByte();
    assertThat(body.readCharSequence(nameLength, StandardCharsets.US_ASCII).toString()).isEqualTo(name);
    byte[] data = new byte[body.readableBytes()];
    body.readBytes(data);
    return data;
  }

  static byte[] nonce(String prefix16, long n) {
    return FuzzSupport.concat(prefix16.getBytes(StandardCharsets.US_ASCII), longBytes(n));
  }

  private static byte[] longNonce(String prefix8, byte[] suffix16) {
    return FuzzSupport.concat(prefix8.getBytes(StandardCharsets.US_ASCII), suffix16);
  }

  private static byte[] longBytes(long n) {
    return Unpooled.copyLong(n).array();
  }

  private static byte[] key(int seed) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) (0x40 + seed));
    return key;
  }
}
