package io.switchboard.bench;

import io.switchboard.bench.PeerSupport.PeerException;
import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import io.switchboard.socket.MonitorEvent;
import io.switchboard.socket.MonitorListener;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketClosedException;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The idle clients of the bus benchmark's {@code idle clients} case, on Switchboard's side: {@code n} bus clients
 * that joined the channel and say nothing more, so that the node holds {@code n} real sessions, each a member of
 * {@value BusPeer#CHANNEL}, for the runner to measure what they cost it.
 *
 * <p>Each client is a plain DEALER socket speaking the bus protocol (docs/protocol.md), all of them from one {@link
 * Context} with one I/O thread: a {@link io.switchboard.bus.BusClient} per client would be a context and an I/O thread
 * each, too many threads for 10,000 in one process. Each socket has its own identity ({@code idle-00001}, …), which
 * becomes its id at the node, sends the single-frame header {@code JOIN␀bench} and waits for {@code JOINED␀bench};
 * sockets connect and join in windows of {@value #WINDOW}, so that the node's accept queue never overflows. Then the
 * peer prints {@code JOINED n millis=…} and holds the clients until stopped, answering the node's {@code PING} (it
 * probes clients silent for 5 s) with {@code PONG}, as a {@code BusClient} does; a client that loses its connection
 * before the stop is reported in a {@code WARN} line, since the figures would then no longer be those of {@code n}
 * sessions.
 *
 * <p>Arguments ({@code key=value}): {@code connect n firstSeconds maxSeconds}; {@code firstSeconds} bounds the wait
 * for each window's replies. Each client takes one file descriptor here and one in the node; the peer fails at once,
 * saying so, when its own limit is too low.
 */
public final class IdleBusClients {
  /** Clients connecting and joining at once. */
  private static final int WINDOW = 100;
  /** Lost connections reported one by one before the peer only counts them. */
  private static final int MAX_LOST_LINES = 5;
  private static final byte[] JOIN = header("JOIN", BusPeer.CHANNEL);
  private static final byte[] JOINED = header("JOINED", BusPeer.CHANNEL);
  private static final byte[] PING = header("PING");
  private static final byte[] PONG = header("PONG");

  private IdleBusClients() {}

  /** Runs the idle clients; see the class comment for the arguments. */
  public static void main(String[] argv) {
    PeerSupport.main(argv, IdleBusClients::run);
  }

  private static void run(PeerSupport peer) throws InterruptedException {
    int n = peer.intArg("n");
    if (n < 1) {
      throw new IllegalArgumentException("n: " + n + " (expected: >= 1)");
    }
    IdleConnections.checkDescriptors(n, "idle clients", "use fewer (--idle-clients)");
    String endpoint = peer.arg("connect");
    Duration timeout = Duration.ofSeconds(peer.longArg("firstSeconds"));
    AtomicInteger lost = new AtomicInteger();
    // Connections lost before the stop: once stopped, the node and this process close them.
    MonitorListener monitor = event -> {
      if (event.type() == MonitorEvent.Type.DISCONNECTED && !PeerSupport.stopped()
          && lost.incrementAndGet() <= MAX_LOST_LINES) {
        PeerSupport.emit("WARN an idle client lost its connection to the node " + event.endpoint()
            + (event.detail().isEmpty() ? "" : ": " + event.detail()));
      }
    };
    // The context is not closed: Context.close() closes the sockets one at a time, under a millisecond each here,
    // which for 10,000 is longer than the runner's grace after the stop. Exiting closes every connection at once.
    Context context = new Context(1);
    List<Socket> sockets = new ArrayList<>(n);
    long began = System.nanoTime();
    for (int from = 0; from < n; from += WINDOW) {
      int to = Math.min(n, from + WINDOW);
      for (int i = from; i < to; i++) {
        Socket socket = context.socket(SocketType.DEALER, SocketOptions.builder()
            .identity(String.format(Locale.ROOT, "idle-%05d", i + 1).getBytes(StandardCharsets.US_ASCII))
            .linger(Duration.ZERO)
            .build());
        sockets.add(socket);
        socket.addMonitor(monitor);
        socket.connect(endpoint);
        if (!socket.send(Message.of(JOIN), timeout)) {
          throw new PeerException("idle client " + (i + 1) + " could not send JOIN within " + timeout.toSeconds()
              + " s");
        }
      }
      for (int i = from; i < to; i++) {
        awaitJoined(sockets.get(i), i, timeout);
      }
    }
    long millis = (System.nanoTime() - began) / 1_000_000;
    PeerSupport.emit("JOINED " + n + " millis=" + millis);
    PeerSupport.awaitStop();
    if (lost.get() > MAX_LOST_LINES) {
      PeerSupport.emit("WARN " + lost.get() + " idle clients lost their connection to the node");
    }
  }

  /** Waits for the node's {@code JOINED␀bench}, then answers its pings from then on. */
  private static void awaitJoined(Socket socket, int index, Duration timeout) {
    Message reply = socket.receive(timeout);
    if (reply == null) {
      throw new PeerException("no JOINED for idle client " + (index + 1) + " within " + timeout.toSeconds() + " s");
    }
    if (!Arrays.equals(reply.frame(0), JOINED)) {
      throw new PeerException("idle client " + (index + 1) + ": the node answered JOIN with \""
          + reply.frameString(0).replace('\0', '|') + "\"");
    }
    answerPings(socket);
  }

  /**
   * Answers each {@code PING} from the node with {@code PONG} on the I/O thread, and drops anything else: a loop of
   * {@link Socket#receiveAsync()} that ends when the socket closes.
   */
  private static void answerPings(Socket socket) {
    for (;;) {
      CompletableFuture<Message> next;
      try {
        next = socket.receiveAsync();
      } catch (SocketClosedException e) {
        return;
      }
      if (!next.isDone()) {
        next.thenAccept(m -> {
          answer(socket, m);
          answerPings(socket);
        });
        return;
      }
      if (next.isCompletedExceptionally()) {
        return;
      }
      answer(socket, next.join());
    }
  }

  private static void answer(Socket socket, Message m) {
    if (Arrays.equals(m.frame(0), PING)) {
      try {
        socket.trySend(Message.of(PONG));
      } catch (SocketClosedException e) {
        // Stopping.
      }
    }
  }

  /** A bus header: the verb and its fields, each after one NUL octet. */
  static byte[] header(String verb, String... fields) {
    StringBuilder header = new StringBuilder(verb);
    for (String field : fields) {
      header.append('\0').append(field);
    }
    return header.toString().getBytes(StandardCharsets.UTF_8);
  }
}
