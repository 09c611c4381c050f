package io.switchboard.examples;

import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketClosedException;
import io.switchboard.socket.SocketType;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code parallel-requests}: why DEALER/ROUTER. A ROUTER answers each request after a simulated latency, many at a
 * time; a REQ client sends N requests one at a time (N × latency), then a DEALER sends all N at once and collects the
 * N replies (about one latency). Requests are {@code hello}, replies {@code hello world}, in REQ's envelope (an empty
 * delimiter frame first), so {@code --connect} can time any REP or ROUTER server instead, as {@code hello-reqrep}'s.
 */
@Command(
    name = "parallel-requests",
    mixinStandardHelpOptions = true,
    description = "DEALER/ROUTER: N requests in flight at once, timed beside REQ's one at a time.")
final class ParallelRequests implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--requests", paramLabel = "N", description = "Requests per client (default 20).")
  int requests = 20;

  @Option(names = "--latency", paramLabel = "DURATION", converter = Options.DurationConverter.class,
      description = "The built-in server's time per request (default 10ms).")
  Duration latency = Duration.ofMillis(10);

  @Option(names = "--endpoint", paramLabel = "EP",
      description = "Bind the built-in ROUTER server at EP (default tcp://127.0.0.1:*, any free port).")
  String endpoint;

  @Option(names = "--connect", paramLabel = "EP",
      description = "Time an existing REP or ROUTER server at EP instead of the built-in one.")
  String connect;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = Options.DurationConverter.class,
      description = "How long to wait for each reply (default 30s).")
  Duration timeout = Duration.ofSeconds(30);

  @Override
  public Integer call() throws Exception {
    Options.positive(spec, "--requests", requests);
    PrintWriter out = spec.commandLine().getOut();
    try (Context context = new Context()) {
      String target;
      Thread server = null;
      ScheduledExecutorService delays = null;
      Socket router = null;
      if (connect != null) {
        target = Options.endpoint(spec, connect, "", 0);
      } else {
        router = context.socket(SocketType.ROUTER);
        target = router.bind(Options.endpoint(spec, endpoint, "tcp://127.0.0.1:", 0));
        delays = Executors.newSingleThreadScheduledExecutor();
        server = serve(router, delays);
        out.println("ROUTER server on " + target + ", " + latency.toMillis() + " ms per request");
      }
      try {
        long reqNanos = timeReq(context, target);
        if (reqNanos < 0) {
          return noReply(target);
        }
        out.printf("REQ:    %d requests one at a time   %6d ms%n", requests, TimeUnit.NANOSECONDS.toMillis(reqNanos));
        out.flush();
        long dealerNanos = timeDealer(context, target);
        if (dealerNanos < 0) {
          return noReply(target);
        }
        out.printf("DEALER: %d requests in flight at once %6d ms%n", requests,
            TimeUnit.NANOSECONDS.toMillis(dealerNanos));
        out.flush();
      } finally {
        if (router != null) {
          router.close();
          server.join();
          delays.shutdownNow();
        }
      }
    }
    return 0;
  }

  private int noReply(String target) {
    spec.commandLine().getErr().println(spec.qualifiedName() + ": no reply from " + target + " within "
        + timeout.toMillis() + " ms");
    return 1;
  }

  /** The built-in server: replies to [id, "", body] with [id, "", body + " world"] after the latency. */
  private Thread serve(Socket router, ScheduledExecutorService delays) {
    Thread thread = new Thread(() -> {
      try {
        for (;;) {
          Message request = router.receive();
          int last = request.size() - 1;
          Message reply = request.slice(0, last).append(Message.of(request.frameString(last) + " world"));
          delays.schedule(() -> trySend(router, reply), latency.toNanos(), TimeUnit.NANOSECONDS);
        }
      } catch (SocketClosedException done) {
        // the clients have finished
      }
    }, "parallel-requests-server");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static void trySend(Socket router, Message reply) {
    try {
      router.send(reply);
    } catch (SocketClosedException done) {
      // shutting down
    }
  }

  /** N requests, each waiting for its reply; the elapsed nanoseconds, or -1 on a timeout. */
  private long timeReq(Context context, String target) {
    try (Socket req = context.socket(SocketType.REQ)) {
      req.connect(target);
      long start = System.nanoTime();
      for (int i = 0; i < requests; i++) {
        req.send("hello");
        if (req.receive(timeout) == null) {
          return -1;
        }
      }
      return System.nanoTime() - start;
    }
  }

  /** N requests sent at once in REQ's envelope, then N replies; the elapsed nanoseconds, or -1 on a timeout. */
  private long timeDealer(Context context, String target) {
    try (Socket dealer = context.socket(SocketType.DEALER)) {
      dealer.connect(target);
      long start = System.nanoTime();
      for (int i = 0; i < requests; i++) {
        dealer.send(Message.of(new byte[0], "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      }
      for (int i = 0; i < requests; i++) {
        if (dealer.receive(timeout) == null) {
          return -1;
        }
      }
      return System.nanoTime() - start;
    }
  }
}
