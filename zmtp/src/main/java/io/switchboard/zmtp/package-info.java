/**
 * The ZMTP 3.x wire codec on Netty: the greeting with version detection, the NULL handshake, READY metadata, the
 * frame decoder and encoder, and the commands (PING, PONG, SUBSCRIBE, CANCEL, ERROR).
 *
 * <p>This layer knows nothing of socket semantics beyond the Socket-Type compatibility table of RFC 23. The socket
 * layer installs a {@link io.switchboard.zmtp.ZmtpHandshakeHandler} on every new connection; when the handshake
 * completes, the handler replaces itself with a {@link io.switchboard.zmtp.ZmtpFrameDecoder} that hands whole frames
 * to a {@link io.switchboard.zmtp.ZmtpFrameListener}. Outbound frames are written with {@link
 * io.switchboard.zmtp.ZmtpFrames}.
 *
 * <p>References: <a href="https://rfc.zeromq.org/spec/23/">23/ZMTP</a> (3.0) and
 * <a href="https://rfc.zeromq.org/spec/37/">37/ZMTP</a> (3.1).
 */
package io.switchboard.zmtp;
