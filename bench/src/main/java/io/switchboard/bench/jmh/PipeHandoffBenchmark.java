package io.switchboard.bench.jmh;

import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketType;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

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
  public static class SwitchboardPair {
    /** inproc or tcp. */
    @Param({"inproc", "tcp"})
    public String transport;

    /** The payload size in octets. */
    @Param({"16", "1024"})
    public int size;

    Context context;
    Socket push;
    Socket pull;
    Message message;

    /** Binds and connects. */
    @Setup(Level.Trial)
    public void setUp() {
      context = new Context(1);
      pull = context.socket(SocketType.PULL);
      push = context.socket(SocketType.PUSH);
      push.connect(pull.bind(PushPullBenchmark.endpoint(transport)));
      message = Message.of(new byte[size]);
    }

    /** Closes everything. */
    @TearDown(Level.Trial)
    public void tearDown() {
      context.close();
    }
  }

  /** A JeroMQ PUSH/PULL pair shared by the group's two threads (each socket used by one thread only). */
  @State(Scope.Group)
  public static class JeromqPair {
    /** inproc or tcp. */
    @Param({"inproc", "tcp"})
    public String transport;

    /** The payload size in octets. */
    @Param({"16", "1024"})
    public int size;

    ZContext context;
    ZMQ.Socket push;
    ZMQ.Socket pull;
    byte[] payload;

    /** Binds and connects. */
    @Setup(Level.Trial)
    public void setUp() {
      context = new ZContext(1);
      pull = context.createSocket(org.zeromq.SocketType.PULL);
      push = context.createSocket(org.zeromq.SocketType.PUSH);
      pull.setReceiveTimeOut((int) STEP.toMillis());
      push.setSendTimeOut((int) STEP.toMillis());
      push.connect(PushPullBenchmark.bindJeromq(pull, transport));
      payload = new byte[size];
    }

    /** Closes everything. */
    @TearDown(Level.Trial)
    public void tearDown() {
      context.close();
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
