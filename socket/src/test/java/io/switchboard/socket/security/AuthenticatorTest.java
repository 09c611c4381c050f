package io.switchboard.socket.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.switchboard.socket.NoLeakedThreads;
import io.switchboard.socket.security.ZapHandler.Request;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The authenticator's rules on their own: address ranges, ZAP domains, and the watched certificate directory. */
@ExtendWith(NoLeakedThreads.class)
class AuthenticatorTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static InetSocketAddress at(String literal) throws UnknownHostException {
    return new InetSocketAddress(InetAddress.getByName(literal), 5555);
  }

  private static Request nullFrom(String literal) throws UnknownHostException {
    return new Request("NULL", "", at(literal), null, null, null);
  }

  private static Request curve(String domain, CurveKeyPair client) throws UnknownHostException {
    return new Request("CURVE", domain, at("127.0.0.1"), null, null, client.publicKey());
  }

  private static boolean admits(Authenticator auth, Request request) {
    try {
      auth.authenticate(request);
      return true;
    } catch (AuthenticationRefusedException e) {
      return false;
    }
  }

  // ---- address ranges ----

  @Test
  void ipv4RangesAllow() throws Exception {
    Authenticator auth = Authenticator.builder().allow("10.0.0.0/8", "192.168.1.7").build();
    assertThat(admits(auth, nullFrom("10.0.0.1"))).isTrue();
    assertThat(admits(auth, nullFrom("10.255.255.255"))).isTrue();
    assertThat(admits(auth, nullFrom("192.168.1.7"))).isTrue();
    assertThat(admits(auth, nullFrom("11.0.0.1"))).isFalse();
    assertThat(admits(auth, nullFrom("192.168.1.8"))).isFalse();
    assertThat(admits(auth, nullFrom("::1"))).isFalse();
    assertThatThrownBy(() -> auth.authenticate(nullFrom("9.255.255.255")))
        .hasMessage("address 9.255.255.255 is not on the allow list");
    assertThat(auth.refusedCount()).isEqualTo(4);
    assertThat(auth.acceptedCount()).isEqualTo(3);
  }

  @Test
  void rangesThatDoNotEndOnAnOctetBoundary() throws Exception {
    Authenticator auth = Authenticator.builder().allow("172.16.0.0/12", "100.64.0.0/10").build();
    assertThat(admits(auth, nullFrom("172.16.0.1"))).isTrue();
    assertThat(admits(auth, nullFrom("172.31.255.255"))).isTrue();
    assertThat(admits(auth, nullFrom("172.32.0.0"))).isFalse();
    assertThat(admits(auth, nullFrom("172.15.255.255"))).isFalse();
    assertThat(admits(auth, nullFrom("100.127.0.1"))).isTrue();
    assertThat(admits(auth, nullFrom("100.128.0.1"))).isFalse();
  }

  @Test
  void ipv6RangesDeny() throws Exception {
    Authenticator auth = Authenticator.builder().deny("2001:db8::/32", "fe80::1").build();
    assertThat(admits(auth, nullFrom("2001:db8:1234::5"))).isFalse();
    assertThat(admits(auth, nullFrom("2001:db9::5"))).isTrue();
    assertThat(admits(auth, nullFrom("fe80::1"))).isFalse();
    assertThat(admits(auth, nullFrom("fe80::2"))).isTrue();
    assertThat(admits(auth, nullFrom("10.0.0.1"))).isTrue();
  }

  @Test
  void anIpv4PeerOnADualStackSocketMatchesIpv4Rules() {
    AddressRange range = AddressRange.parse("10.0.0.0/8");
    byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 10, 1, 2, 3};
    assertThat(range.contains(mapped)).isTrue();
    assertThat(AddressRange.parse("::ffff:10.1.2.3").contains(new byte[] {10, 1, 2, 3})).isTrue();
  }

  @Test
  void zeroPrefixMatchesEveryAddressOfItsFamily() throws Exception {
    Authenticator auth = Authenticator.builder().allow("0.0.0.0/0").build();
    assertThat(admits(auth, nullFrom("203.0.113.9"))).isTrue();
    assertThat(admits(auth, nullFrom("2001:db8::1"))).isFalse();
    assertThat(AddressRange.parse("::/0").contains(new byte[16])).isTrue();
  }

  @Test
  void hostBitsPastThePrefixAreIgnored() {
    assertThat(AddressRange.parse("10.1.2.3/8").network()).containsExactly(10, 0, 0, 0);
  }

  @Test
  void badRangesAreRefusedWhenBuilt() {
    assertThatThrownBy(() -> Authenticator.builder().allow("localhost"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("address: localhost (expected: an IPv4");
    assertThatThrownBy(() -> Authenticator.builder().allow("10.0.0.0/33"))
        .hasMessageContaining("expected: a prefix length from 0 to 32");
    assertThatThrownBy(() -> Authenticator.builder().deny("::/129"))
        .hasMessageContaining("expected: a prefix length from 0 to 128");
    assertThatThrownBy(() -> Authenticator.builder().deny("10.0.0.0/"))
        .hasMessageContaining("expected: a prefix length");
    assertThatThrownBy(() -> Authenticator.builder().deny("10.0.0.0/+8"))
        .hasMessageContaining("expected: a prefix length");
    assertThatThrownBy(() -> Authenticator.builder().deny("10.0.0.256"))
        .hasMessageContaining("expected: an IPv4 or IPv6 address");
  }

  @Test
  void addressesThatAreNotIpNeverMatch() {
    assertThat(AddressRange.parse("0.0.0.0/0").contains(InetSocketAddress.createUnresolved("host", 1))).isFalse();
    assertThat(AddressRange.parse("0.0.0.0/0").contains((java.net.SocketAddress) null)).isFalse();
  }

  // ---- ZAP domains ----

  @Test
  void theDomainReachesTheAuthenticatorAndCanLimitIt() throws Exception {
    CurveKeyPair client = CurveKeyPair.generate();
    Authenticator auth = Authenticator.builder().curveAllow(client.publicKey()).domains("global", "").build();
    assertThat(admits(auth, curve("global", client))).isTrue();
    assertThat(admits(auth, curve("", client))).isTrue();
    assertThatThrownBy(() -> auth.authenticate(curve("staging", client)))
        .hasMessage("ZAP domain 'staging' is not served by this authenticator (from 127.0.0.1)");
    Authenticator any = Authenticator.builder().curveAllow(client.publicKey()).build();
    assertThat(admits(any, curve("staging", client))).isTrue();
  }

  // ---- the watched certificate directory ----

  @Test
  void aWatchedDirectoryIsReloadedWhenACertificateArrivesOrLeaves(@TempDir Path dir) throws Exception {
    CurveKeyPair alice = CurveKeyPair.generate();
    CurveKeyPair bob = CurveKeyPair.generate();
    CurveCertificate.of(alice).save(dir.resolve("alice"));
    try (Authenticator auth = Authenticator.builder().curveCertificateDirectory(dir).watchCertificateDirectory()
        .build()) {
      assertThat(admits(auth, curve("", alice))).isTrue();
      assertThat(admits(auth, curve("", bob))).isFalse();

      CurveCertificate.of(bob).save(dir.resolve("bob"));
      await("bob admitted after his certificate arrived").atMost(WAIT).until(() -> admits(auth, curve("", bob)));

      Files.delete(dir.resolve("alice.key"));
      await("alice refused after her certificate left").atMost(WAIT).until(() -> !admits(auth, curve("", alice)));
      assertThat(auth.reloadFailureCount()).isZero();
    }
  }

  @Test
  void aMalformedCertificateKeepsThePreviousRulesUntilItIsFixed(@TempDir Path dir) throws Exception {
    CurveKeyPair alice = CurveKeyPair.generate();
    CurveCertificate.of(alice).save(dir.resolve("alice"));
    try (Authenticator auth = Authenticator.builder().curveCertificateDirectory(dir).watchCertificateDirectory()
        .build()) {
      Files.writeString(dir.resolve("broken.key"), "curve\n    public-key = \"not z85\"\n", StandardCharsets.UTF_8);
      await("the failed reload counted").atMost(WAIT).until(() -> auth.reloadFailureCount() > 0);
      assertThat(auth.lastReloadFailure()).isPresent();
      assertThat(admits(auth, curve("", alice))).isTrue();

      CurveKeyPair bob = CurveKeyPair.generate();
      Files.delete(dir.resolve("broken.key"));
      CurveCertificate.of(bob).save(dir.resolve("bob"));
      await("bob admitted once the directory is sound").atMost(WAIT).until(() -> admits(auth, curve("", bob)));
    }
  }

  @Test
  void watchingNeedsADirectory() {
    assertThatThrownBy(() -> Authenticator.builder().watchCertificateDirectory().build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no curveCertificateDirectory");
  }

  @Test
  void closeIsIdempotentAndManualReloadStillWorks(@TempDir Path dir) throws Exception {
    Authenticator auth = Authenticator.builder().curveCertificateDirectory(dir).watchCertificateDirectory().build();
    auth.close();
    auth.close();
    CurveKeyPair carol = CurveKeyPair.generate();
    CurveCertificate.of(carol).save(dir.resolve("carol"));
    long before = auth.reloadCount();
    auth.reload();
    assertThat(auth.reloadCount()).isEqualTo(before + 1);
    assertThat(admits(auth, curve("", carol))).isTrue();
  }
}
