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
 * One DEALER connected to one ROUTER over {@code tcp} or {@code inproc}, driven by a single thread.
 *
 * <ul>
 *   <li>{@link #routerReceive}: the DEALER sends {@value #BATCH} messages, the ROUTER receives them (each with the
 *       DEALER's routing id in front); the ROUTER's receive path alone.
 *   <li>{@link #roundTrip}: as above, then the ROUTER sends each one back, routed by its first frame, and the DEALER
 *       receives the replies; the ROUTER's send path (routing-id lookup, dropping the id) as well.
 * </ul>
 *
 * <p>Scores and {@code gc.alloc.rate.norm} are per message (per request and reply in {@link #roundTrip}). The
 * payload is allocated once; the {@code Message.of} wrapper of each send is made per send, as an application would.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RouterDealerBenchmark {
  /** Messages per operation. */
  public static final int BATCH = PushPullBenchmark.BATCH;

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** inproc or tcp. */
  @Param({"tcp", "inproc"})
  public String transport;

  /** The payload size in octets. */
  @Param({"16"})
  public int size;

  private Context context;
  private Socket router;
  private Socket dealer;
  private byte[] payload;

  /** Binds the ROUTER, connects the DEALER and sends one message through. */
  @Setup(Level.Trial)
  public void setUp() {
    context = new Context(1);
    router = context.socket(SocketType.ROUTER);
    dealer = context.socket(SocketType.DEALER);
    dealer.connect(router.bind(transport.equals("tcp") ? "tcp://127.0.0.1:0" : "inproc://jmh-router-dealer"));
    payload = new byte[size];
    dealer.send(Message.of(payload));
    Message first = PushPullBenchmark.received(router.receive(TIMEOUT));
    router.send(first);
    PushPullBenchmark.received(dealer.receive(TIMEOUT));
  }

  /** Closes everything. */
  @TearDown(Level.Trial)
  public void tearDown() {
    context.close();
  }

  /** The DEALER sends {@value #BATCH} messages, the ROUTER receives them; scores are per message. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void routerReceive(Blackhole blackhole) {
    PushPullBenchmark.batch(dealer, router, payload, blackhole);
  }

  /** {@link #routerReceive}, then the ROUTER sends every message back and the DEALER receives them. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void roundTrip(Blackhole blackhole) {
    for (int i = 0; i < BATCH; i++) {
      dealer.send(Message.of(payload));
    }
    for (int i = 0; i < BATCH; i++) {
      router.send(PushPullBenchmark.received(router.receive(TIMEOUT)));
    }
    for (int i = 0; i < BATCH; i++) {
      blackhole.consume(PushPullBenchmark.received(dealer.receive(TIMEOUT)));
    }
  }
}
