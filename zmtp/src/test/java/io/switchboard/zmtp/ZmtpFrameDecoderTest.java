package io.switchboard.zmtp;

import static io.switchboard.zmtp.DecoderHarness.decode;
import static io.switchboard.zmtp.RecordingListener.frame;
import static io.switchboard.zmtp.Wire.ascii;
import static io.switchboard.zmtp.Wire.concat;
import static io.switchboard.zmtp.Wire.hex;
import static io.switchboard.zmtp.Wire.range;
import static io.switchboard.zmtp.Wire.sequence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ZmtpFrameDecoder} against the frame grammar of RFC 23 and the commands of RFC 37. Every valid input is fed
 * whole, split in two at every octet, and one octet at a time; every run ends with no message and no buffer left.
 */
class ZmtpFrameDecoderTest {
  private static final long MAX = 1 << 20;

  // Hand-written wire images, so that the decoder is not tested against the encoder.
  private static final byte[] HELLO = hex("00 05 68656c6c6f");
  private static final byte[] EMPTY = hex("00 00");
  private static final byte[] MULTIPART = hex("01 01 61  01 00  00 01 63");
  private static final byte[] SHORT_255 = concat(hex("00 ff"), sequence(255));
  private static final byte[] LONG_256 = concat(hex("02 0000000000000100"), sequence(256));
  private static final byte[] LONG_256_MORE = concat(hex("03 0000000000000100"), sequence(256));
  private static final byte[] LONG_FORM_OF_3 = hex("02 0000000000000003 616263");
  private static final byte[] PING = hex("04 09 04 50494e47 0064 6162");
  private static final byte[] PONG = hex("04 07 04 504f4e47 6162");
  private static final byte[] SUBSCRIBE = hex("04 0b 09 535542534352494245 41");
  private static final byte[] SUBSCRIBE_ALL = hex("04 0a 09 535542534352494245");
  private static final byte[] CANCEL = hex("04 08 06 43414e43454c 41");
  private static final byte[] ERROR = hex("04 0a 05 4552524f52 03 626164");
  private static final byte[] UNKNOWN = hex("04 08 05 582d464f4f 7a7a");
  private static final byte[] LONG_SUBSCRIBE = concat(hex("06 0000000000000136 09 535542534352494245"), sequence(300));

  /** The zero-copy mode ({@link ZmtpFrameListener#framesAsBuffers()}): slices of what was read, never copies. */
  @Nested
  class AsBuffers {
    /** Keeps every frame it is given, unreleased, so that a test can look at what the decoder handed over. */
    private final List<ByteBuf> kept = new ArrayList<>();
    private final ZmtpFrameListener keeping = new ZmtpFrameListener() {
      @Override public boolean framesAsBuffers() {
        return true;
      }

      @Override public void onFrame(ByteBuf body, boolean more) {
        kept.add(body);
      }

      @Override public void onFrame(byte[] body, boolean more) {
        fail("an array in buffer mode");
      }

      @Override public void onCommand(ZmtpCommand command) {}
    };

    private EmbeddedChannel channel(TrackingAllocator alloc) {
      EmbeddedChannel channel = new EmbeddedChannel();
      channel.config().setAllocator(alloc);
      channel.pipeline().addLast(new ZmtpFrameDecoder(keeping, MAX));
      return channel;
    }

    @Test
    void framesOfOneReadAreSlicesOfItAndSmallOnesCopies() {
      TrackingAllocator alloc = new TrackingAllocator();
      EmbeddedChannel channel = channel(alloc);
      byte[] atLimit = concat(hex("00 40"), sequence(ZmtpFrameDecoder.COPY_UP_TO));
      byte[] overLimit = concat(hex("00 41"), sequence(ZmtpFrameDecoder.COPY_UP_TO + 1));
      ByteBuf read = alloc.copyOf(concat(HELLO, MULTIPART, atLimit, overLimit, SHORT_255));
      channel.writeInbound(read);
      assertThat(kept).hasSize(7);
      for (ByteBuf frame : kept.subList(0, 5)) {
        assertThat(frame.unwrap()).as("the buffer under %s", frame).isNotSameAs(read);
      }
      for (ByteBuf frame : kept.subList(5, 7)) {
        assertThat(frame.unwrap()).as("the buffer under %s", frame).isSameAs(read);
      }
      assertThat(kept.get(0).toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
      assertThat(ByteBufUtil.getBytes(kept.get(4))).isEqualTo(sequence(ZmtpFrameDecoder.COPY_UP_TO));
      assertThat(ByteBufUtil.getBytes(kept.get(5))).isEqualTo(sequence(ZmtpFrameDecoder.COPY_UP_TO + 1));
      kept.forEach(ByteBuf::release);
      channel.finishAndReleaseAll();
      alloc.assertAllReleased();
    }

    @Test
    void aLargeFrameAcrossReadsIsGatheredWithoutACopy() {
      TrackingAllocator alloc = new TrackingAllocator();
      EmbeddedChannel channel = channel(alloc);
      byte[] body = sequence(100_000);
      byte[] wire = concat(hex("02 00000000000186a0"), body);
      for (int at = 0; at < wire.length; at += 30_000) {
        channel.writeInbound(alloc.copyOf(range(wire, at, Math.min(wire.length, at + 30_000))));
      }
      assertThat(kept).singleElement().isInstanceOf(CompositeByteBuf.class);
      CompositeByteBuf frame = (CompositeByteBuf) kept.get(0);
      assertThat(frame.numComponents()).isEqualTo(4);
      assertThat(ByteBufUtil.getBytes(frame)).isEqualTo(body);
      frame.release();
      channel.finishAndReleaseAll();
      alloc.assertAllReleased();
    }

    @Test
    void aSmallFrameAcrossReadsIsGatheredToo() {
      TrackingAllocator alloc = new TrackingAllocator();
      EmbeddedChannel channel = channel(alloc);
      channel.writeInbound(alloc.copyOf(range(SHORT_255, 0, 100)));
      assertThat(kept).isEmpty();
      channel.writeInbound(alloc.copyOf(range(SHORT_255, 100, SHORT_255.length)));
      assertThat(kept).singleElement().isInstanceOf(CompositeByteBuf.class);
      assertThat(ByteBufUtil.getBytes(kept.get(0))).isEqualTo(sequence(255));
      kept.forEach(ByteBuf::release);
      channel.finishAndReleaseAll();
      alloc.assertAllReleased();
    }

    /**
     * A header cut off by the end of a read waits aside, so the next read is decoded where it landed: the frames in
     * it are slices of it, not of a copy.
     */
    @Test
    void aReadAfterACutOffHeaderIsNotCopied() {
      TrackingAllocator alloc = new TrackingAllocator();
      EmbeddedChannel channel = channel(alloc);
      byte[] wire = concat(HELLO, LONG_256, HELLO);
      channel.writeInbound(alloc.copyOf(range(wire, 0, HELLO.length + 4))); // hello, 4 of LONG_256's 9 header octets
      ByteBuf second = alloc.copyOf(range(wire, HELLO.length + 4, wire.length));
      channel.writeInbound(second);
      assertThat(kept).hasSize(3);
      assertThat(kept.get(1).unwrap()).isSameAs(second);
      assertThat(ByteBufUtil.getBytes(kept.get(1))).isEqualTo(sequence(256));
      kept.forEach(ByteBuf::release);
      channel.finishAndReleaseAll();
      alloc.assertAllReleased();
    }

    @Test
    void aFrameCutOffByTheConnectionsEndIsReleased() {
      TrackingAllocator alloc = new TrackingAllocator();
      EmbeddedChannel channel = channel(alloc);
      byte[] wire = concat(hex("02 00000000000186a0"), sequence(100_000));
      channel.writeInbound(alloc.copyOf(range(wire, 0, 60_000)));
      channel.finishAndReleaseAll();
      assertThat(kept).isEmpty();
      alloc.assertAllReleased();
    }
  }

  @Nested
  class ValidInput {
    @Test
    void shortFrame() {
      assertDecodes(HELLO, frame("hello", false));
    }

    @Test
    void emptyFrame() {
      assertDecodes(EMPTY, frame("", false));
    }

    @Test
    void multipartMessageWithEmptyMiddleFrame() {
      assertDecodes(MULTIPART, frame("a", true), frame("", true), frame("c", false));
    }

    @Test
    void largestShortFrame() {
      assertDecodes(SHORT_255, frame(sequence(255), false));
    }

    @Test
    void smallestLongFrame() {
      assertDecodes(LONG_256, frame(sequence(256), false));
    }

    @Test
    void longFrameWithMore() {
      assertDecodes(concat(LONG_256_MORE, HELLO), frame(sequence(256), true), frame("hello", false));
    }

    @Test
    void longFormMayCarryASmallBody() {
      assertDecodes(LONG_FORM_OF_3, frame("abc", false));
    }

    @Test
    void ping() {
      assertDecodes(PING, new ZmtpCommand.Ping(100, ascii("ab")));
    }

    @Test
    void pong() {
      assertDecodes(PONG, new ZmtpCommand.Pong(ascii("ab")));
    }

    @Test
    void subscribe() {
      assertDecodes(SUBSCRIBE, new ZmtpCommand.Subscribe(ascii("A")));
    }

    @Test
    void subscribeToEverything() {
      assertDecodes(SUBSCRIBE_ALL, new ZmtpCommand.Subscribe(new byte[0]));
    }

    @Test
    void cancel() {
      assertDecodes(CANCEL, new ZmtpCommand.Cancel(ascii("A")));
    }

    @Test
    void error() {
      assertDecodes(ERROR, new ZmtpCommand.Error("bad"));
    }

    @Test
    void unknownCommandIsDeliveredForTheCallerToIgnore() {
      assertDecodes(UNKNOWN, new ZmtpCommand.Other("X-FOO", ascii("zz")));
    }

    @Test
    void longCommandFrame() {
      assertDecodes(LONG_SUBSCRIBE, new ZmtpCommand.Subscribe(sequence(300)));
    }

    @Test
    void commandsBetweenMessages() {
      assertDecodes(concat(HELLO, PING, MULTIPART, PONG, EMPTY),
          frame("hello", false), new ZmtpCommand.Ping(100, ascii("ab")),
          frame("a", true), frame("", true), frame("c", false),
          new ZmtpCommand.Pong(ascii("ab")), frame("", false));
    }

    @Test
    void manyFramesAndCommandsInOneBuffer() {
      byte[] wire = concat(HELLO, EMPTY, MULTIPART, SHORT_255, LONG_256, LONG_256_MORE, LONG_FORM_OF_3, PING, PONG,
          SUBSCRIBE, SUBSCRIBE_ALL, CANCEL, ERROR, UNKNOWN, LONG_SUBSCRIBE);
      assertDecodes(wire,
          frame("hello", false), frame("", false), frame("a", true), frame("", true), frame("c", false),
          frame(sequence(255), false), frame(sequence(256), false), frame(sequence(256), true),
          frame("abc", false),
          new ZmtpCommand.Ping(100, ascii("ab")), new ZmtpCommand.Pong(ascii("ab")),
          new ZmtpCommand.Subscribe(ascii("A")), new ZmtpCommand.Subscribe(new byte[0]),
          new ZmtpCommand.Cancel(ascii("A")), new ZmtpCommand.Error("bad"),
          new ZmtpCommand.Other("X-FOO", ascii("zz")), new ZmtpCommand.Subscribe(sequence(300)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void largeFrameFedWholeAndInPieces(boolean buffers) {
      byte[] body = sequence(100_000);
      byte[] wire = concat(hex("02 00000000000186a0"), body);
      assertThat(decode(MAX, buffers, wire)).singleElement().isEqualTo(frame(body, false));
      assertThat(decode(MAX, buffers, range(wire, 0, 5), range(wire, 5, 50_000), range(wire, 50_000, wire.length)))
          .singleElement().isEqualTo(frame(body, false));
    }

    @Test
    void partialFrameIsHeldUntilComplete() {
      DecoderHarness h = new DecoderHarness(MAX);
      h.write(range(HELLO, 0, 4));
      h.listener.assertEvents();
      h.write(range(HELLO, 4, HELLO.length));
      h.listener.assertEvents(frame("hello", false));
      h.finish();
    }
  }

  @Nested
  class SizeLimit {
    @Test
    void frameOfExactlyTheLimitIsAccepted() {
      assertThat(decode(5, hex("00 05 0102030405"))).singleElement().isEqualTo(frame(hex("0102030405"), false));
    }

    @Test
    void frameOneOverTheLimitIsRejected() {
      assertRejected(5, hex("00 06 010203040506"), "over the limit");
    }

    @Test
    void multipartMessageOfExactlyTheLimitIsAccepted() {
      assertThat(decode(5, hex("01 03 010203  00 02 0405"))).hasSize(2);
    }

    @Test
    void multipartMessageOverTheLimitIsRejected() {
      Rejection r = assertRejected(5, hex("01 03 010203  01 02 0405  00 01 06"), "message of 6 octets");
      assertThat(r.delivered()).containsExactly(frame(hex("010203"), true), frame(hex("0405"), true));
    }

    @Test
    void limitAppliesPerMessage() {
      assertThat(decode(5, hex("01 03 010203  00 02 0405  00 05 0102030405  01 04 01020304  00 01 05")))
          .hasSize(5);
    }

    @Test
    void commandsCountOnTheirOwn() {
      // PING without context is 7 octets; neither the messages nor the commands may exceed 7.
      byte[] ping = hex("04 07 04 50494e47 0000");
      assertThat(decode(7, concat(hex("00 07 01020304050607"), ping, hex("00 07 01020304050607")))).hasSize(3);
    }

    @Test
    void commandOverTheLimitIsRejected() {
      assertRejected(8, PING, "over the limit");
    }

    @Test
    void hugeHeaderFailsAtOnceWithoutWaitingForTheBody() {
      // 2^40 octets: only the nine header octets arrive; the decoder must not wait for (or allocate) the body.
      Rejection r = assertRejected(MAX, hex("02 0000010000000000"), "1099511627776");
      assertThat(r.failedAtOctet()).isEqualTo(8);
    }

    @Test
    void hugeHeaderFailsEvenWithoutALimit() {
      // No byte[] can hold 2^40 octets, whatever the configured limit.
      Rejection r = assertRejected(Long.MAX_VALUE, hex("02 0000010000000000"), "over the limit");
      assertThat(r.failedAtOctet()).isEqualTo(8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8000000000000000", "ffffffffffffffff"})
    void negativeLongSizeIsRejected(String size) {
      assertRejected(MAX, hex("02" + size), "more than 2^63");
    }

    @Test
    void sizeThatOverflowsTheMessageTotalIsRejected() {
      // 10 octets so far plus 2^63 - 6 wraps around to a negative total, which must not slip past the limit.
      Rejection r = assertRejected(100, concat(hex("01 0a"), sequence(10), hex("02 7ffffffffffffffa")),
          "over the limit");
      assertThat(r.delivered()).containsExactly(frame(sequence(10), true));
    }
  }

  @Nested
  class MalformedInput {
    @ParameterizedTest(name = "flags {0}")
    @ValueSource(ints = {0x08, 0x10, 0x20, 0x40, 0x80, 0xf8, 0xfd})
    void reservedFlagBitsAreRejected(int flags) {
      // 0xfd has MORE and COMMAND set too, but not LONG, so the two octets here are a whole header.
      assertRejected(MAX, new byte[] {(byte) flags, 0}, "reserved flag bits");
    }

    @Test
    void moreFlagOnACommandIsRejected() {
      assertRejected(MAX, hex("05 07 04 50494e47 0000"), "MORE flag on a command");
    }

    @Test
    void commandInsideAMultipartMessageIsRejected() {
      Rejection r = assertRejected(MAX, concat(hex("01 01 61"), PING), "command inside a multipart message");
      assertThat(r.delivered()).containsExactly(frame("a", true));
    }

    @Test
    void commandAfterAnEmptyMoreFrameIsRejected() {
      Rejection r = assertRejected(MAX, concat(hex("01 00"), PING), "command inside a multipart message");
      assertThat(r.delivered()).containsExactly(frame("", true));
    }

    @Test
    void emptyCommandFrameIsRejected() {
      assertRejected(MAX, hex("04 00"), "empty command frame");
    }

    @Test
    void malformedCommandBodyIsRejected() {
      assertRejected(MAX, hex("04 06 04 50494e47 00"), "PING");
    }

    @Test
    void commandNameLongerThanTheFrameIsRejected() {
      assertRejected(MAX, hex("04 03 05 5049"), "does not fit");
    }
  }

  // ---------------------------------------------------------------------------------------------------------------

  /** What was delivered before the decoder failed, and which octet (in one-at-a-time feeding) made it fail. */
  private record Rejection(List<Object> delivered, int failedAtOctet) {}

  private static byte[][] octetByOctet(byte[] wire) {
    byte[][] chunks = new byte[wire.length][];
    for (int i = 0; i < wire.length; i++) {
      chunks[i] = new byte[] {wire[i]};
    }
    return chunks;
  }

  /** Decodes {@code wire} whole, split at every octet and octet by octet; each must yield {@code expected}. */
  /** Asserts that {@code wire} decodes to {@code expected} in each way it can arrive, to arrays and to buffers. */
  private static void assertDecodes(byte[] wire, Object... expected) {
    for (boolean buffers : new boolean[] {false, true}) {
      RecordingListener.assertEvents(decode(MAX, buffers, wire), expected);
      for (int i = 1; i < wire.length; i++) {
        List<Object> events = decode(MAX, buffers, range(wire, 0, i), range(wire, i, wire.length));
        assertThat(events).as("split at octet %d, buffers %s", i, buffers).hasSameSizeAs(expected);
        RecordingListener.assertEvents(events, expected);
      }
      RecordingListener.assertEvents(decode(MAX, buffers, octetByOctet(wire)), expected);
    }
  }

  /**
   * Asserts that {@code wire}, fed whole and octet by octet, fails exactly once with a {@link ZmtpException} wrapped
   * in a {@link DecoderException}, and that the decoder then discards a valid frame without complaint or leak.
   */
  private static Rejection assertRejected(long maxMessageSize, byte[] wire, String reason) {
    Rejection whole = feedUntilRejected(maxMessageSize, new byte[][] {wire}, reason);
    Rejection octets = feedUntilRejected(maxMessageSize, octetByOctet(wire), reason);
    RecordingListener.assertEvents(whole.delivered(), octets.delivered().toArray());
    return octets;
  }

  private static Rejection feedUntilRejected(long maxMessageSize, byte[][] chunks, String reason) {
    DecoderHarness h = new DecoderHarness(maxMessageSize);
    int failedAt = -1;
    for (int i = 0; i < chunks.length; i++) {
      try {
        h.write(chunks[i]);
      } catch (DecoderException e) {
        assertThat(failedAt).as("failed twice, at chunk %d and %d", failedAt, i).isEqualTo(-1);
        assertThat(e.getCause()).isInstanceOf(ZmtpException.class).hasMessageContaining(reason);
        failedAt = i;
      }
    }
    if (failedAt < 0) {
      fail("input was accepted: " + hex(concat(chunks)));
    }
    List<Object> delivered = new ArrayList<>(h.listener.events());
    h.write(HELLO);
    h.write(PING);
    assertThat(h.listener.events()).as("events after the failure").isEqualTo(delivered);
    h.finish();
    return new Rejection(delivered, failedAt);
  }
}
