package io.switchboard.zmtp.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.zmtp.ZmtpFrameDecoder;
import io.switchboard.zmtp.fuzz.FuzzSupport.Recorder;
import io.switchboard.zmtp.fuzz.FuzzSupport.Tail;
import io.switchboard.zmtp.fuzz.FuzzSupport.TrackingAllocator;
import java.util.List;

/**
 * Fuzzes {@link ZmtpFrameDecoder} on an {@link EmbeddedChannel}: arbitrary octets, arbitrary split points, a small
 * {@code maxMessageSize} (0 to 4095) taken from the input. Seeds are in
 * {@code src/test/resources/io/switchboard/zmtp/fuzz/ZmtpFrameDecoderFuzzTestInputs}.
 */
class ZmtpFrameDecoderFuzzTest {
  /**
   * Besides the shared invariants: frames and commands never exceed the limit, nothing is delivered after an error,
   * and the split points change nothing (the same events and the same error as the whole input in one read).
   */
  @FuzzTest(maxDuration = "5m")
  void frames(byte[] data) {
    FuzzSupport.assertAllocationBounded(data.length, 64, () -> framesRun(data));
  }

  private static void framesRun(byte[] data) {
    FuzzSupport.Input input = FuzzSupport.Input.parse(data, 2);
    long maxMessageSize = (input.param(0) << 8 | input.param(1)) & 0xFFF;
    Run split = run(maxMessageSize, input.chunks());
    Run whole = run(maxMessageSize, List.of(input.payload));
    assertThat(split.recorder.events).as("events with split points").isEqualTo(whole.recorder.events);
    assertThat(split.failed).as("error with split points").isEqualTo(whole.failed);
  }

  private record Run(Recorder recorder, boolean failed) {}

  private static Run run(long maxMessageSize, List<byte[]> chunks) {
    TrackingAllocator alloc = new TrackingAllocator();
    Recorder recorder = new Recorder(maxMessageSize);
    Tail tail = new Tail();
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.config().setAllocator(alloc);
    channel.pipeline().addLast(new ZmtpFrameDecoder(recorder, maxMessageSize), tail);
    int fed = 0;
    for (byte[] chunk : chunks) {
      fed += chunk.length;
      FuzzSupport.writeInbound(channel, alloc, chunk);
      if (!tail.exceptions.isEmpty()) {
        recorder.failed = true;
      }
    }
    for (Throwable t : tail.exceptions) {
      FuzzSupport.assertProtocolError(t);
    }
    assertThat(tail.exceptions.size()).as("errors reported").isLessThanOrEqualTo(1);
    assertThat(tail.strayMessages).as("messages the decoder passed on").isZero();
    if (!tail.exceptions.isEmpty()) {
      assertThat(channel.isOpen()).isFalse();
    }
    assertThat(recorder.bodyOctets).isLessThanOrEqualTo(fed);
    channel.finishAndReleaseAll();
    alloc.assertAllReleased();
    assertThat((long) alloc.largestRequest()).as("largest buffer requested").isLessThanOrEqualTo(2L * fed + 1024);
    return new Run(recorder, !tail.exceptions.isEmpty());
  }
}
