package io.switchboard.bench.jmh;

import io.switchboard.socket.Message;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

/**
 * The pipe hand-off: a sender thread and a receiver thread on one PUSH/PULL pair, each running flat out (JMH groups
 * of two threads), Switchboard and JeroMQ side by side. Over {@code tcp} a message goes from the sender thread
 * through the pipe to the event loop, which encodes and writes it; the peer's event loop reads and decodes it into
 * the inbound queue, and the receiver thread takes it. Over {@code inproc} the sender hands it straight to the
 * receiver's queue.
 *
 * <p>The group's score counts both threads' operations, so it is twice the messages per second; the {@code send}
 * and {@code receive} lines are each the message rate. With {@code -prof gc}, {@code gc.alloc.rate.norm} is per
 * operation: twice it is the garbage per message, both threads and the I/O threads included. Sends and receives
 * wait at most 10 ms at a time, so that neither thread hangs when the other stops at the end of an iteration.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class PipeHandoffBenchmark {
  private static final Duration STEP = Duration.ofMillis(10);

  /** A Switchboard PUSH/PULL pair shared by the group's two threads. */
  @State(Scope.Group)
  public static class SwitchboardPair extends PushPullPairs.SwitchboardPair {
    Message message;

    /** Binds and connects. */
    @Setup(Level.Trial)
    public void setUp() {
      open();
      message = Message.of(new byte[size]);
    }
  }

  /** A JeroMQ PUSH/PULL pair shared by the group's two threads (each socket used by one thread only). */
  @State(Scope.Group)
  public static class JeromqPair extends PushPullPairs.JeromqPair {
    byte[] payload;

    /** Binds and connects. */
    @Setup(Level.Trial)
    public void setUp() {
      open((int) STEP.toMillis(), (int) STEP.toMillis());
      payload = new byte[size];
    }
  }

  /** Sends one message, waiting for room in steps until the iteration ends. */
  @Benchmark
  @Group("switchboard")
  @GroupThreads(1)
  public boolean switchboardSend(SwitchboardPair pair, Control control) {
    while (!control.stopMeasurement) {
      if (pair.push.send(pair.message, STEP)) {
        return true;
      }
    }
    return false;
  }

  /** Receives one message, waiting in steps until the iteration ends. */
  @Benchmark
  @Group("switchboard")
  @GroupThreads(1)
  public Message switchboardReceive(SwitchboardPair pair, Control control) {
    while (!control.stopMeasurement) {
      Message message = pair.pull.receive(STEP);
      if (message != null) {
        return message;
      }
    }
    return null;
  }

  /** Sends one message, waiting for room in steps until the iteration ends. */
  @Benchmark
  @Group("jeromq")
  @GroupThreads(1)
  public boolean jeromqSend(JeromqPair pair, Control control) {
    while (!control.stopMeasurement) {
      if (pair.push.send(pair.payload, 0)) {
        return true;
      }
    }
    return false;
  }

  /** Receives one message, waiting in steps until the iteration ends. */
  @Benchmark
  @Group("jeromq")
  @GroupThreads(1)
  public byte[] jeromqReceive(JeromqPair pair, Control control) {
    while (!control.stopMeasurement) {
      byte[] frame = pair.pull.recv(0);
      if (frame != null) {
        return frame;
      }
    }
    return null;
  }
}
