package io.switchboard.socket.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Z85 (RFC 32), key pairs and zcert certificates. */
class KeysTest {
  private static final byte[] HELLO_WORLD = {(byte) 0x86, 0x4F, (byte) 0xD2, 0x6F, (byte) 0xB5, 0x59, (byte) 0xF7,
      0x5B};

  @Test
  void z85TestVectorOfRfc32() {
    assertThat(Z85.encode(HELLO_WORLD)).isEqualTo("HelloWorld");
    assertThat(Z85.decode("HelloWorld")).isEqualTo(HELLO_WORLD);
  }

  @Test
  void z85RoundTripsEveryOctet() {
    byte[] all = new byte[256];
    for (int i = 0; i < 256; i++) {
      all[i] = (byte) i;
    }
    assertThat(Z85.decode(Z85.encode(all))).isEqualTo(all);
    assertThat(Z85.encode(new byte[0])).isEmpty();
  }

  @Test
  void z85RefusesBadInput() {
    assertThatThrownBy(() -> Z85.encode(new byte[3])).hasMessage("data: 3 octets (expected: a multiple of 4)");
    assertThatThrownBy(() -> Z85.decode("Hell")).hasMessage("text: 4 characters (expected: a multiple of 5)");
    assertThatThrownBy(() -> Z85.decode("Hell~")).hasMessageContaining("character '~' at 4");
    assertThatThrownBy(() -> Z85.decode("#####")).hasMessageContaining("above 2^32 - 1");
  }

  @Test
  void keyPairFromItsSecretKey() {
    CurveKeyPair pair = CurveKeyPair.generate();
    assertThat(CurveKeyPair.fromSecretKey(pair.secretKeyZ85())).isEqualTo(pair);
    assertThat(pair.publicKeyZ85()).hasSize(40);
    assertThat(pair.toString()).doesNotContain(pair.secretKeyZ85());
  }

  @Test
  void certificateRoundTrip(@TempDir Path dir) throws Exception {
    CurveKeyPair pair = CurveKeyPair.generate();
    Path publicFile = CurveCertificate.of(pair).withMetadata("name", "server one").save(dir.resolve("server"));

    assertThat(publicFile).hasFileName("server.key");
    CurveCertificate pub = CurveCertificate.load(publicFile);
    assertThat(pub.publicKey()).isEqualTo(pair.publicKey());
    assertThat(pub.keyPair()).isEmpty();
    assertThat(pub.metadata()).containsEntry("name", "server one");
    assertThat(CurveCertificate.load(dir.resolve("server.key_secret")).keyPair()).contains(pair);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("server.key_secret"))))
        .isEqualTo("rw-------");
    assertThatThrownBy(() -> CurveCertificate.of(pair).save(dir.resolve("server")))
        .hasMessageContaining("cannot be written");
  }

  @Test
  void certificateHasPyzmqsLayout() {
    CurveKeyPair pair = CurveKeyPair.fromSecretKey(new byte[32]);
    String text = CurveCertificate.of(pair).render("2024-01-01 00:00:00.000000", true);
    assertThat(text).isEqualTo("#   ****  Generated on 2024-01-01 00:00:00.000000 by Switchboard  ****\n"
        + "#   ZeroMQ CURVE **Secret** Certificate\n"
        + "#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.\n"
        + "\n"
        + "metadata\n"
        + "curve\n"
        + "    public-key = \"" + pair.publicKeyZ85() + "\"\n"
        + "    secret-key = \"" + pair.secretKeyZ85() + "\"\n");
  }

  @Test
  void readsAPyzmqCertificate(@TempDir Path dir) throws Exception {
    // Written by pyzmq 24 (zmq.auth.create_certificates), keys replaced by a known pair.
    CurveKeyPair pair = CurveKeyPair.generate();
    Files.writeString(dir.resolve("t.key_secret"), "#   ****  Generated on 2026-11-22 02:39:36.049206 by pyzmq  ****\n"
        + "#   ZeroMQ CURVE **Secret** Certificate\n"
        + "#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.\n\n"
        + "metadata\n"
        + "curve\n"
        + "    public-key = \"" + pair.publicKeyZ85() + "\"\n"
        + "    secret-key = \"" + pair.secretKeyZ85() + "\"\n");
    assertThat(CurveCertificate.load(dir.resolve("t.key_secret")).keyPair()).contains(pair);
  }

  @Test
  void directoryOfPublicCertificates(@TempDir Path dir) {
    CurveKeyPair a = CurveKeyPair.generate();
    CurveKeyPair b = CurveKeyPair.generate();
    CurveCertificate.of(a).save(dir.resolve("a"));
    CurveCertificate.ofPublicKey(b.publicKey()).save(dir.resolve("b"));
    List<CurveCertificate> certificates = CurveCertificate.loadDirectory(dir);
    assertThat(certificates).extracting(CurveCertificate::publicKeyZ85)
        .containsExactlyInAnyOrder(a.publicKeyZ85(), b.publicKeyZ85());
  }
}
