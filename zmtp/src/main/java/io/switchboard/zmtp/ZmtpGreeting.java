package io.switchboard.zmtp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The 64-octet greeting that opens every ZMTP 3.x connection.
 *
 * <pre>
 * offset  0   signature   %xFF 8%x00 %x7F      (10 octets; octets 1-8 are padding, any value)
 * offset 10   version     major:1 minor:1      (3.1 here; 3.0 peers are answered as 3.0)
 * offset 12   mechanism   20 octets, ASCII, null-padded ("NULL", "PLAIN", "CURVE")
 * offset 32   as-server   1 octet, 0 or 1
 * offset 33   filler      31 octets of zero
 * </pre>
 *
 * <p>RFC 23: "A peer MUST accept higher protocol versions as valid. That is, a ZMTP 3.0 peer MUST accept protocol
 * versions greater or equal to 3.0." Peers that announce ZMTP 1.0 (no 0xFF signature) or 2.0 (major version below
 * 3) are refused.
 */
public record ZmtpGreeting(int major, int minor, String mechanism, boolean asServer) {
  /** The length of a greeting on the wire. */
  public static final int LENGTH = 64;
  /** The length of the signature, after which the peer's major version is known. */
  public static final int SIGNATURE_LENGTH = 10;
  private static final int MECHANISM_LENGTH = 20;

  /** Our greeting: ZMTP 3.1 with the given mechanism. */
  public static ZmtpGreeting ours(String mechanism, boolean asServer) {
    return new ZmtpGreeting(3, 1, mechanism, asServer);
  }

  /** Appends the 64-octet greeting. */
  public void encode(ByteBuf out) {
    out.writeByte(0xFF);
    out.writeZero(8);
    out.writeByte(0x7F);
    out.writeByte(major);
    out.writeByte(minor);
    int start = out.writerIndex();
    out.writeCharSequence(mechanism, StandardCharsets.US_ASCII);
    out.writeZero(MECHANISM_LENGTH - (out.writerIndex() - start));
    out.writeByte(asServer ? 1 : 0);
    out.writeZero(31);
  }

  /**
   * Checks the signature and major version as soon as eleven octets are readable, without consuming them, so that
   * old peers are refused before the whole greeting arrives.
   *
   * @throws ZmtpException if the peer speaks ZMTP 1.0 or 2.0, or not ZMTP at all
   */
  public static void checkSignature(ByteBuf in) {
    int at = in.readerIndex();
    if (in.readableBytes() >= 1 && in.getUnsignedByte(at) != 0xFF) {
      throw new ZmtpException("greeting: no ZMTP 3 signature (a ZMTP 1.0 peer, or not ZMTP)");
    }
    if (in.readableBytes() >= SIGNATURE_LENGTH && (in.getByte(at + 9) & 1) != 1) {
      throw new ZmtpException("greeting: bad signature octet 9 (a ZMTP 1.0 peer, or not ZMTP)");
    }
    if (in.readableBytes() > SIGNATURE_LENGTH && in.getUnsignedByte(at + SIGNATURE_LENGTH) < 3) {
      throw new ZmtpException("greeting: ZMTP major version " + in.getUnsignedByte(at + SIGNATURE_LENGTH)
          + " (expected: 3 or later)");
    }
  }

  /**
   * Reads a whole greeting; the caller has checked that {@link #LENGTH} octets are readable.
   *
   * @throws ZmtpException if the signature or the version is not ZMTP 3 or later
   */
  public static ZmtpGreeting decode(ByteBuf in) {
    checkSignature(in);
    in.skipBytes(SIGNATURE_LENGTH);
    int major = in.readUnsignedByte();
    int minor = in.readUnsignedByte();
    ByteBuf mechanismField = in.readSlice(MECHANISM_LENGTH);
    int end = mechanismField.indexOf(0, MECHANISM_LENGTH, (byte) 0);
    String mechanism = mechanismField.toString(0, end < 0 ? MECHANISM_LENGTH : end, StandardCharsets.US_ASCII);
    boolean asServer = in.readUnsignedByte() == 1;
    in.skipBytes(31);
    return new ZmtpGreeting(major, minor, mechanism, asServer);
  }

  /** Whether this greeting announces ZMTP 3.1 or later. */
  public boolean atLeast31() {
    return major > 3 || (major == 3 && minor >= 1);
  }
}
