package io.switchboard.zmtp;

import static io.switchboard.zmtp.Wire.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link ZmtpCurveBox} against libsodium 1.0.18: the vectors below were made with crypto_box_easy. */
class ZmtpCurveBoxTest {
  private static final byte[] ALICE_SECRET = range(1, 33);
  private static final byte[] BOB_SECRET = range(101, 133);
  private static final byte[] NONCE = range(200, 224);
  private static final byte[] MESSAGE = "CurveZMQ box round trip, 41 octets long!!".getBytes(StandardCharsets.US_ASCII);
  private static final String ALICE_PUBLIC = "07a37cbc142093c8b755dc1b10e86cb426374ad16aa853ed0bdfc0b2b86d1c7c";
  private static final String BOB_PUBLIC = "5714769d116bf76436ae74bc793d2c30ad1903c59ac5273805c7e2698b410c36";
  private static final String BOX = "04bb6efa4f24cab1c219e764ced69a5485cf40238be3568313db4d5bc37c12661c9887ded55ba6d1"
      + "4e918aeda202c7555cb1ef908b5993f0bf";

  @Test
  void publicKeysMatchLibsodium() {
    assertThat(hex(ZmtpCurveBox.publicKey(ALICE_SECRET))).isEqualTo(ALICE_PUBLIC);
    assertThat(hex(ZmtpCurveBox.publicKey(BOB_SECRET))).isEqualTo(BOB_PUBLIC);
  }

  @Test
  void sealMatchesLibsodium() {
    byte[] box = ZmtpCurveBox.box(hex(BOB_PUBLIC), ALICE_SECRET).seal(NONCE, MESSAGE);
    assertThat(hex(box)).isEqualTo(BOX);
  }

  @Test
  void theOtherSideOpensIt() {
    assertThat(ZmtpCurveBox.box(hex(ALICE_PUBLIC), BOB_SECRET).open(NONCE, hex(BOX))).isEqualTo(MESSAGE);
  }

  @Test
  void roundTripWithFreshKeys() {
    byte[] a = ZmtpCurveBox.newSecretKey();
    byte[] b = ZmtpCurveBox.newSecretKey();
    byte[] sealed = ZmtpCurveBox.box(ZmtpCurveBox.publicKey(b), a).seal(NONCE, new byte[0]);
    assertThat(sealed).hasSize(ZmtpCurveBox.MAC_LENGTH);
    assertThat(ZmtpCurveBox.box(ZmtpCurveBox.publicKey(a), b).open(NONCE, sealed)).isEmpty();
  }

  @Test
  void theMessageCodecsStepsSealAndOpenAsTheWholeBoxDoes() {
    ZmtpCurveBox alice = ZmtpCurveBox.box(hex(BOB_PUBLIC), ALICE_SECRET);
    ZmtpCurveBox bob = ZmtpCurveBox.box(hex(ALICE_PUBLIC), BOB_SECRET);
    ZmtpCurveBox reference = ZmtpCurveBox.box(hex(BOB_PUBLIC), ALICE_SECRET);
    assertThat(hex(sealInSteps(alice, NONCE, MESSAGE))).isEqualTo(BOX);
    java.util.Random random = new java.util.Random(26);
    // Nonces that share a prefix (re-nonced in place) and nonces that change it (a new subkey), as MESSAGEs and the
    // handshake's boxes do, interleaved; and bodies of every length up to a few blocks.
    for (int i = 0; i < 200; i++) {
      byte[] nonce = NONCE.clone();
      nonce[23] = (byte) i;
      if (i % 7 == 0) {
        nonce[3] = (byte) i;
      }
      byte[] plain = new byte[i];
      random.nextBytes(plain);
      byte[] expected = reference.seal(nonce, plain);
      byte[] sealed = sealInSteps(alice, nonce, plain);
      assertThat(sealed).as("box %d", i).isEqualTo(expected);
      byte[] opened = new byte[plain.length];
      bob.begin(nonce);
      bob.authenticate(sealed, ZmtpCurveBox.MAC_LENGTH, plain.length);
      bob.crypt(sealed, ZmtpCurveBox.MAC_LENGTH, plain.length, opened, 0);
      assertThat(bob.checkTag(sealed, 0)).isTrue();
      assertThat(opened).isEqualTo(plain);
      sealed[sealed.length - 1 - i % sealed.length] ^= 4;
      bob.begin(nonce);
      bob.authenticate(sealed, ZmtpCurveBox.MAC_LENGTH, plain.length);
      assertThat(bob.checkTag(sealed, 0)).as("tampered box %d", i).isFalse();
    }
  }

  @Test
  void largeBodiesInUnevenPiecesSealAsTheWholeBoxDoes() {
    // The codec's stream XORs whole 64-octet blocks eight octets at a time and the rest octet by octet: pieces that
    // start and end anywhere in a block, at any offset in the arrays, must give BouncyCastle's XSalsa20 box exactly.
    ZmtpCurveBox alice = ZmtpCurveBox.box(hex(BOB_PUBLIC), ALICE_SECRET);
    ZmtpCurveBox reference = ZmtpCurveBox.box(hex(BOB_PUBLIC), ALICE_SECRET);
    java.util.Random random = new java.util.Random(64);
    for (int i = 0; i < 100; i++) {
      byte[] nonce = NONCE.clone();
      nonce[22] = (byte) i;
      byte[] plain = new byte[random.nextInt(5000)];
      random.nextBytes(plain);
      int inOffset = random.nextInt(9);
      int outOffset = random.nextInt(9);
      byte[] in = new byte[inOffset + plain.length];
      System.arraycopy(plain, 0, in, inOffset, plain.length);
      byte[] out = new byte[outOffset + ZmtpCurveBox.MAC_LENGTH + plain.length];
      alice.begin(nonce);
      for (int done = 0; done < plain.length; ) {
        int piece = Math.min(plain.length - done, 1 + random.nextInt(300));
        int at = outOffset + ZmtpCurveBox.MAC_LENGTH + done;
        alice.crypt(in, inOffset + done, piece, out, at);
        alice.authenticate(out, at, piece);
        done += piece;
      }
      alice.tag(out, outOffset);
      assertThat(Arrays.copyOfRange(out, outOffset, out.length)).as("box %d of %d octets", i, plain.length)
          .isEqualTo(reference.seal(nonce, plain));
    }
  }

  /** Seals in the MESSAGE codec's steps, the plaintext in two pieces. */
  private static byte[] sealInSteps(ZmtpCurveBox box, byte[] nonce, byte[] plain) {
    byte[] out = new byte[ZmtpCurveBox.MAC_LENGTH + plain.length];
    int half = plain.length / 2;
    box.begin(nonce);
    box.crypt(plain, 0, half, out, ZmtpCurveBox.MAC_LENGTH);
    box.authenticate(out, ZmtpCurveBox.MAC_LENGTH, half);
    box.crypt(plain, half, plain.length - half, out, ZmtpCurveBox.MAC_LENGTH + half);
    box.authenticate(out, ZmtpCurveBox.MAC_LENGTH + half, plain.length - half);
    box.tag(out, 0);
    return out;
  }

  @Test
  void anyFlippedBitFailsAuthentication() {
    ZmtpCurveBox bob = ZmtpCurveBox.box(hex(ALICE_PUBLIC), BOB_SECRET);
    byte[] box = hex(BOX);
    for (int i = 0; i < box.length; i++) {
      byte[] tampered = box.clone();
      tampered[i] ^= 1;
      assertThatThrownBy(() -> bob.open(NONCE, tampered)).isInstanceOf(ZmtpException.class)
          .hasMessageContaining("failed authentication");
    }
    byte[] otherNonce = NONCE.clone();
    otherNonce[23] ^= 1;
    assertThatThrownBy(() -> bob.open(otherNonce, box)).isInstanceOf(ZmtpException.class);
  }

  @Test
  void lowOrderPublicKeyIsRefused() {
    assertThatThrownBy(() -> ZmtpCurveBox.box(new byte[32], ALICE_SECRET)).isInstanceOf(ZmtpException.class)
        .hasMessageContaining("low-order");
  }

  @Test
  void keysOfTheWrongLength() {
    assertThatThrownBy(() -> ZmtpCurveBox.publicKey(new byte[31]))
        .hasMessage("secretKey: 31 octets (expected: 32 octets)");
  }

  private static byte[] range(int from, int to) {
    byte[] b = new byte[to - from];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (from + i);
    }
    return b;
  }
}
