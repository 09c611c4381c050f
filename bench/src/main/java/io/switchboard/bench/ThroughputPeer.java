package io.switchboard.bench;

import io.switchboard.bench.PeerSupport.PeerException;
import io.switchboard.socket.security.Z85;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A throughput peer, started by {@link BenchRunner}; one class for Switchboard and JeroMQ and all three roles
 * (libzmq's peer, {@code src/main/c/zmq_peer.c}, mirrors it).
 *
 * <ul>
 *   <li>{@code role=receive}: binds a PULL (or SUB, subscribed to everything), prints {@code ENDPOINT}, receives
 *       {@code warmup} messages unmeasured and then {@code count} measured ones, prints {@code RESULT} and exits.
 *       The rate is {@code count} over the time from the last warm-up message to the last measured one, as libzmq's
 *       {@code local_thr} measures it.
 *   <li>{@code role=send}: connects a PUSH and sends exactly {@code warmup + count} messages, blocking at the
 *       high-water mark; or connects a PUB and sends until stopped, its surplus dropped at the high-water mark. Then
 *       it waits for the stop.
 *   <li>{@code role=inproc}: both in this process over {@code inproc://}, the sender on a second thread.
 * </ul>
 *
 * <p>Fan-out ({@code pattern=pubsub subscribers=N}): the receiver opens N SUB sockets, each bound to its own
 * endpoint (tcp: N ephemeral ports; ipc and inproc: {@code bind-0} to {@code bind-(N-1)}), prints them all in one
 * {@code ENDPOINT} line separated by commas, and reads them in turn, one message from each, on one thread; the
 * publisher connects to every endpoint. {@code count} and the rate are the messages of all subscribers together.
 *
 * <p>Arguments ({@code key=value}): {@code role lib pattern(pushpull|pubsub) hwm size count warmup maxSeconds}, plus
 * {@code bind} (receive), {@code connect} (send; endpoints separated by commas), {@code subscribers} (optional,
 * default 1), {@code memory=true} (receive, optional: sample {@link MemoryUse} before binding and at the first
 * message, and add both to {@code RESULT}), and {@code firstSeconds stallSeconds limitSeconds} (receive,
 * inproc): how long to wait for the first message, for any later one, and for the whole measurement, after which
 * the rate so far is reported with {@code partial=true}. With {@code curveSecret} (a Z85 secret key) the receiver is
 * a CURVE server, and the sender, given {@code curveServerKey} (the server's Z85 public key) too, its client.
 */
public final class ThroughputPeer {
  /** The most SUB sockets one receiver opens. */
  static final int MAX_SUBSCRIBERS = 1024;

  private ThroughputPeer() {}

  /** Runs one peer; see the class comment for the arguments. */
  public static void main(String[] argv) {
    PeerSupport.main(argv, ThroughputPeer::run);
  }

  private static void run(PeerSupport peer) throws InterruptedException {
    boolean pubsub = pubsub(peer);
    int subscribers = subscribers(peer, pubsub);
    BenchContext context = peer.library().open(peer.intArg("hwm"));
    switch (peer.arg("role")) {
      case "receive": {
        // The connections sweep: what the process holds before any connection, against after the first message.
        MemoryUse before = Boolean.parseBoolean(peer.optionalArg("memory")) ? MemoryUse.sample() : null;
        List<BenchSocket> sockets = new ArrayList<>();
        List<String> endpoints = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
          BenchSocket socket = socket(peer, context, pubsub ? SocketKind.SUB : SocketKind.PULL);
          sockets.add(socket);
          endpoints.add(socket.bind(endpoint(peer.arg("bind"), i, subscribers)));
        }
        PeerSupport.emit("ENDPOINT " + String.join(",", endpoints));
        measure(peer, sockets, null, before);
        if (pubsub) {
          // Closing while the publisher floods the connections is slow (and not measured): the runner stops the
          // publisher first, then this receiver.
          PeerSupport.awaitStop();
        }
        for (BenchSocket socket : sockets) {
          PeerSupport.closeTimed("receiver socket", socket);
        }
        break;
      }
      case "send": {
        BenchSocket socket = socket(peer, context, pubsub ? SocketKind.PUB : SocketKind.PUSH);
        for (String endpoint : peer.arg("connect").split(",")) {
          socket.connect(endpoint);
        }
        byte[] payload = payload(peer.intArg("size"));
        if (pubsub) {
          while (!PeerSupport.stopped()) {
            socket.send(payload);
          }
        } else {
          long total = peer.longArg("warmup") + peer.longArg("count");
          for (long i = 0; i < total; i++) {
            socket.send(payload);
          }
          PeerSupport.awaitStop();
        }
        PeerSupport.closeTimed("sender socket", socket);
        break;
      }
      case "inproc":
        inproc(peer, context, pubsub, subscribers);
        break;
      default:
        throw new IllegalArgumentException("role: " + peer.arg("role") + " (expected: receive, send or inproc)");
    }
    PeerSupport.closeTimed("context", context);
  }

  /** A plain socket, or a CURVE one if {@code curveSecret} is given (a client if {@code curveServerKey} is too). */
  private static BenchSocket socket(PeerSupport peer, BenchContext context, SocketKind kind) {
    String secret = peer.optionalArg("curveSecret");
    if (secret == null) {
      return context.socket(kind);
    }
    String serverKey = peer.optionalArg("curveServerKey");
    return context.curveSocket(kind, Z85.decode(secret), serverKey == null ? null : Z85.decode(serverKey));
  }

  /**
   * The endpoint of receiver {@code index} of {@code n}: {@code bind} itself for one receiver and for tcp ports
   * chosen by the system; for several ipc or inproc receivers, {@code bind} followed by {@code -index}.
   */
  static String endpoint(String bind, int index, int n) {
    if (n == 1 || bind.startsWith("tcp://")) {
      return bind;
    }
    return bind + "-" + index;
  }

  private static void inproc(PeerSupport peer, BenchContext context, boolean pubsub, int subscribers)
      throws InterruptedException {
    List<BenchSocket> receivers = new ArrayList<>();
    List<String> endpoints = new ArrayList<>();
    for (int i = 0; i < subscribers; i++) {
      BenchSocket receiver = context.socket(pubsub ? SocketKind.SUB : SocketKind.PULL);
      receivers.add(receiver);
      endpoints.add(receiver.bind(endpoint("inproc://bench-throughput", i, subscribers)));
    }
    byte[] payload = payload(peer.intArg("size"));
    long total = peer.longArg("warmup") + peer.longArg("count");
    CountDownLatch done = new CountDownLatch(1);
    AtomicReference<Throwable> senderFailure = new AtomicReference<>();
    // The sender socket lives on its own thread from creation to close: JeroMQ sockets are not thread-safe.
    Thread sender = new Thread(() -> {
      try (BenchSocket socket = context.socket(pubsub ? SocketKind.PUB : SocketKind.PUSH)) {
        for (String endpoint : endpoints) {
          socket.connect(endpoint);
        }
        if (pubsub) {
          while (done.getCount() > 0) {
            socket.send(payload);
          }
        } else {
          for (long i = 0; i < total; i++) {
            socket.send(payload);
          }
          done.await();
        }
      } catch (Throwable t) {
        senderFailure.set(t);
      }
    }, "bench-sender");
    sender.setDaemon(true);
    sender.start();
    try {
      measure(peer, receivers, senderFailure, null);
    } finally {
      done.countDown();
    }
    sender.join(TimeUnit.SECONDS.toMillis(5));
    if (sender.isAlive()) {
      PeerSupport.emit("WARN inproc sender thread still running 5 s after the end: "
          + Arrays.toString(sender.getStackTrace()));
    }
    for (BenchSocket receiver : receivers) {
      PeerSupport.closeTimed("receiver socket", receiver);
    }
  }

  /**
   * Receives warm-up and measured messages and prints the RESULT line. Several sockets (fan-out) are read in turn,
   * one message from each, and their messages are counted together.
   */
  private static void measure(PeerSupport peer, List<BenchSocket> sockets, AtomicReference<Throwable> senderFailure,
      MemoryUse memoryBefore) {
    int size = peer.intArg("size");
    long warmup = peer.longArg("warmup");
    long count = peer.longArg("count");
    Duration first = Duration.ofSeconds(peer.longArg("firstSeconds"));
    Duration stall = Duration.ofSeconds(peer.longArg("stallSeconds"));
    long limitNanos = TimeUnit.SECONDS.toNanos(peer.longArg("limitSeconds"));
    if (warmup < 1 || count < 1) {
      throw new IllegalArgumentException("warmup, count: " + warmup + ", " + count + " (expected: >= 1)");
    }
    long total = warmup + count;
    boolean curve = peer.optionalArg("curveSecret") != null;
    long wrongSize = 0;
    int firstWrongSize = 0;
    long received = 0;
    long firstAt = 0;
    long start = 0;
    boolean partial = false;
    int subscribers = sockets.size();
    MemoryUse memoryAfter = null;
    Duration timeout = first;
    while (received < total) {
      int n = sockets.get((int) (received % subscribers)).receive(timeout);
      if (n < 0) {
        String why = received == 0
            ? "no message within " + first.toSeconds() + " s"
            : "stalled: no message for " + stall.toSeconds() + " s after " + received + " of " + total;
        Throwable cause = senderFailure == null ? null : senderFailure.get();
        throw new PeerException(why + (cause == null ? "" : "; sender failed: " + cause));
      }
      if (n != size) {
        // With CURVE, JeroMQ 0.6 now and then hands its user a MESSAGE command still sealed when the high-water
        // mark is reached (zeromq/jeromq#1009); it is counted and reported rather than ending the measurement.
        if (!curve) {
          throw new PeerException("received a frame of " + n + " octets (expected: " + size + ")");
        }
        if (wrongSize++ == 0) {
          firstWrongSize = n;
        }
      }
      received++;
      long now = 0;
      if (received == 1) {
        if (memoryBefore != null) {
          memoryAfter = MemoryUse.sample();
        }
        now = System.nanoTime();
        firstAt = now;
      }
      if (received == subscribers) {
        // Every receiver has had its first message: from now on a pause is a stall.
        timeout = stall;
      }
      if (received == warmup) {
        now = now == 0 ? System.nanoTime() : now;
        start = now;
      }
      if ((received & 0xFF) == 0 && System.nanoTime() - firstAt > limitNanos) {
        if (received <= warmup) {
          throw new PeerException("too slow: only " + received + " of " + warmup + " warm-up messages in "
              + TimeUnit.NANOSECONDS.toSeconds(limitNanos) + " s");
        }
        partial = true;
        break;
      }
    }
    long end = System.nanoTime();
    if (wrongSize > 0) {
      PeerSupport.emit("WARN " + wrongSize + " received frame(s) of another size than " + size + " (the first: "
          + firstWrongSize + " octets): a CURVE MESSAGE delivered still sealed?");
    }
    String memory = memoryBefore == null ? ""
        : " " + memoryBefore.fields("Before") + " " + memoryAfter.fields("After");
    PeerSupport.emit("RESULT messages=" + (received - warmup) + " nanos=" + (end - start) + " partial=" + partial
        + " warmupNanos=" + (start - firstAt) + memory);
  }

  private static int subscribers(PeerSupport peer, boolean pubsub) {
    int subscribers = peer.optionalArg("subscribers") == null ? 1 : peer.intArg("subscribers");
    if (subscribers < 1 || subscribers > MAX_SUBSCRIBERS || (!pubsub && subscribers != 1)) {
      throw new IllegalArgumentException("subscribers: " + subscribers + " (expected: 1 to " + MAX_SUBSCRIBERS
          + ", and 1 unless pattern=pubsub)");
    }
    return subscribers;
  }

  private static boolean pubsub(PeerSupport peer) {
    String pattern = peer.arg("pattern");
    switch (pattern) {
      case "pushpull":
        return false;
      case "pubsub":
        return true;
      default:
        throw new IllegalArgumentException("pattern: " + pattern + " (expected: pushpull or pubsub)");
    }
  }

  static byte[] payload(int size) {
    byte[] payload = new byte[size];
    for (int i = 0; i < size; i++) {
      payload[i] = (byte) ('a' + i % 26);
    }
    return payload;
  }
}
