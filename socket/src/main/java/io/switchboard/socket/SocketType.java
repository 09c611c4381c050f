package io.switchboard.socket;

import io.switchboard.socket.internal.WireTypes;

/** The classic ZeroMQ socket types, each a routing strategy over the socket's connections. */
public enum SocketType {
  /** Publishes to every subscriber whose subscription prefixes the first frame; drops at the high-water mark. */
  PUB,
  /** Receives what matches its subscriptions, fair-queued from every publisher. */
  SUB,
  /** A PUB that also hands subscriptions ({@code 0x01}/{@code 0x00} + topic) to its user. */
  XPUB,
  /** A SUB whose user sends subscriptions as messages and receives everything unfiltered. */
  XSUB,
  /** Sends a request, then receives its reply, strictly alternating; round-robins requests. */
  REQ,
  /** Receives a request, then sends its reply to the same requester, strictly alternating. */
  REP,
  /** Round-robins outgoing messages, fair-queues incoming ones; no envelopes. */
  DEALER,
  /** Prefixes each received message with the sender's routing id and routes each sent one by its first frame. */
  ROUTER,
  /** Round-robins messages to pullers; blocks at the high-water mark. */
  PUSH,
  /** Fair-queues messages from pushers. */
  PULL,
  /** One exclusive peer, both ways. */
  PAIR;

  /** Whether a socket of this type may talk to a socket of {@code peer} type. */
  public boolean isCompatibleWith(SocketType peer) {
    return WireTypes.of(this).isCompatibleWith(WireTypes.of(peer));
  }

  /** Whether {@link Socket#send} is allowed on this type. */
  public boolean canSend() {
    return this != SUB && this != PULL;
  }

  /** Whether {@link Socket#receive} is allowed on this type. */
  public boolean canReceive() {
    return this != PUB && this != PUSH;
  }

  /**
   * Whether a socket of this type may be made with {@link SocketOptions.Builder#zeroCopyReceive}: those whose receive
   * does not look into messages beyond a SUB's topic (PULL, SUB, XSUB, DEALER, ROUTER, PAIR).
   */
  public boolean canReceiveZeroCopy() {
    switch (this) {
      case PULL: case SUB: case XSUB: case DEALER: case ROUTER: case PAIR:
        return true;
      default:
        return false;
    }
  }

  /** Whether {@link Socket#send(DirectMessage)} is allowed on this type: PUSH, DEALER, PAIR, ROUTER, PUB, XPUB. */
  public boolean canSendDirect() {
    switch (this) {
      case PUSH: case DEALER: case PAIR: case ROUTER: case PUB: case XPUB:
        return true;
      default:
        return false;
    }
  }
}
