package io.switchboard.socket.internal;

import io.switchboard.socket.Message;
import io.switchboard.zmtp.ZmtpPeer;

/**
 * A bounded queue between a socket's user side and one peer: a network connection ({@link NetPipe}) or another
 * socket in the same context ({@link InprocPipe}). The socket's strategy picks pipes to send on; received messages
 * carry the pipe they came from.
 */
abstract class Pipe {
  private static final byte[] NO_ID = new byte[0];

  final SocketCore owner;
  /** What the peer subscribed to; used by PUB and XPUB only. */
  final Subscriptions peerSubscriptions = new Subscriptions();
  private volatile byte[] routingId = NO_ID;
  /**
   * The frame that goes in front of every message received from this pipe: a ROUTER's routing id for the peer, null
   * for every other socket type. The pipe's source (its connection's handler, or the inproc peer) builds each message
   * with it, so that nothing re-frames the message afterwards.
   */
  private volatile byte[] inboundPrefix;
  /**
   * How many leading frames of every message queued on this pipe are not sent: 1 for a ROUTER's pipes, whose
   * messages still carry the routing id that chose the pipe, 0 otherwise. The pipe's writer (the connection's
   * handler, or inproc's copy) skips them, so that routing does not re-frame the message.
   */
  private volatile int outboundSkip;
  /**
   * What the handshake of the current connection learned about the peer (its metadata and User-Id); null for
   * inproc. Set by {@link PipeHandler#onHandshake} before the connection delivers anything, and referenced, not
   * copied, by every message received on it ({@link MessageAccess#withSource}).
   */
  private volatile ZmtpPeer peer;

  Pipe(SocketCore owner) {
    this.owner = owner;
  }

  /**
   * Queues a message for the peer if the high-water mark allows; never blocks. {@code message} is a {@link Message}
   * or, from the socket types that send them, a {@link io.switchboard.socket.DirectMessage}, whose one reference the
   * pipe takes over when it returns true (and releases once the message is written, handed over or dropped), and
   * leaves with the caller when it returns false.
   */
  abstract boolean offer(Object message);

  /** Whether {@link #offer} would take a message now (a hint: another thread may take the room first). */
  abstract boolean hasRoom();

  /** Queues a subscription change for the peer, regardless of the high-water mark. */
  abstract void sendSubscription(byte[] topic, boolean subscribe);

  /** Drops queued subscription changes, before the whole set is sent again on a new connection. */
  abstract void clearSubscriptions();

  /** The owner's user took one message that came from this pipe. */
  abstract void consumed();

  /** Messages queued for the peer and not yet handed on (tcp, ipc) or not yet taken by the peer (inproc). */
  abstract int queued();

  /** Whether everything queued for the peer has been handed on. */
  abstract boolean isIdle();

  /**
   * Called once when a lingering close starts: the pipe makes sure the socket's writable condition is signalled when
   * it becomes idle, even if nothing else would signal then. Default: nothing, the pipe signals on its own.
   */
  void signalWhenIdle() {}

  /** Whether the peer is connected now. */
  abstract boolean isAttached();

  /** Ends the pipe: closes its connection, if any, and drops what is queued. */
  abstract void close();

  /** The endpoint this pipe belongs to, for events and errors. */
  abstract String endpoint();

  /** The peer's routing id, as a ROUTER sees it. */
  byte[] routingId() {
    return routingId;
  }

  void routingId(byte[] id) {
    this.routingId = id;
  }

  /** The frame to put in front of every received message, or null; see {@link #inboundPrefix}. */
  byte[] inboundPrefix() {
    return inboundPrefix;
  }

  void inboundPrefix(byte[] prefix) {
    this.inboundPrefix = prefix;
  }

  /** How many leading frames of each queued message are not sent; see {@link #outboundSkip}. */
  int outboundSkip() {
    return outboundSkip;
  }

  void outboundSkip(int frames) {
    this.outboundSkip = frames;
  }

  /** What the current connection's handshake learned about the peer, or null (inproc, or not connected yet). */
  ZmtpPeer peer() {
    return peer;
  }

  void peer(ZmtpPeer peer) {
    this.peer = peer;
  }
}
