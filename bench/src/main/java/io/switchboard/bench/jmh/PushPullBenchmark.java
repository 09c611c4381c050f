package io.switchboard.bench.jmh;

import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One PUSH socket connected to one PULL socket, over {@code inproc} or {@code tcp} (the {@code transport}
 * parameter), driven by a single thread that sends and then receives; Switchboard and JeroMQ side by side.
 *
 * <ul>
 *   <li>{@code *One}: send one message, receive it. Each operation waits for the message to cross the I/O thread,
 *       so over tcp this is one-way latency rather than throughput.
 *   <li>{@code *Batch}: send {@value #BATCH}, receive {@value #BATCH} (below the high-water mark, so no send
 *       blocks); scores and {@code gc.alloc.rate.norm} are per message.
 * </ul>
 *
 * <p>With {@code -prof gc}, {@code gc.alloc.rate.norm} is what one message costs in garbage on both sides and on the
 * I/O threads of this JVM. The payload is allocated once; Switchboard's {@code Message.of} wrapper is made per send,
 * as an application would.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class PushPullBenchmark {
  /** Messages per operation in the batch benchmarks. */
  public static final int BATCH = 100;

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** A Switchboard PUSH/PULL pair, connected and primed with one message. */
  @State(Scope.Thread)
  public static class SwitchboardPair extends PushPullPairs.SwitchboardPair {
    byte[] payload;

    /** Binds, connects and sends one message through. */
    @Setup(Level.Trial)
    public void setUp() {
      open();
      payload = new byte[size];
      push.send(Message.of(payload));
      received(pull.receive(TIMEOUT));
    }
  }

  /** A JeroMQ PUSH/PULL pair, connected and primed with one message. */
  @State(Scope.Thread)
  public static class JeromqPair extends PushPullPairs.JeromqPair {
    byte[] payload;

    /** Binds, connects and sends one message through. */
    @Setup(Level.Trial)
    public void setUp() {
      open((int) TIMEOUT.toMillis(), -1);
      payload = new byte[size];
      push.send(payload, 0);
      received(pull.recv(0));
    }
  }

  /** Sends one message and receives it. */
  @Benchmark
  public Message switchboardOne(SwitchboardPair pair) {
    pair.push.send(Message.of(pair.payload));
    return received(pair.pull.receive(TIMEOUT));
  }

  /** Sends {@value #BATCH} messages, then receives them; scores are per message. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void switchboardBatch(SwitchboardPair pair, Blackhole blackhole) {
    batch(pair.push, pair.pull, pair.payload, blackhole);
  }

  /** Sends one message and receives it. */
  @Benchmark
  public byte[] jeromqOne(JeromqPair pair) {
    pair.push.send(pair.payload, 0);
    return received(pair.pull.recv(0));
  }

  /** Sends {@value #BATCH} messages, then receives them; scores are per message. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void jeromqBatch(JeromqPair pair, Blackhole blackhole) {
    for (int i = 0; i < BATCH; i++) {
      pair.push.send(pair.payload, 0);
    }
    for (int i = 0; i < BATCH; i++) {
      blackhole.consume(received(pair.pull.recv(0)));
    }
  }

  /** Sends {@value #BATCH} messages of {@code payload} from {@code from}, then receives them at {@code to}. */
  static void batch(Socket from, Socket to, byte[] payload, Blackhole blackhole) {
    for (int i = 0; i < BATCH; i++) {
      from.send(Message.of(payload));
    }
    for (int i = 0; i < BATCH; i++) {
      blackhole.consume(received(to.receive(TIMEOUT)));
    }
  }

  static <T> T received(T message) {
    if (message == null) {
      throw new IllegalStateException("no message within " + TIMEOUT.toSeconds() + " s");
    }
    return message;
  }
}
