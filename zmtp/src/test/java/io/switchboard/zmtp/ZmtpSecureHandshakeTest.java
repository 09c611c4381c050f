package io.switchboard.zmtp;

import static io.switchboard.zmtp.RecordingListener.frame;
import static io.switchboard.zmtp.Wire.ascii;
import static io.switchboard.zmtp.Wire.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.Future;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * PLAIN (RFC 24) and CURVE (RFC 26) through {@link ZmtpHandshakeHandler}, two handlers wired back to back; the
 * interop with libzmq and JeroMQ is in testkit.
 */
class ZmtpSecureHandshakeTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final byte[] SERVER_SECRET = ZmtpCurveBox.newSecretKey();
  private static final byte[] SERVER_PUBLIC = ZmtpCurveBox.publicKey(SERVER_SECRET);
  private static final byte[] CLIENT_SECRET = ZmtpCurveBox.newSecretKey();
  private static final byte[] CLIENT_PUBLIC = ZmtpCurveBox.publicKey(CLIENT_SECRET);

  private static final ZmtpAuthenticator ALICE_ONLY = request -> {
    if ("alice".equals(request.username()) && Arrays.equals(ascii("secret"), request.password())) {
      return "alice";
    }
    throw new ZmtpAuthenticationException("PLAIN user " + request.username() + " refused");
  };

  @Test
  void plainWithRightCredentials() {
    End client = new End(ZmtpSocketType.DEALER, new ZmtpSecurity.PlainClient("alice", ascii("secret")));
    End server = new End(ZmtpSocketType.ROUTER, new ZmtpSecurity.PlainServer(ALICE_ONLY));
    connect(client, server);

    assertThat(client.future().getNow().socketType()).isEqualTo(ZmtpSocketType.ROUTER);
    assertThat(server.future().getNow().userId()).isEqualTo("alice");
    assertThat(server.future().getNow().identity()).isEqualTo(ascii("c"));
    client.send(Wire.frame("hello", false));
    connect(client, server);
    server.listener.assertEvents(frame("hello", false));
    finish(client, server);
  }

  @Test
  void plainWithWrongPasswordIsRefusedOnBothSides() {
    End client = new End(ZmtpSocketType.DEALER, new ZmtpSecurity.PlainClient("alice", ascii("guess")));
    End server = new End(ZmtpSocketType.ROUTER, new ZmtpSecurity.PlainServer(ALICE_ONLY));
    connect(client, server);

    assertThat(server.future().cause()).isInstanceOf(ZmtpAuthenticationException.class)
        .hasMessage("handshake: PLAIN user alice refused");
    assertThat(client.future().cause()).hasMessage(
        "handshake: peer sent ERROR: 400 (the peer's authenticator refused us)");
    finish(client, server);
  }

  @Test
  void twoPlainClientsFail() {
    End a = new End(ZmtpSocketType.DEALER, new ZmtpSecurity.PlainClient("a", ascii("b")));
    End b = new End(ZmtpSocketType.ROUTER, new ZmtpSecurity.PlainClient("a", ascii("b")));
    connect(a, b);
    assertThat(a.future().cause()).hasMessageContaining("peer sent HELLO (expected: WELCOME)");
    finish(a, b);
  }

  @Test
  void plainAgainstNullFails() {
    End a = new End(ZmtpSocketType.DEALER, new ZmtpSecurity.PlainClient("a", ascii("b")));
    End b = new End(ZmtpSocketType.ROUTER, ZmtpSecurity.NULL);
    connect(a, b);
    assertThat(a.future().cause()).hasMessageContaining("peer uses mechanism NULL (expected: PLAIN)");
    assertThat(b.future().cause()).hasMessageContaining("peer uses mechanism PLAIN (expected: NULL)");
    finish(a, b);
  }

  @Test
  void curveFramesAndCommandsFlowSealedBothWays() {
    List<byte[]> seen = new ArrayList<>();
    End client = new End(ZmtpSocketType.DEALER, curveClient(SERVER_PUBLIC));
    End server = new End(ZmtpSocketType.ROUTER,
        new ZmtpSecurity.CurveServer(SERVER_PUBLIC, SERVER_SECRET, request -> {
          seen.add(request.clientKey());
          return "client-1";
        }));
    connect(client, server);

    assertThat(seen).containsExactly(CLIENT_PUBLIC);
    assertThat(server.future().getNow().userId()).isEqualTo("client-1");
    assertThat(client.future().getNow().socketType()).isEqualTo(ZmtpSocketType.ROUTER);

    byte[] big = new byte[70_000];
    Arrays.fill(big, (byte) 'x');
    // Header and body in separate buffers, as the socket layer writes large bodies.
    client.send(concat(Wire.frame("one", true), Wire.frame("", true)));
    client.send(Arrays.copyOfRange(Wire.frame(big, false), 0, 9));
    client.send(big);
    client.send(Wire.command(new ZmtpCommand.Ping(10, ascii("ctx"))));
    server.send(Wire.frame("back", false));
    byte[] sealed = sealedOutbound(client);
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).contains("MESSAGE").doesNotContain("xxxxxxxx");
    // Split the sealed octets at every position the decoder could stop.
    for (byte b : sealed) {
      server.receive(new byte[] {b});
    }
    connect(client, server);

    server.listener.assertEvents(frame("one", true), frame("", true), frame(big, false),
        new ZmtpCommand.Ping(10, ascii("ctx")));
    client.listener.assertEvents(frame("back", false));
    finish(client, server);
  }

  @Test
  void curveMessagesOpenFromHeapAndDirectBuffersManyPerRead() {
    End client = new End(ZmtpSocketType.DEALER, curveClient(SERVER_PUBLIC));
    End server = new End(ZmtpSocketType.ROUTER, new ZmtpSecurity.CurveServer(SERVER_PUBLIC, SERVER_SECRET, null));
    connect(client, server);
    byte[] big = new byte[300];
    Arrays.fill(big, (byte) 'y');
    client.send(concat(Wire.frame("a", true), Wire.frame(big, false), Wire.frame("c", false)));
    byte[] first = sealedOutbound(client);
    client.send(concat(Wire.frame("d", false), Wire.command(new ZmtpCommand.Ping(5, ascii("p")))));
    byte[] second = sealedOutbound(client);
    // Three MESSAGEs in one heap buffer (read in place), then two in one direct buffer (read a piece at a time).
    server.receive(first);
    server.channel.writeInbound(server.alloc.directBuffer(second.length).writeBytes(second));
    server.channel.checkException();
    server.listener.assertEvents(frame("a", true), frame(big, false), frame("c", false), frame("d", false),
        new ZmtpCommand.Ping(5, ascii("p")));
    finish(client, server);
  }

  @Test
  void curveMessageThatIsReplayedOrTamperedWithEndsTheConnection() {
    End client = new End(ZmtpSocketType.DEALER, curveClient(SERVER_PUBLIC));
    End server = new End(ZmtpSocketType.ROUTER, new ZmtpSecurity.CurveServer(SERVER_PUBLIC, SERVER_SECRET, null));
    connect(client, server);
    client.send(Wire.frame("once", false));
    byte[] sealed = sealedOutbound(client);
    server.receive(sealed);
    assertThatThrownBy(() -> server.receive(sealed)).hasMessageContaining("is not above the last one");
    server.listener.assertEvents(frame("once", false));
    finish(client, server);

    End client2 = new End(ZmtpSocketType.DEALER, curveClient(SERVER_PUBLIC));
    End server2 = new End(ZmtpSocketType.ROUTER, new ZmtpSecurity.CurveServer(SERVER_PUBLIC, SERVER_SECRET, null));
    connect(client2, server2);
    client2.send(Wire.frame("secret", false));
    byte[] tampered = sealedOutbound(client2);
    tampered[tampered.length - 1] ^= 1;
    assertThatThrownBy(() -> server2.channel.writeInbound(server2.alloc.directBuffer(tampered.length)
        .writeBytes(tampered))).hasMessageContaining("failed authentication");
    server2.listener.assertEvents();
    finish(client2, server2);
  }

  @Test
  void curveSealsFramesHowEverTheirOctetsAreSplitAcrossHeapAndDirectBuffers() {
    End client = new End(ZmtpSocketType.DEALER, curveClient(SERVER_PUBLIC));
    End server = new End(ZmtpSocketType.ROUTER, new ZmtpSecurity.CurveServer(SERVER_PUBLIC, SERVER_SECRET, null));
    connect(client, server);
    // Longer than the encoder's staging array, so that a direct body passes through it in several pieces.
    byte[] big = new byte[9_000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 7);
    }
    byte[] medium = new byte[300];
    Arrays.fill(medium, (byte) 'm');
    byte[] wire = concat(Wire.frame("one", true), Wire.frame(big, true), Wire.frame("", true),
        Wire.frame(medium, false), Wire.command(new ZmtpCommand.Ping(1, ascii("c"))));
    List<Integer> splits = new ArrayList<>();
    for (int k = 0; k <= wire.length; k++) {
      if (k < 40 || k > wire.length - 340 || k % 997 == 0) {
        splits.add(k);
      }
    }
    for (int k : splits) {
      // The first part on the heap, the second in direct memory, or the other way round.
      boolean headFirstDirect = k % 2 == 0;
      client.channel.write(buffer(client, Arrays.copyOfRange(wire, 0, k), headFirstDirect));
      client.channel.writeAndFlush(buffer(client, Arrays.copyOfRange(wire, k, wire.length), !headFirstDirect));
      byte[] sealed = sealedOutbound(client);
      assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("mmmmmmmm");
      server.receive(sealed);
      server.channel.checkException();
      server.listener.assertEvents(frame("one", true), frame(big, true), frame("", true), frame(medium, false),
          new ZmtpCommand.Ping(1, ascii("c")));
      server.listener.events().clear();
    }
    // Every octet in a buffer of its own: headers, short and long, gathered across writes.
    byte[] small = concat(Wire.frame("ab", true), Wire.frame(medium, false));
    for (byte b : small) {
      client.send(new byte[] {b});
    }
    server.receive(sealedOutbound(client));
    server.listener.assertEvents(frame("ab", true), frame(medium, false));
    finish(client, server);
  }

  @Test
  void aCurveMessageThatFailsAuthenticationPassesNothingOnButTheMessagesBeforeIt() {
    End client = new End(ZmtpSocketType.DEALER, curveClient(SERVER_PUBLIC));
    End server = new End(ZmtpSocketType.ROUTER, new ZmtpSecurity.CurveServer(SERVER_PUBLIC, SERVER_SECRET, null));
    connect(client, server);
    byte[] big = new byte[20_000];
    Arrays.fill(big, (byte) 's');
    client.send(Wire.frame("good", false));
    byte[] good = sealedOutbound(client);
    client.send(Wire.frame(big, false));
    byte[] forged = sealedOutbound(client);
    forged[forged.length - 1] ^= 1;
    byte[] both = concat(good, forged);
    // One direct read: the box is authenticated and decrypted piece by piece, its plaintext kept back until its tag.
    assertThatThrownBy(() -> server.channel.writeInbound(server.alloc.directBuffer(both.length).writeBytes(both)))
        .hasMessageContaining("failed authentication");
    server.listener.assertEvents(frame("good", false));
    finish(client, server);
  }

  @Test
  void aCurveMessageOverTheLimitFailsOnItsHeaderWithTheFrameDecodersCheck() {
    End client = new End(ZmtpSocketType.DEALER, curveClient(SERVER_PUBLIC));
    End server = new End(ZmtpSocketType.ROUTER, new ZmtpSecurity.CurveServer(SERVER_PUBLIC, SERVER_SECRET, null));
    connect(client, server);
    // Each frame is under the limit of 1 MiB; the message, two of them, is not.
    byte[] part = new byte[600_000];
    client.send(concat(Wire.frame(part, true), Wire.frame(part, false)));
    byte[] sealed = sealedOutbound(client);
    assertThatThrownBy(() -> server.receive(sealed)).hasMessageContaining("over the limit");
    server.listener.assertEvents(frame(part, true));
    finish(client, server);
  }

  @Test
  void aFrameHalfSealedWhenTheConnectionClosesIsReleased() {
    End client = new End(ZmtpSocketType.DEALER, curveClient(SERVER_PUBLIC));
    End server = new End(ZmtpSocketType.ROUTER, new ZmtpSecurity.CurveServer(SERVER_PUBLIC, SERVER_SECRET, null));
    connect(client, server);
    byte[] big = new byte[20_000];
    byte[] wire = concat(Wire.frame("done", false), Wire.frame(big, false));
    // The first frame and half of the second: the first goes out, the second waits in the encoder's buffer.
    client.send(Arrays.copyOfRange(wire, 0, wire.length / 2));
    server.receive(sealedOutbound(client));
    server.listener.assertEvents(frame("done", false));
    finish(client, server);
  }

  private static ByteBuf buffer(End end, byte[] octets, boolean direct) {
    return (direct ? end.alloc.directBuffer(octets.length) : end.alloc.heapBuffer(octets.length)).writeBytes(octets);
  }

  private static byte[] sealedOutbound(End end) {
    List<ByteBuf> wire = end.takeOutbound();
    byte[] octets = concat(wire.stream().map(ByteBufUtil::getBytes).toArray(byte[][]::new));
    wire.forEach(ByteBuf::release);
    return octets;
  }

  @Test
  void curveClientWithTheWrongServerKeyIsRefused() {
    End client = new End(ZmtpSocketType.DEALER, curveClient(ZmtpCurveBox.publicKey(ZmtpCurveBox.newSecretKey())));
    End server = new End(ZmtpSocketType.ROUTER, new ZmtpSecurity.CurveServer(SERVER_PUBLIC, SERVER_SECRET, null));
    connect(client, server);

    assertThat(server.future().cause()).hasMessageContaining("failed authentication");
    assertThat(client.future().cause()).hasMessageContaining("peer sent ERROR");
    finish(client, server);
  }

  @Test
  void curveClientRefusedByTheAuthenticator() {
    End client = new End(ZmtpSocketType.DEALER, curveClient(SERVER_PUBLIC));
    End server = new End(ZmtpSocketType.ROUTER, new ZmtpSecurity.CurveServer(SERVER_PUBLIC, SERVER_SECRET,
        request -> {
          throw new ZmtpAuthenticationException("CURVE client key not allowed");
        }));
    connect(client, server);

    assertThat(server.future().cause()).isInstanceOf(ZmtpAuthenticationException.class)
        .hasMessage("handshake: CURVE client key not allowed");
    assertThat(client.future().cause()).hasMessageContaining("ERROR: 400");
    finish(client, server);
  }

  @Test
  void curveHandshakeTimesOut() {
    End client = new End(ZmtpSocketType.DEALER, curveClient(SERVER_PUBLIC));
    client.receive(Wire.written(out -> ZmtpGreeting.ours("CURVE", true).encode(out)));
    client.takeOutbound().forEach(ByteBuf::release);
    client.channel.advanceTimeBy(TIMEOUT.toNanos() + 1, TimeUnit.NANOSECONDS);
    client.channel.runScheduledPendingTasks();
    assertThat(client.future().cause()).hasMessageContaining("waiting for the peer's WELCOME");
  }

  private static ZmtpSecurity curveClient(byte[] serverKey) {
    return new ZmtpSecurity.CurveClient(CLIENT_PUBLIC, CLIENT_SECRET, serverKey);
  }

  private static void connect(End a, End b) {
    while (transfer(a, b) | transfer(b, a)) {
      // keep going
    }
  }

  private static boolean transfer(End from, End to) {
    List<ByteBuf> out = from.takeOutbound();
    out.forEach(to::receive);
    return !out.isEmpty();
  }

  private static void finish(End... ends) {
    for (End end : ends) {
      end.channel.finishAndReleaseAll();
      end.alloc.assertAllReleased();
    }
  }

  /** One end of a connection: an embedded channel running the handshake. */
  private static final class End {
    final TrackingAllocator alloc = new TrackingAllocator();
    final RecordingListener listener = new RecordingListener();
    final EmbeddedChannel channel = new EmbeddedChannel();
    final ZmtpHandshakeHandler handler;

    End(ZmtpSocketType type, ZmtpSecurity security) {
      channel.config().setAllocator(alloc);
      channel.freezeTime();
      ZmtpHandshakeOptions options = new ZmtpHandshakeOptions(type, ascii(type == ZmtpSocketType.DEALER ? "c" : ""),
          1 << 20, 1024, TIMEOUT, security);
      handler = new ZmtpHandshakeHandler(options, peer -> listener);
      channel.pipeline().addLast("zmtp-handshake", handler);
    }

    Future<ZmtpPeer> future() {
      return handler.handshakeFuture();
    }

    void receive(byte[] octets) {
      receive(alloc.copyOf(octets));
    }

    void receive(ByteBuf buf) {
      if (channel.isOpen()) {
        channel.writeInbound(buf);
      } else {
        buf.release();
      }
    }

    void send(byte[] octets) {
      channel.writeAndFlush(alloc.copyOf(octets));
    }

    List<ByteBuf> takeOutbound() {
      List<ByteBuf> out = new ArrayList<>();
      for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
        out.add(buf);
      }
      return out;
    }
  }
}
