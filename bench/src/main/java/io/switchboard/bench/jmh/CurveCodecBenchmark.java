package io.switchboard.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.zmtp.ZmtpCurveBox;
import io.switchboard.zmtp.ZmtpFrames;
import io.switchboard.zmtp.ZmtpHandshakeHandler;
import io.switchboard.zmtp.ZmtpHandshakeOptions;
import io.switchboard.zmtp.ZmtpSecurity;
import io.switchboard.zmtp.ZmtpSocketType;
import java.time.Duration;
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
 * One CURVE-secured frame from a client to a server: the client's MESSAGE encoder seals it, the server's MESSAGE
 * decoder opens it and hands it to the frame decoder. Two {@link EmbeddedChannel}s run a real CURVE handshake in
 * {@link #setUp()}, then frames go from one to the other by hand, with no I/O.
 *
 * <p>With {@code -prof gc}, {@code gc.alloc.rate.norm} is the garbage per frame: ideally the delivered body
 * ({@code size} + 16 octets of array header) and nothing else.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class CurveCodecBenchmark {
  /** Frames per write in {@link #sealOpenBatch()}. */
  public static final int FRAMES_PER_BUFFER = 16;

  /** The body size in octets: small, medium, and a large message (64 KiB, 1 MiB). */
  @Param({"16", "1024", "65536", "1048576"})
  public int size;

  private final ByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
  private final LastFrame sink = new LastFrame();
  private byte[] body;
  private EmbeddedChannel client;
  private EmbeddedChannel server;

  /** Runs the CURVE handshake between the two channels. */
  @Setup
  public void setUp() {
    body = new byte[size];
    byte[] serverSecret = ZmtpCurveBox.newSecretKey();
    byte[] serverPublic = ZmtpCurveBox.publicKey(serverSecret);
    byte[] clientSecret = ZmtpCurveBox.newSecretKey();
    client = new EmbeddedChannel(new ZmtpHandshakeHandler(options(ZmtpSocketType.PUSH,
        new ZmtpSecurity.CurveClient(ZmtpCurveBox.publicKey(clientSecret), clientSecret, serverPublic)),
        peer -> new LastFrame()));
    server = new EmbeddedChannel(new ZmtpHandshakeHandler(options(ZmtpSocketType.PULL,
        new ZmtpSecurity.CurveServer(serverPublic, serverSecret, null)), peer -> sink));
    for (int round = 0; round < 10; round++) {
      pump(client, server);
      pump(server, client);
    }
    if (!client.pipeline().names().contains("zmtp-frames") || !server.pipeline().names().contains("zmtp-frames")) {
      client.checkException();
      server.checkException();
      throw new IllegalStateException("the CURVE handshake did not complete: " + client.pipeline().names());
    }
  }

  /** Closes both channels and checks that they saw no error. */
  @TearDown
  public void tearDown() {
    client.checkException();
    server.checkException();
    client.finishAndReleaseAll();
    server.finishAndReleaseAll();
  }

  /** Seals one frame on the client and opens it on the server. */
  @Benchmark
  public byte[] sealOpen() {
    ByteBuf frame = allocator.buffer(ZmtpFrames.headerLength(size) + size);
    ZmtpFrames.writeFrame(frame, body, false);
    client.writeOneOutbound(frame);
    client.flushOutbound();
    pump(client, server);
    return sink.take(1);
  }

  /** Seals {@value #FRAMES_PER_BUFFER} frames written as one buffer and opens them; scores are per frame. */
  @Benchmark
  @OperationsPerInvocation(FRAMES_PER_BUFFER)
  public byte[] sealOpenBatch() {
    ByteBuf frames = allocator.buffer((ZmtpFrames.headerLength(size) + size) * FRAMES_PER_BUFFER);
    for (int i = 0; i < FRAMES_PER_BUFFER; i++) {
      ZmtpFrames.writeFrame(frames, body, false);
    }
    client.writeOneOutbound(frames);
    client.flushOutbound();
    pump(client, server);
    return sink.take(FRAMES_PER_BUFFER);
  }

  private static void pump(EmbeddedChannel from, EmbeddedChannel to) {
    for (Object out; (out = from.readOutbound()) != null; ) {
      to.pipeline().fireChannelRead(out);
    }
  }

  private static ZmtpHandshakeOptions options(ZmtpSocketType type, ZmtpSecurity security) {
    return new ZmtpHandshakeOptions(type, new byte[0], 64L << 20, ZmtpHandshakeOptions.DEFAULT_MAX_METADATA_SIZE,
        Duration.ofMinutes(10), security);
  }
}
