package io.switchboard.zmtp;

/**
 * What the handshake learned about the peer.
 *
 * @param greeting the peer's greeting
 * @param socketType the peer's socket type
 * @param metadata every property the peer sent in READY
 * @param zmtp31 whether both sides speak ZMTP 3.1 (SUBSCRIBE and CANCEL commands, PING with TTL)
 * @param userId the User-Id our authenticator gave the peer (RFC 27), or empty if it was not authenticated
 * @param address the peer's transport address as libzmq's {@code Peer-Address} gives it ({@code 127.0.0.1:40312} for
 *     tcp), or empty where the transport has none (ipc, inproc)
 */
public record ZmtpPeer(ZmtpGreeting greeting, ZmtpSocketType socketType, ZmtpMetadata metadata, boolean zmtp31,
    String userId, String address) {
  /** A peer that was not authenticated, of unknown address. */
  public ZmtpPeer(ZmtpGreeting greeting, ZmtpSocketType socketType, ZmtpMetadata metadata, boolean zmtp31) {
    this(greeting, socketType, metadata, zmtp31, "", "");
  }

  /** The peer's Identity property, or an empty array if it sent none. */
  public byte[] identity() {
    byte[] identity = metadata.get(ZmtpMetadata.IDENTITY);
    return identity == null ? new byte[0] : identity;
  }
}
