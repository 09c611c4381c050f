package io.switchboard.zmtp;

import java.time.Duration;
import java.util.Objects;

/**
 * What one side of a connection announces and accepts during the handshake.
 *
 * @param socketType our socket type, sent as Socket-Type and checked against the peer's
 * @param identity our identity (routing id), sent as Identity by REQ, DEALER and ROUTER; may be empty
 * @param maxMessageSize the largest message accepted after the handshake, in octets
 * @param maxMetadataSize the largest READY command accepted, in octets
 * @param handshakeTimeout how long the peer has to complete the handshake
 * @param security the security mechanism and role, with credentials; {@link ZmtpSecurity#NULL} for none
 * @param zapDomain the ZAP domain (RFC 27) passed to the authenticator with every request, as libzmq's
 *     {@code ZMQ_ZAP_DOMAIN}; empty for none, at most 255 octets of UTF-8
 */
public record ZmtpHandshakeOptions(
    ZmtpSocketType socketType, byte[] identity, long maxMessageSize, int maxMetadataSize,
    Duration handshakeTimeout, ZmtpSecurity security, String zapDomain) {
  /** The longest ZAP domain, in octets of UTF-8 (libzmq's limit too). */
  public static final int MAX_ZAP_DOMAIN_LENGTH = 255;
  /** The default limit on READY metadata: 8 KiB, far more than any ZeroMQ library sends. */
  public static final int DEFAULT_MAX_METADATA_SIZE = 8192;

  /** Validates and copies the arguments. */
  public ZmtpHandshakeOptions {
    Objects.requireNonNull(socketType, "socketType");
    identity = identity == null ? new byte[0] : identity.clone();
    if (identity.length > 255) {
      throw new IllegalArgumentException("identity: " + identity.length + " octets (expected: at most 255)");
    }
    if (maxMessageSize <= 0) {
      throw new IllegalArgumentException("maxMessageSize: " + maxMessageSize + " (expected: > 0)");
    }
    if (maxMetadataSize <= 0) {
      throw new IllegalArgumentException("maxMetadataSize: " + maxMetadataSize + " (expected: > 0)");
    }
    Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    Objects.requireNonNull(security, "security");
    Objects.requireNonNull(zapDomain, "zapDomain");
    int domainLength = zapDomain.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    if (domainLength > MAX_ZAP_DOMAIN_LENGTH) {
      throw new IllegalArgumentException("zapDomain: " + domainLength + " octets (expected: at most "
          + MAX_ZAP_DOMAIN_LENGTH + ")");
    }
  }

  /** Options with this security and no ZAP domain. */
  public ZmtpHandshakeOptions(ZmtpSocketType socketType, byte[] identity, long maxMessageSize, int maxMetadataSize,
      Duration handshakeTimeout, ZmtpSecurity security) {
    this(socketType, identity, maxMessageSize, maxMetadataSize, handshakeTimeout, security, "");
  }

  /** Options for the NULL mechanism. */
  public ZmtpHandshakeOptions(ZmtpSocketType socketType, byte[] identity, long maxMessageSize, int maxMetadataSize,
      Duration handshakeTimeout) {
    this(socketType, identity, maxMessageSize, maxMetadataSize, handshakeTimeout, ZmtpSecurity.NULL);
  }

  @Override
  public byte[] identity() {
    return identity.clone();
  }
}
