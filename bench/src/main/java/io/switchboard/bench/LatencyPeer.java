package io.switchboard.bench;

import io.switchboard.bench.PeerSupport.PeerException;
import java.time.Duration;

/**
 * A REQ/REP latency peer, started by {@link BenchRunner}, like libzmq's {@code local_lat}/{@code remote_lat}.
 *
 * <ul>
 *   <li>{@code role=rep}: binds a REP, prints {@code ENDPOINT}, and echoes a message of the same size to every
 *       request until stopped.
 *   <li>{@code role=req}: connects a REQ, makes {@code warmup} round trips unmeasured, then times {@code count} round
 *       trips one by one (send to receive, {@link System#nanoTime()}), and prints {@code RESULT} with the median, 99th
 *       and 99.9th percentiles, mean and maximum in nanoseconds.
 * </ul>
 *
 * <p>Arguments ({@code key=value}): {@code role lib hwm size count warmup maxSeconds}, plus {@code bind} (rep),
 * {@code connect firstSeconds stallSeconds limitSeconds} (req), and {@code spin=true} (req, optional): the REQ
 * busy-spins while it waits for each reply ({@link Library#open(int, boolean)}); the REP blocks as usual.
 */
public final class LatencyPeer {
  private LatencyPeer() {}

  /** Runs one peer; see the class comment for the arguments. */
  public static void main(String[] argv) {
    PeerSupport.main(argv, LatencyPeer::run);
  }

  private static void run(PeerSupport peer) throws Exception {
    boolean spin = Boolean.parseBoolean(peer.optionalArg("spin"));
    BenchContext context = peer.library().open(peer.intArg("hwm"), spin && peer.arg("role").equals("req"));
    int size = peer.intArg("size");
    byte[] payload = ThroughputPeer.payload(size);
    switch (peer.arg("role")) {
      case "rep": {
        BenchSocket socket = context.socket(SocketKind.REP);
        PeerSupport.emit("ENDPOINT " + socket.bind(peer.arg("bind")));
        Duration poll = Duration.ofMillis(200);
        while (!PeerSupport.stopped()) {
          int n = socket.receive(poll);
          if (n < 0) {
            continue;
          }
          if (n != size) {
            throw new PeerException("received a frame of " + n + " octets (expected: " + size + ")");
          }
          socket.send(payload);
        }
        PeerSupport.closeTimed("rep socket", socket);
        break;
      }
      case "req": {
        BenchSocket socket = context.socket(SocketKind.REQ);
        socket.connect(peer.arg("connect"));
        RoundTrips.measure(peer, (index, timeout) -> roundTrip(socket, payload, timeout, index));
        PeerSupport.closeTimed("req socket", socket);
        break;
      }
      default:
        throw new IllegalArgumentException("role: " + peer.arg("role") + " (expected: rep or req)");
    }
    PeerSupport.closeTimed("context", context);
  }

  private static void roundTrip(BenchSocket socket, byte[] payload, Duration timeout, long index) {
    socket.send(payload);
    int n = socket.receive(timeout);
    if (n < 0) {
      throw new PeerException("no reply within " + timeout.toSeconds() + " s to request " + (index + 1));
    }
    if (n != payload.length) {
      throw new PeerException("reply of " + n + " octets (expected: " + payload.length + ")");
    }
  }
}
