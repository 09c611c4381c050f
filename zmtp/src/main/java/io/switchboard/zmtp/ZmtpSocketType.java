package io.switchboard.zmtp;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The socket types that ZMTP names in the {@code Socket-Type} property, and which pairs of them may talk.
 *
 * <p>RFC 23: "When a peer receives a READY command with a Socket-Type it cannot talk to, it SHALL handle this as an
 * error and close the connection."
 */
public enum ZmtpSocketType {
  PAIR, PUB, SUB, REQ, REP, DEALER, ROUTER, PULL, PUSH, XPUB, XSUB;

  private final byte[] wireName = name().getBytes(StandardCharsets.US_ASCII);

  /** The name as it appears on the wire, in ASCII. */
  public byte[] wireName() {
    return wireName.clone();
  }

  /** Whether a socket of this type may be connected to a peer of type {@code peer}. */
  public boolean isCompatibleWith(ZmtpSocketType peer) {
    switch (this) {
      case PAIR: return peer == PAIR;
      case PUB: case XPUB: return peer == SUB || peer == XSUB;
      case SUB: case XSUB: return peer == PUB || peer == XPUB;
      case REQ: return peer == REP || peer == ROUTER;
      case REP: return peer == REQ || peer == DEALER;
      case DEALER: return peer == REP || peer == DEALER || peer == ROUTER;
      case ROUTER: return peer == REQ || peer == DEALER || peer == ROUTER;
      case PUSH: return peer == PULL;
      case PULL: return peer == PUSH;
      default: throw new AssertionError(this);
    }
  }

  /**
   * Parses a wire name.
   *
   * @throws ZmtpException if the name is not a ZMTP socket type
   */
  public static ZmtpSocketType fromWireName(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ZmtpException("Socket-Type: " + name + " (expected: a ZMTP socket type such as DEALER)");
    }
  }
}
