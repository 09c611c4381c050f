package io.switchboard.bench.jmh;

import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;
import io.switchboard.socket.security.CurveKeyPair;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link PushPullBenchmark#switchboardBatch} over tcp with CURVE: one PUSH (CURVE client) connected to one PULL (CURVE
 * server), one thread sending {@value #BATCH} messages and then receiving them. Unlike {@link CurveCodecBenchmark},
 * the whole socket path runs: the connection's handler batching frames into direct buffers, the MESSAGE encoder, the
 * transport, the MESSAGE decoder, the frame decoder and the receiver's queue.
 *
 * <p>Scores and {@code gc.alloc.rate.norm} are per message, both ends and the I/O threads together.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class CurvePushPullBenchmark {
  /** Messages per operation. */
  public static final int BATCH = PushPullBenchmark.BATCH;

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** The payload size in octets. */
  @Param({"16", "1024", "65536"})
  public int size;

  private Context context;
  private Socket push;
  private Socket pull;
  private byte[] payload;

  /** Binds the CURVE server, connects the client and sends one message through. */
  @Setup(Level.Trial)
  public void setUp() {
    CurveKeyPair server = CurveKeyPair.generate();
    context = new Context(1);
    pull = context.socket(SocketType.PULL, SocketOptions.builder().curveServer(server).build());
    push = context.socket(SocketType.PUSH,
        SocketOptions.builder().curveClient(CurveKeyPair.generate(), server.publicKey()).build());
    push.connect(pull.bind("tcp://127.0.0.1:0"));
    payload = new byte[size];
    push.send(Message.of(payload));
    PushPullBenchmark.received(pull.receive(TIMEOUT));
  }

  /** Closes everything. */
  @TearDown(Level.Trial)
  public void tearDown() {
    context.close();
  }

  /** Sends {@value #BATCH} messages, then receives them; scores are per message. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void batch(Blackhole blackhole) {
    PushPullBenchmark.batch(push, pull, payload, blackhole);
  }
}
