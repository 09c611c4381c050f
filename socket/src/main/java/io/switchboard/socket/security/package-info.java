/**
 * Security for sockets: CURVE keys and certificates ({@link io.switchboard.socket.security.CurveKeyPair}, {@link
 * io.switchboard.socket.security.CurveCertificate}, {@link io.switchboard.socket.security.Z85}) and the
 * {@link io.switchboard.socket.security.Authenticator} that servers use to admit peers, in the spirit of ZAP (RFC 27).
 * Configure a socket with {@code SocketOptions.builder().curveServer(...)}, {@code curveClient(...)},
 * {@code plainServer(...)} or {@code plainClient(...)}. See docs/security.md.
 */
package io.switchboard.socket.security;
