package io.switchboard.socket.security;

import java.net.SocketAddress;

/**
 * Decides, on the server side of a handshake, whether a peer may connect: a ZAP handler (RFC 27) answered in process.
 * {@link Authenticator} is the one Switchboard ships (addresses, PLAIN users, CURVE keys); implement this interface to
 * decide some other way, and give it to {@link io.switchboard.socket.SocketOptions.Builder#authenticator}.
 *
 * <p>Called on the connection's I/O thread: implementations must be thread-safe and must not block (load files and
 * key lists elsewhere and swap them in). An exception other than {@link AuthenticationRefusedException} also refuses
 * the peer, with status code 500.
 */
@FunctionalInterface
public interface ZapHandler {
  /**
   * Admits or refuses a peer.
   *
   * @return the peer's User-Id (for PLAIN usually the user name, for CURVE the Z85 text of the client's key)
   * @throws AuthenticationRefusedException to refuse the peer, with a reason for our own user
   */
  String authenticate(Request request);

  /**
   * What the peer presented.
   *
   * @param mechanism "NULL", "PLAIN" or "CURVE"
   * @param domain the ZAP domain of the socket that received the peer
   *     ({@link io.switchboard.socket.SocketOptions#zapDomain()}), empty if it has none
   * @param address the peer's address, or {@code null} if unknown
   * @param username the PLAIN user name, else {@code null}
   * @param password the PLAIN password as UTF-8 octets, else {@code null}
   * @param clientKey the CURVE client's long-term public key (32 octets), else {@code null}
   */
  record Request(String mechanism, String domain, SocketAddress address, String username, byte[] password,
      byte[] clientKey) {}
}
