package io.switchboard.bus.mesh.internal;

import io.switchboard.bus.mesh.PeerInfo;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * What a peer knows of one other peer: its links, the stream of messages to it and the stream from it.
 *
 * <p>Every message to a peer gets the next sequence number of that peer's stream and waits in {@link #window} until
 * the peer acknowledges it, so that it survives a link's loss: when the link in use changes (a crossing dial
 * dropped, a kept peer redialled), the window is sent again from where the peer says it got to, and the peer
 * delivers each number once, in order. The window is the high-water mark's queue.
 *
 * <p>Threads: the inbound stream and the links are the peer's I/O thread's; the outbound stream is guarded by this
 * object's monitor, since any thread may send.
 */
final class Remote {
  /** One message in the outbound stream. */
  record Out(long seq, byte[][] frames) {}

  final String id;
  final byte[] idBytes;
  volatile String endpoint;
  volatile boolean kept;
  /** The other peer's incarnation, from its HELLO; 0 until the first one. The I/O thread's. */
  long remoteEpoch;
  /** Live links (HELLO exchanged), the one in use first chosen by {@link PeerCore#preferred}. The I/O thread's. */
  final List<Link> links = new java.util.concurrent.CopyOnWriteArrayList<>();
  volatile Link active;
  /** Whether {@code onConnect} was told and {@code onDisconnect} not yet. The I/O thread's. */
  boolean announced;
  volatile boolean forgotten;

  // ---- outbound, under the monitor ----
  final ArrayDeque<Out> window = new ArrayDeque<>();
  long nextSeq = 1;
  /** The sequence number of the next message to write on the active link. */
  long writeFrom = 1;
  boolean flushScheduled;
  long sent;
  long dropped;
  /** The other side's session of our stream, from its SYNC. The I/O thread's. */
  long peerRecvSession;

  // ---- inbound, the I/O thread's ----
  long expected = 1;
  long lastAcked;
  long nackedFor;
  /** The session of the stream from this peer: new whenever what we received from it is forgotten. */
  long recvSession;
  volatile long received;
  volatile long duplicates;
  volatile long reconnects;
  volatile String lastReason = "";

  Remote(String id) {
    this.id = id;
    this.idBytes = id.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** Adds a message to the stream if the window has room; the caller schedules the flush. */
  synchronized boolean offer(byte[][] frames, int highWaterMark) {
    if (forgotten || window.size() >= highWaterMark) {
      dropped++;
      return false;
    }
    window.addLast(new Out(nextSeq++, frames));
    sent++;
    return true;
  }

  /** Frees what the peer acknowledged. */
  synchronized void acked(long seq) {
    while (!window.isEmpty() && window.peekFirst().seq() <= seq) {
      window.pollFirst();
    }
    if (writeFrom <= seq) {
      writeFrom = seq + 1;
    }
  }

  /** Sends again from {@code seq} (what the peer asked for, or everything unacknowledged after a link change). */
  synchronized void rewind(long seq) {
    acked(seq - 1);
    writeFrom = window.isEmpty() ? nextSeq : Math.max(seq, window.peekFirst().seq());
  }

  /** The other peer restarted: what waits for it is numbered again from 1, for its new incarnation. */
  synchronized void renumber() {
    ArrayDeque<Out> old = new ArrayDeque<>(window);
    window.clear();
    nextSeq = 1;
    for (Out o : old) {
      window.addLast(new Out(nextSeq++, o.frames()));
    }
    writeFrom = 1;
  }

  /** The messages to write now, marked written; {@code null} if none (or no link). */
  synchronized List<Out> drain() {
    flushScheduled = false;
    if (active == null || window.isEmpty() || writeFrom >= nextSeq) {
      return null;
    }
    List<Out> out = new ArrayList<>();
    for (Out o : window) {
      if (o.seq() >= writeFrom) {
        out.add(o);
      }
    }
    writeFrom = nextSeq;
    return out;
  }

  synchronized boolean markFlushScheduled() {
    if (flushScheduled) {
      return false;
    }
    flushScheduled = true;
    return true;
  }

  synchronized void clear() {
    forgotten = true;
    window.clear();
  }

  synchronized PeerInfo info() {
    PeerInfo.State state = active != null ? PeerInfo.State.CONNECTED
        : kept && !forgotten ? PeerInfo.State.RECONNECTING : PeerInfo.State.DISCONNECTED;
    return new PeerInfo(id, endpoint, state, kept, links.size(), sent, received, window.size(), dropped, duplicates,
        reconnects);
  }
}
