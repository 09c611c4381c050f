package io.switchboard.bench.jmh;

import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Subscription matching in PUB's send: one PUB with {@code subscribers} inproc SUB sockets, each subscribed to
 * {@code prefixes} topics ({@code topic-00000} ...), then one thread publishing; Switchboard and JeroMQ side by side.
 *
 * <ul>
 *   <li>{@code *Miss}: a topic that shares the {@code topic-} prefix with every subscription and matches none, so
 *       the message is matched against every subscriber's set and dropped: the cost of matching alone.
 *   <li>{@code *Hit}: a topic that matches one subscription of every subscriber. Nobody receives, so after the first
 *       high-water mark's worth each pipe is full and the message is dropped there: matching plus the pipe check.
 * </ul>
 *
 * <p>Switchboard keeps each pipe's subscriptions in {@code socket.internal.Subscriptions}: an array scanned in turn
 * while there are at most eight prefixes, a trie beyond, so a miss costs time in proportion to the topic's length;
 * JeroMQ walks a trie ({@code zmq.socket.pubsub.Mtrie}) too. {@code -prof gc} shows whether matching allocates.
 * Measured with 8 subscribers, a miss: 6.9M sends/s with 1 prefix, 2.2M with 100, 1.9M with 1,000 (an array of 1,000
 * gave 14k).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SubscriptionMatchBenchmark {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final byte[] SYNC = "sync".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MISS = "topic-miss and a body".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HIT = "topic-00000 and a body".getBytes(StandardCharsets.US_ASCII);

  /** A Switchboard PUB with its subscribers, every subscription in place. */
  @State(Scope.Thread)
  public static class SwitchboardPub {
    /** Subscriptions per subscriber. */
    @Param({"1", "100", "1000"})
    public int prefixes;

    /** SUB sockets connected to the PUB. */
    @Param({"1", "8"})
    public int subscribers;

    Context context;
    Socket pub;
    Message miss;
    Message hit;

    /** Connects the subscribers, subscribes them, and waits until the PUB has every subscription. */
    @Setup(Level.Trial)
    public void setUp() {
      context = new Context(1);
      pub = context.socket(SocketType.PUB);
      pub.bind("inproc://jmh-match");
      for (int s = 0; s < subscribers; s++) {
        Socket sub = context.socket(SocketType.SUB);
        for (int i = 0; i < prefixes; i++) {
          sub.subscribe(topic(i));
        }
        sub.subscribe(SYNC);
        sub.connect("inproc://jmh-match");
        synchronise(() -> pub.trySend(Message.of(SYNC)) && sub.receive(Duration.ofMillis(10)) != null);
      }
      miss = Message.of(MISS);
      hit = Message.of(HIT);
    }

    /** Closes everything. */
    @TearDown(Level.Trial)
    public void tearDown() {
      context.close();
    }
  }

  /** A JeroMQ PUB with its subscribers, every subscription in place. */
  @State(Scope.Thread)
  public static class JeromqPub {
    /** Subscriptions per subscriber. */
    @Param({"1", "100", "1000"})
    public int prefixes;

    /** SUB sockets connected to the PUB. */
    @Param({"1", "8"})
    public int subscribers;

    ZContext context;
    ZMQ.Socket pub;

    /** Connects the subscribers, subscribes them, and waits until the PUB has every subscription. */
    @Setup(Level.Trial)
    public void setUp() {
      context = new ZContext(1);
      pub = context.createSocket(org.zeromq.SocketType.PUB);
      pub.bind("inproc://jmh-match");
      for (int s = 0; s < subscribers; s++) {
        ZMQ.Socket sub = context.createSocket(org.zeromq.SocketType.SUB);
        for (int i = 0; i < prefixes; i++) {
          sub.subscribe(topic(i));
        }
        sub.subscribe(SYNC);
        sub.setReceiveTimeOut(10);
        sub.connect("inproc://jmh-match");
        synchronise(() -> pub.send(SYNC, ZMQ.DONTWAIT) && sub.recv(0) != null);
      }
    }

    /** Closes everything. */
    @TearDown(Level.Trial)
    public void tearDown() {
      context.close();
    }
  }

  /** Publishes a message that no subscription matches. */
  @Benchmark
  public boolean switchboardMiss(SwitchboardPub state) {
    return state.pub.trySend(state.miss);
  }

  /** Publishes a message that one subscription of every subscriber matches. */
  @Benchmark
  public boolean switchboardHit(SwitchboardPub state) {
    return state.pub.trySend(state.hit);
  }

  /** Publishes a message that no subscription matches. */
  @Benchmark
  public boolean jeromqMiss(JeromqPub state) {
    return state.pub.send(MISS, ZMQ.DONTWAIT);
  }

  /** Publishes a message that one subscription of every subscriber matches. */
  @Benchmark
  public boolean jeromqHit(JeromqPub state) {
    return state.pub.send(HIT, ZMQ.DONTWAIT);
  }

  static byte[] topic(int i) {
    return String.format(Locale.ROOT, "topic-%05d", i).getBytes(StandardCharsets.US_ASCII);
  }

  /** Repeats {@code attempt} (a publish and a short receive) until it succeeds or {@link #TIMEOUT} passes. */
  static void synchronise(BooleanSupplier attempt) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!attempt.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("the subscriptions did not reach the PUB within " + TIMEOUT.toSeconds() + " s");
      }
    }
  }
}
