package io.switchboard.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.zmtp.ZmtpFrameDecoder;
import io.switchboard.zmtp.ZmtpFrameListener;
import io.switchboard.zmtp.ZmtpFrames;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding ZMTP message frames with {@link ZmtpFrames} into pooled buffers, and decoding them with
 * {@link ZmtpFrameDecoder} in an {@link EmbeddedChannel}.
 *
 * <p>The steady state should allocate nothing per frame beyond the decoded body: with {@code -prof gc},
 * {@code gc.alloc.rate.norm} of {@code encodeDecode} should be close to the body array ({@code size} + 16 octets of
 * array header), and {@code encode} close to zero. Input goes in through {@code pipeline().fireChannelRead} rather
 * than {@code writeInbound}, whose varargs array would otherwise be counted against every frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ZmtpFrameCodecBenchmark {
  /** Frames per buffer in {@link #encodeDecodeBatch()}. */
  public static final int FRAMES_PER_BUFFER = 16;

  private static final long MAX_MESSAGE_SIZE = 64L << 20;

  /** The body size in octets: a short frame, a long frame, a big one. */
  @Param({"16", "1024", "65536"})
  public int size;

  private final ByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
  private final LastFrame sink = new LastFrame();
  private byte[] body;
  private EmbeddedChannel channel;
  private ChannelPipeline pipeline;

  /** Makes the body and the channel. */
  @Setup
  public void setUp() {
    body = new byte[size];
    channel = new EmbeddedChannel(new ZmtpFrameDecoder(sink, MAX_MESSAGE_SIZE));
    pipeline = channel.pipeline();
  }

  /** Closes the channel and checks that it saw no error. */
  @TearDown
  public void tearDown() {
    channel.checkException();
    channel.finishAndReleaseAll();
  }

  /** Writes one frame into a pooled buffer and releases it. */
  @Benchmark
  public int encode() {
    ByteBuf out = allocator.buffer(ZmtpFrames.headerLength(size) + size);
    try {
      ZmtpFrames.writeFrame(out, body, false);
      return out.readableBytes();
    } finally {
      out.release();
    }
  }

  /** Writes one frame into a pooled buffer and decodes it; the decoder releases the buffer. */
  @Benchmark
  public byte[] encodeDecode() {
    ByteBuf out = allocator.buffer(ZmtpFrames.headerLength(size) + size);
    ZmtpFrames.writeFrame(out, body, false);
    pipeline.fireChannelRead(out);
    return sink.take();
  }

  /** Writes {@value #FRAMES_PER_BUFFER} frames into one buffer and decodes them; scores are per frame. */
  @Benchmark
  @OperationsPerInvocation(FRAMES_PER_BUFFER)
  public byte[] encodeDecodeBatch() {
    ByteBuf out = allocator.buffer((ZmtpFrames.headerLength(size) + size) * FRAMES_PER_BUFFER);
    for (int i = 0; i < FRAMES_PER_BUFFER; i++) {
      ZmtpFrames.writeFrame(out, body, false);
    }
    pipeline.fireChannelRead(out);
    if (sink.frames != FRAMES_PER_BUFFER) {
      channel.checkException();
      throw new IllegalStateException("decoded " + sink.frames + " frames (expected: " + FRAMES_PER_BUFFER + ")");
    }
    return sink.take();
  }
}
