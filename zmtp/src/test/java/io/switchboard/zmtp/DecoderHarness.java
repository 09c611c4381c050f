package io.switchboard.zmtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;

/**
 * One {@link ZmtpFrameDecoder} on an embedded channel whose every buffer is tracked, its listener taking frames as
 * arrays or, for the zero-copy mode, as buffers.
 */
final class DecoderHarness {
  final TrackingAllocator alloc = new TrackingAllocator();
  final RecordingListener listener;
  final EmbeddedChannel channel = new EmbeddedChannel();

  DecoderHarness(long maxMessageSize) {
    this(maxMessageSize, false);
  }

  DecoderHarness(long maxMessageSize, boolean buffers) {
    listener = new RecordingListener(buffers);
    channel.config().setAllocator(alloc);
    channel.pipeline().addLast(new ZmtpFrameDecoder(listener, maxMessageSize));
  }

  /** Feeds {@code chunks} to a fresh decoder, checks that nothing is left over, and returns what it delivered. */
  static List<Object> decode(long maxMessageSize, byte[]... chunks) {
    return decode(maxMessageSize, false, chunks);
  }

  /** As {@link #decode(long, byte[]...)}, with frames as arrays or as buffers. */
  static List<Object> decode(long maxMessageSize, boolean buffers, byte[]... chunks) {
    DecoderHarness h = new DecoderHarness(maxMessageSize, buffers);
    for (byte[] chunk : chunks) {
      h.write(chunk);
    }
    h.finish();
    return h.listener.events();
  }

  /** Writes a copy of {@code octets} inbound; the decoder must not pass anything down the pipeline. */
  void write(byte[] octets) {
    assertThat(channel.writeInbound(alloc.copyOf(octets))).as("decoder passed a message on").isFalse();
  }

  /** Closes the channel and checks that nothing is left over: no message in either direction, no live buffer. */
  void finish() {
    assertThat(channel.finish()).as("messages left in the channel").isFalse();
    alloc.assertAllReleased();
  }
}
