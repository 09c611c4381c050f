package io.switchboard.bus.mesh.internal;

import io.switchboard.bus.mesh.PeerInfo;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * What a peer knows of one other peer: its links, the stream of messages to it and the stream from it.
 *
 * <p>Each stream has a session (a random number) and numbers its messages from 1. A message waits in {@link
 * #window} until the other side acknowledges it, so that it survives a link's loss: when a link comes up, each side
 * says (SYNC) which session of the other's stream it knows and how far it got, and the sender sends again from
 * there; the receiver delivers each number of its session once, in order. When the receiver does not know the
 * sender's session (it is new, or had forgotten the sender) and the sender's session already had messages
 * acknowledged, the sender starts a new session, numbering what waits from 1 again, and says so. Messages carry their
 * session, so that none of an old session is taken for one of the new. The window is the high-water mark's queue.
 *
 * <p>Threads: the inbound stream and the links are the peer's I/O thread's; the outbound stream is guarded by this
 * object's monitor, since any thread may send.
 */
final class Remote {
  /** One message in the outbound stream. */
  record Out(long seq, byte[][] frames, long octets) {}

  final String id;
  volatile String endpoint;
  volatile boolean kept;
  /** The other peer's incarnation, from its HELLO; 0 until the first one. The I/O thread's. */
  long remoteEpoch;
  /** Live links (HELLO exchanged), the one in use chosen by {@link PeerCore#preferred}. */
  final List<Link> links = new java.util.concurrent.CopyOnWriteArrayList<>();
  volatile Link active;
  /** Whether {@code onConnect} was told and {@code onDisconnect} not yet. The I/O thread's. */
  boolean announced;
  /** Whether a link to it was ever up, so that the next one counts as a reconnect. The I/O thread's. */
  boolean everConnected;
  volatile boolean forgotten;

  // ---- outbound, under the monitor ----
  final ArrayDeque<Out> window = new ArrayDeque<>();
  /** The octets of the frames in {@link #window}. */
  long windowOctets;
  final int outSession;
  long nextSeq = 1;
  /** The sequence number of the next message to write on the active link. */
  long writeFrom = 1;
  boolean flushScheduled;
  long sent;
  long dropped;

  // ---- inbound, the I/O thread's ----
  /** The session of the other side's stream being received; 0 for none yet. */
  int inSession;
  long expected = 1;
  long lastAcked;
  long nackedFor;
  volatile long received;
  volatile long duplicates;
  volatile long reconnects;

  /** The state of peer {@code id}, whose stream from here is session {@code outSession} (positive). */
  Remote(String id, int outSession) {
    this.id = id;
    this.outSession = outSession;
  }

  /**
   * Adds a message to the stream if the window has room, fewer than {@code highWaterMark} messages and {@code
   * highWaterBytes} octets; the caller schedules the flush.
   */
  synchronized boolean offer(byte[][] frames, int highWaterMark, long highWaterBytes) {
    if (forgotten || window.size() >= highWaterMark || windowOctets >= highWaterBytes) {
      dropped++;
      return false;
    }
    long octets = 0;
    for (byte[] frame : frames) {
      octets += frame.length;
    }
    windowOctets += octets;
    window.addLast(new Out(nextSeq++, frames, octets));
    sent++;
    return true;
  }

  /** Frees what the other side acknowledged of session {@code session}; acknowledgements of another are stale. */
  synchronized void acked(int session, long seq) {
    if (session != outSession) {
      return;
    }
    while (!window.isEmpty() && window.peekFirst().seq() <= seq) {
      windowOctets -= window.pollFirst().octets();
    }
    if (writeFrom <= seq) {
      writeFrom = seq + 1;
    }
  }

  /** Sends again from {@code seq} of session {@code session}: what the other side asked for, or expects. */
  synchronized void rewind(int session, long seq) {
    if (session != outSession) {
      return;
    }
    acked(session, seq - 1);
    writeFrom = Math.max(seq, firstUnacked());
  }

  /** Sends everything not yet acknowledged again (after the link in use changed). */
  synchronized void rewindAll() {
    writeFrom = firstUnacked();
  }

  /** The number of the first message not yet acknowledged: where a receiver new to this stream takes it up. */
  synchronized long firstUnacked() {
    return window.isEmpty() ? nextSeq : window.peekFirst().seq();
  }

  /**
   * The messages to write now, marked written; {@code null} if none (or no link). The window numbers its messages
   * without gaps up to {@code nextSeq - 1}, so those not yet written are its last {@code nextSeq - writeFrom}: taken
   * from the tail, as a window of many messages written but not yet acknowledged would cost a walk per flush.
   */
  synchronized List<Out> drain() {
    flushScheduled = false;
    if (active == null || window.isEmpty() || writeFrom >= nextSeq) {
      return null;
    }
    int count = (int) Math.min(nextSeq - writeFrom, window.size());
    Out[] out = new Out[count];
    Iterator<Out> newestFirst = window.descendingIterator();
    for (int i = count - 1; i >= 0; i--) {
      out[i] = newestFirst.next();
    }
    writeFrom = nextSeq;
    return Arrays.asList(out);
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
    windowOctets = 0;
  }

  synchronized PeerInfo info() {
    PeerInfo.State state = active != null ? PeerInfo.State.CONNECTED
        : kept && !forgotten ? PeerInfo.State.RECONNECTING : PeerInfo.State.DISCONNECTED;
    Link link = active;
    long rtt = link == null ? -1 : link.roundTripNanos;
    return new PeerInfo(id, endpoint, state, kept, links.size(), sent, received, window.size(), dropped, duplicates,
        reconnects, rtt < 0 ? null : Duration.ofNanos(rtt));
  }
}
