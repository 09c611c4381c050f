package io.switchboard.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.switchboard.socket.Context;
import io.switchboard.socket.DirectMessage;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;
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
 * A PULL receiving over tcp from a PUSH in the same JVM, the two ways a receiver can take a message ({@code zeroCopy}
 * false: {@link Socket#receive()}, each frame copied out of the read buffer into an array of its own; true: {@link
 * Socket#receiveDirect()} on a socket with {@link SocketOptions.Builder#zeroCopyReceive}, each frame a slice of the
 * read buffer, released after reading its first and last octet). One thread sends {@value #BATCH} messages and then
 * receives them; scores and {@code gc.alloc.rate.norm} are per message, both sides and the I/O thread included (the
 * sender's {@code Message.of} is 32 of them).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ZeroCopyReceiveBenchmark {
  /** Messages per operation. */
  public static final int BATCH = 100;

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** A PUSH connected over tcp to a PULL that receives with or without copying. */
  @State(Scope.Thread)
  public static class Pair {
    /** The payload size in octets. */
    @Param({"16", "1024", "65536"})
    public int size;

    /** Whether the PULL is made with {@code zeroCopyReceive}. */
    @Param({"false", "true"})
    public boolean zeroCopy;

    Context context;
    Socket push;
    Socket pull;
    byte[] payload;

    /** Binds, connects and sends one message through. */
    @Setup(Level.Trial)
    public void setUp() {
      context = new Context(1);
      pull = context.socket(SocketType.PULL, SocketOptions.builder().zeroCopyReceive(zeroCopy).build());
      push = context.socket(SocketType.PUSH);
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
  }

  /**
   * Sends {@value #BATCH} messages, then receives them: with {@link Socket#receive()} (every frame copied into an
   * array), or with {@link Socket#receiveDirect()} when {@code zeroCopy} (frames read in place, then released).
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void receive(Pair pair, Blackhole blackhole) {
    for (int i = 0; i < BATCH; i++) {
      pair.push.send(Message.of(pair.payload));
    }
    for (int i = 0; i < BATCH; i++) {
      if (pair.zeroCopy) {
        try (DirectMessage m = PushPullBenchmark.received(pair.pull.receiveDirect(TIMEOUT))) {
          ByteBuf body = m.frame(0);
          blackhole.consume(body.getByte(body.readerIndex()) + body.getByte(body.writerIndex() - 1));
        }
      } else {
        byte[] body = PushPullBenchmark.received(pair.pull.receive(TIMEOUT)).frame(0);
        blackhole.consume(body[0] + body[body.length - 1]);
      }
    }
  }
}
