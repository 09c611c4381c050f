package io.switchboard.zmtp;

import static io.switchboard.zmtp.RecordingListener.frame;
import static io.switchboard.zmtp.Wire.ascii;
import static io.switchboard.zmtp.Wire.concat;
import static io.switchboard.zmtp.Wire.hex;
import static io.switchboard.zmtp.Wire.range;
import static io.switchboard.zmtp.Wire.sequence;
import static io.switchboard.zmtp.ZmtpSocketType.DEALER;
import static io.switchboard.zmtp.ZmtpSocketType.PUB;
import static io.switchboard.zmtp.ZmtpSocketType.PUSH;
import static io.switchboard.zmtp.ZmtpSocketType.ROUTER;
import static io.switchboard.zmtp.ZmtpSocketType.SUB;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.Future;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link ZmtpHandshakeHandler}: the NULL handshake of RFC 23, between two handlers wired back to back or against raw
 * octets from a scripted peer. Time is frozen on every channel, so the handshake timeout fires only when a test
 * advances the clock.
 */
class ZmtpHandshakeHandlerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final int MAX_METADATA = 64;
  private static final byte[] GREETING_31 = Wire.greeting(3, 1, "NULL");

  @Nested
  class Success {
    @Test
    void completesOnBothSides() {
      End dealer = new End(options(DEALER, "alice"));
      End router = new End(options(ROUTER, "bob"));
      connect(dealer, router);

      assertHandshook(dealer, ROUTER, "bob");
      assertHandshook(router, DEALER, "alice");
      finish(dealer, router);
    }

    @Test
    void framesFlowBothWaysAfterwards() {
      End pub = new End(options(PUB, ""));
      End sub = new End(options(SUB, ""));
      connect(pub, sub);

      sub.send(Wire.command(new ZmtpCommand.Subscribe(ascii("news"))));
      pub.send(concat(Wire.frame("news", true), Wire.frame("hello", false)));
      connect(pub, sub);

      pub.listener.assertEvents(new ZmtpCommand.Subscribe(ascii("news")));
      sub.listener.assertEvents(frame("news", true), frame("hello", false));
      finish(pub, sub);
    }

    @Test
    void octetsInTheSameBufferAsReadyAreDecodedAsFrames() {
      End dealer = new End(options(DEALER, "alice"));
      dealer.receive(concat(GREETING_31, ready("ROUTER", "bob"), afterReady()));

      assertHandshook(dealer, ROUTER, "bob");
      dealer.listener.assertEvents(eventsAfterReady());
      finish(dealer);
    }

    @Test
    void handshakeAndFramesSplitAtEveryOctet() {
      byte[] wire = concat(GREETING_31, ready("ROUTER", "bob"), afterReady());
      for (int i = 1; i < wire.length; i++) {
        End dealer = new End(options(DEALER, "alice"));
        dealer.receive(range(wire, 0, i));
        dealer.receive(range(wire, i, wire.length));

        assertThat(dealer.future().isSuccess()).as("split at octet %d", i).isTrue();
        dealer.listener.assertEvents(eventsAfterReady());
        finish(dealer);
      }
    }

    @Test
    void handshakeAndFramesOctetByOctet() {
      End dealer = new End(options(DEALER, "alice"));
      for (byte octet : concat(GREETING_31, ready("ROUTER", "bob"), afterReady())) {
        dealer.receive(new byte[] {octet});
      }
      assertHandshook(dealer, ROUTER, "bob");
      dealer.listener.assertEvents(eventsAfterReady());
      finish(dealer);
    }

    @ParameterizedTest(name = "peer greeting {0}.{1}: zmtp31 = {2}")
    @CsvSource({"3, 0, false", "3, 1, true", "4, 0, true"})
    void peerVersionDecidesTheRevision(int major, int minor, boolean zmtp31) {
      // RFC 23: "A peer MUST accept higher protocol versions as valid."
      End dealer = new End(options(DEALER, ""));
      dealer.receive(concat(Wire.greeting(major, minor, "NULL"), ready("ROUTER", "")));

      ZmtpPeer peer = assertHandshook(dealer, ROUTER, "");
      assertThat(peer.zmtp31()).isEqualTo(zmtp31);
      assertThat(peer.greeting()).isEqualTo(new ZmtpGreeting(major, minor, "NULL", false));
      finish(dealer);
    }

    @ParameterizedTest
    @EnumSource(ZmtpSocketType.class)
    void readyFollowsThePeersGreeting(ZmtpSocketType type) {
      End end = new End(options(type, "me"));
      assertThat(end.sentCommands()).as("nothing but the greeting before the peer's greeting").isEmpty();
      end.receive(GREETING_31);

      List<ZmtpCommand> commands = end.sentCommands();
      assertThat(commands).singleElement().isInstanceOf(ZmtpCommand.Ready.class);
      ZmtpMetadata metadata = ((ZmtpCommand.Ready) commands.get(0)).metadata();
      assertThat(metadata.getString("Socket-Type")).isEqualTo(type.name());
      // RFC 23: Identity is sent by REQ, DEALER and ROUTER only.
      boolean sendsIdentity = switch (type) {
        case REQ, DEALER, ROUTER -> true;
        default -> false;
      };
      assertThat(metadata.getString("Identity")).isEqualTo(sendsIdentity ? "me" : null);
      finish(end);
    }

    @Test
    void greetingGoesOutOnceWhenAddedBeforeTheChannelIsActive() throws Exception {
      TrackingAllocator alloc = new TrackingAllocator();
      EmbeddedChannel channel = new EmbeddedChannel(false, false);
      channel.config().setAllocator(alloc);
      ZmtpHandshakeHandler handler = new ZmtpHandshakeHandler(options(PUB, ""), peer -> new RecordingListener());
      channel.pipeline().addLast(handler);
      channel.register();

      ByteBuf sent = channel.readOutbound();
      assertThat(Wire.range(Wire.drain(sent), 0, 64)).isEqualTo(GREETING_31);
      assertThat(channel.outboundMessages()).isEmpty();
      assertThat(channel.finish()).isFalse();
      alloc.assertAllReleased();
    }

    @Test
    void peerPropertiesAreKept() {
      Map<String, byte[]> properties = new LinkedHashMap<>();
      properties.put("Socket-Type", ascii("ROUTER"));
      properties.put("X-Custom", ascii("value"));
      End dealer = new End(options(DEALER, ""));
      dealer.receive(concat(GREETING_31, ready(properties)));

      ZmtpPeer peer = assertHandshook(dealer, ROUTER, "");
      assertThat(peer.metadata().getString("x-custom")).isEqualTo("value");
      assertThat(peer.identity()).as("no Identity sent").isEmpty();
      finish(dealer);
    }

    @Test
    void readyOfExactlyMaxMetadataSizeIsAccepted() {
      End dealer = new End(options(DEALER, ""));
      dealer.receive(concat(GREETING_31, paddedReady(MAX_METADATA)));
      assertHandshook(dealer, ROUTER, "");
      finish(dealer);
    }

    @Test
    void timeoutIsCancelledBySuccess() {
      End dealer = new End(options(DEALER, ""));
      dealer.receive(concat(GREETING_31, ready("ROUTER", "")));
      dealer.advance(TIMEOUT.multipliedBy(2));

      assertThat(dealer.channel.isOpen()).isTrue();
      assertThat(dealer.future().isSuccess()).isTrue();
      finish(dealer);
    }
  }

  @Nested
  class Failure {
    @Test
    void incompatibleSocketTypesFailBothSides() {
      End pub = new End(options(PUB, ""));
      End push = new End(options(PUSH, ""));
      connect(pub, push);

      assertFailed(pub, "Socket-Type PUSH cannot talk to PUB");
      assertFailed(push, "Socket-Type PUB cannot talk to PUSH");
      assertSentError(pub, "Socket-Type PUSH cannot talk to PUB");
      assertSentError(push, "Socket-Type PUB cannot talk to PUSH");
      finish(pub, push);
    }

    @Test
    void otherMechanism() {
      End dealer = new End(options(DEALER, ""));
      dealer.receive(Wire.greeting(3, 1, "PLAIN"));

      assertFailed(dealer, "mechanism PLAIN");
      assertSentError(dealer, "mechanism PLAIN");
      finish(dealer);
    }

    @Test
    void zmtp20PeerIsRefusedAfter11Octets() {
      // ZMTP 2.0 sends the same signature, then revision 1 (major version 1), socket type and identity.
      End dealer = new End(options(DEALER, ""));
      dealer.receive(hex("ff 0000000000000001 7f"));
      assertThat(dealer.future().isDone()).as("done after 10 octets").isFalse();
      dealer.receive(hex("01"));

      assertFailed(dealer, "major version 1");
      assertSentNoError(dealer);
      finish(dealer);
    }

    @Test
    void zmtp10PeerIsRefusedAtTheFirstOctet() {
      // ZMTP 1.0 opens with an identity frame: length 1, flags 0.
      End dealer = new End(options(DEALER, ""));
      dealer.receive(hex("01"));

      assertFailed(dealer, "no ZMTP 3 signature");
      assertSentNoError(dealer);
      finish(dealer);
    }

    @Test
    void garbageIsRefusedAtTheFirstOctet() {
      End dealer = new End(options(DEALER, ""));
      dealer.receive(ascii("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"));

      assertFailed(dealer, "no ZMTP 3 signature");
      assertSentNoError(dealer);
      finish(dealer);
    }

    @Test
    void badSignatureOctet9() {
      End dealer = new End(options(DEALER, ""));
      dealer.receive(hex("ff 0000000000000000 7e"));

      assertFailed(dealer, "octet 9");
      finish(dealer);
    }

    @Test
    void readyOverMaxMetadataSizeFailsOnItsHeader() {
      End dealer = new End(options(DEALER, ""));
      dealer.receive(concat(GREETING_31, hex("04 41")));

      assertFailed(dealer, "READY of 65 octets is over the limit (maxMetadataSize 64)");
      assertSentError(dealer, "over the limit");
      finish(dealer);
    }

    @Test
    void hugeReadyFailsOnItsHeader() {
      End dealer = new End(options(DEALER, ""));
      dealer.receive(concat(GREETING_31, hex("06 0000010000000000")));

      assertFailed(dealer, "READY of 1099511627776 octets");
      finish(dealer);
    }

    @Test
    void readyOneOverMaxMetadataSize() {
      End dealer = new End(options(DEALER, ""));
      dealer.receive(concat(GREETING_31, paddedReady(MAX_METADATA + 1)));

      assertFailed(dealer, "over the limit");
      finish(dealer);
    }

    @Test
    void handshakeTimeout() {
      End dealer = new End(options(DEALER, ""));
      dealer.receive(range(GREETING_31, 0, 20));
      dealer.advance(TIMEOUT.minusMillis(1));
      assertThat(dealer.future().isDone()).as("done before the timeout").isFalse();
      assertThat(dealer.channel.isOpen()).isTrue();

      dealer.advance(Duration.ofMillis(1));
      assertFailed(dealer, "not complete after 5000 ms");
      assertSentNoError(dealer);
      finish(dealer);
    }

    @Test
    void peerSendsErrorInsteadOfReady() {
      End dealer = new End(options(DEALER, ""));
      dealer.receive(concat(GREETING_31, Wire.command(new ZmtpCommand.Error("go away"))));

      assertFailed(dealer, "peer sent ERROR: go away");
      assertSentNoError(dealer);
      finish(dealer);
    }

    @Test
    void peerSendsAnotherCommandInsteadOfReady() {
      End dealer = new End(options(DEALER, ""));
      dealer.receive(concat(GREETING_31, Wire.command(new ZmtpCommand.Ping(0, new byte[0]))));

      assertFailed(dealer, "peer sent PING (expected: READY)");
      assertSentError(dealer, "PING");
      finish(dealer);
    }

    @Test
    void peerSendsAMessageFrameInsteadOfReady() {
      End dealer = new End(options(DEALER, ""));
      dealer.receive(concat(GREETING_31, Wire.frame("hello", false)));

      assertFailed(dealer, "expected: a command");
      finish(dealer);
    }

    @Test
    void readyWithoutSocketType() {
      End dealer = new End(options(DEALER, ""));
      dealer.receive(concat(GREETING_31, ready(Map.of("Identity", ascii("x")))));

      assertFailed(dealer, "READY without Socket-Type");
      assertSentError(dealer, "Socket-Type");
      finish(dealer);
    }

    @Test
    void readyWithUnknownSocketType() {
      End dealer = new End(options(DEALER, ""));
      dealer.receive(concat(GREETING_31, ready("STREAM", "")));

      assertFailed(dealer, "Socket-Type: STREAM");
      finish(dealer);
    }

    @Test
    void readyWithTruncatedProperty() {
      End dealer = new End(options(DEALER, ""));
      dealer.receive(concat(GREETING_31, hex("04 08 05 5245414459 05 4142")));

      assertFailed(dealer, "metadata");
      finish(dealer);
    }

    @Test
    void connectionClosedDuringHandshake() {
      End dealer = new End(options(DEALER, ""));
      dealer.receive(range(GREETING_31, 0, 30));
      dealer.channel.close();

      assertFailed(dealer, "connection closed");
      finish(dealer);
    }

    @Test
    void applicationRefusesThePeer() {
      End dealer = new End(options(DEALER, ""), new ZmtpException("refused: not on the list"));
      dealer.receive(concat(GREETING_31, ready("ROUTER", "mallory"), Wire.frame("hello", false)));

      assertFailed(dealer, "refused: not on the list");
      assertThat(dealer.accepted).as("onReady saw the peer").hasSize(1);
      assertSentError(dealer, "refused");
      dealer.listener.assertEvents();
      finish(dealer);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------

  /** One end of a connection: an embedded channel running the handshake, with every buffer tracked. */
  private static final class End {
    final TrackingAllocator alloc = new TrackingAllocator();
    final RecordingListener listener = new RecordingListener();
    final List<ZmtpPeer> accepted = new ArrayList<>();
    final EmbeddedChannel channel = new EmbeddedChannel();
    final ZmtpHandshakeHandler handler;
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();

    End(ZmtpHandshakeOptions options) {
      this(options, null);
    }

    /** An end whose application refuses every peer with {@code refusal}, unless it is null. */
    End(ZmtpHandshakeOptions options, ZmtpException refusal) {
      channel.config().setAllocator(alloc);
      channel.freezeTime();
      handler = new ZmtpHandshakeHandler(options, peer -> {
        accepted.add(peer);
        if (refusal != null) {
          throw refusal;
        }
        return listener;
      });
      channel.pipeline().addLast("zmtp-handshake", handler);
    }

    Future<ZmtpPeer> future() {
      return handler.handshakeFuture();
    }

    /** Octets from the peer. */
    void receive(byte[] octets) {
      receive(alloc.copyOf(octets));
    }

    void receive(ByteBuf buf) {
      if (channel.isOpen()) {
        assertThat(channel.writeInbound(buf)).as("a message went past the handler").isFalse();
      } else {
        buf.release();
      }
    }

    /** Writes octets to the peer, as the socket layer would after the handshake. */
    void send(byte[] octets) {
      channel.writeAndFlush(alloc.copyOf(octets));
    }

    /** Takes what this end has written since the last call, and logs it for {@link #sent()}. */
    List<ByteBuf> takeOutbound() {
      List<ByteBuf> out = new ArrayList<>();
      for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
        sent.writeBytes(ByteBufUtil.getBytes(buf));
        out.add(buf);
      }
      return out;
    }

    /** Everything this end has written so far. */
    byte[] sent() {
      takeOutbound().forEach(ByteBuf::release);
      return sent.toByteArray();
    }

    /** The commands this end has written after its greeting. */
    List<ZmtpCommand> sentCommands() {
      byte[] octets = sent();
      ByteBuf in = Unpooled.wrappedBuffer(octets, ZmtpGreeting.LENGTH, octets.length - ZmtpGreeting.LENGTH);
      List<ZmtpCommand> commands = new ArrayList<>();
      while (in.isReadable()) {
        int flags = in.readUnsignedByte();
        assertThat(flags & ~ZmtpFrames.FLAG_LONG).as("flags").isEqualTo(ZmtpFrames.FLAG_COMMAND);
        long size = (flags & ZmtpFrames.FLAG_LONG) != 0 ? in.readLong() : in.readUnsignedByte();
        commands.add(ZmtpCommand.decode(in.readSlice((int) size)));
      }
      return commands;
    }

    /** Moves the clock on and runs the tasks that fall due. */
    void advance(Duration duration) {
      channel.advanceTimeBy(duration.toNanos(), TimeUnit.NANOSECONDS);
      channel.runScheduledPendingTasks();
      channel.runPendingTasks();
    }
  }

  private static ZmtpHandshakeOptions options(ZmtpSocketType type, String identity) {
    return new ZmtpHandshakeOptions(type, ascii(identity), 1 << 20, MAX_METADATA, TIMEOUT);
  }

  /** Moves the octets each end writes to the other's inbound until neither has anything more to say. */
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

  /** A READY frame with Socket-Type and, unless empty, Identity. */
  private static byte[] ready(String socketType, String identity) {
    Map<String, byte[]> properties = new LinkedHashMap<>();
    properties.put("Socket-Type", ascii(socketType));
    if (!identity.isEmpty()) {
      properties.put("Identity", ascii(identity));
    }
    return ready(properties);
  }

  private static byte[] ready(Map<String, byte[]> properties) {
    return Wire.command(new ZmtpCommand.Ready(ZmtpMetadata.of(properties)));
  }

  /** A READY from a ROUTER whose body is exactly {@code size} octets, padded with an X-Pad property. */
  private static byte[] paddedReady(int size) {
    int unpadded = new ZmtpCommand.Ready(ZmtpMetadata.of(Map.of("Socket-Type", ascii("ROUTER"), "X-Pad",
        new byte[0]))).encodedLength();
    byte[] ready = ready(Map.of("Socket-Type", ascii("ROUTER"), "X-Pad", new byte[size - unpadded]));
    assertThat(ready).hasSize(2 + size);
    return ready;
  }

  /** What the peer sends right behind its READY in the frame tests: a message, a command and a long frame. */
  private static byte[] afterReady() {
    return concat(Wire.frame("hello", true), Wire.frame("", false), Wire.command(new ZmtpCommand.Ping(10, ascii("c"))),
        Wire.frame(sequence(300), false));
  }

  private static Object[] eventsAfterReady() {
    return new Object[] {frame("hello", true), frame("", false), new ZmtpCommand.Ping(10, ascii("c")),
        frame(sequence(300), false)};
  }

  private static ZmtpPeer assertHandshook(End end, ZmtpSocketType peerType, String peerIdentity) {
    assertThat(end.future().isSuccess()).as("handshake succeeded; cause %s", end.future().cause()).isTrue();
    ZmtpPeer peer = end.future().getNow();
    assertThat(peer.socketType()).isEqualTo(peerType);
    assertThat(peer.identity()).isEqualTo(ascii(peerIdentity));
    assertThat(end.accepted).containsExactly(peer);
    assertThat(end.channel.isOpen()).isTrue();
    assertThat(end.channel.pipeline().get(ZmtpHandshakeHandler.class)).as("handshake handler").isNull();
    assertThat(end.channel.pipeline().get(ZmtpFrameDecoder.class)).as("frame decoder").isNotNull();
    return peer;
  }

  private static void assertFailed(End end, String reason) {
    assertThat(end.future().isDone()).as("handshake done").isTrue();
    assertThat(end.future().cause()).isInstanceOf(ZmtpException.class).hasMessageContaining(reason);
    assertThat(end.channel.isOpen()).as("channel open").isFalse();
    assertThat(end.channel.pipeline().get(ZmtpFrameDecoder.class)).as("frame decoder").isNull();
  }

  /** Asserts that the end told its peer why, in an ERROR command after its READY. */
  /** The end sent ERROR last, after READY if it had checked the peer's greeting. */
  private static void assertSentError(End end, String reason) {
    List<ZmtpCommand> commands = end.sentCommands();
    assertThat(commands).isNotEmpty().hasSizeLessThanOrEqualTo(2);
    assertThat(commands.get(commands.size() - 1)).isInstanceOfSatisfying(ZmtpCommand.Error.class,
        error -> assertThat(error.reason()).contains(reason));
    if (commands.size() == 2) {
      assertThat(commands.get(0)).isInstanceOf(ZmtpCommand.Ready.class);
    }
  }

  /** The end sent at most READY: no ERROR. */
  private static void assertSentNoError(End end) {
    assertThat(end.sentCommands()).hasSizeLessThanOrEqualTo(1).allMatch(c -> c instanceof ZmtpCommand.Ready);
  }

  /** Closes each end and checks that nothing is left over: no unread message, no live buffer. */
  private static void finish(End... ends) {
    for (End end : ends) {
      end.sent();
      assertThat(end.channel.finish()).as("messages left in the channel").isFalse();
    }
    for (End end : ends) {
      end.alloc.assertAllReleased();
    }
  }
}
