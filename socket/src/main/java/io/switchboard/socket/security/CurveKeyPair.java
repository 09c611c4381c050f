package io.switchboard.socket.security;

import io.switchboard.zmtp.ZmtpCurveBox;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A CURVE (X25519) key pair: a 32-octet public key to share and a 32-octet secret key to keep. Immutable; the
 * accessors return copies. {@link #toString()} never shows the secret key.
 */
public final class CurveKeyPair {
  private final byte[] publicKey;
  private final byte[] secretKey;

  private CurveKeyPair(byte[] publicKey, byte[] secretKey) {
    this.publicKey = publicKey;
    this.secretKey = secretKey;
  }

  /** A new random key pair (like {@code zmq_curve_keypair}). */
  public static CurveKeyPair generate() {
    byte[] secret = ZmtpCurveBox.newSecretKey();
    return new CurveKeyPair(ZmtpCurveBox.publicKey(secret), secret);
  }

  /**
   * The key pair that belongs to a secret key; the public key is derived from it.
   *
   * @throws IllegalArgumentException if the key is not 32 octets
   */
  public static CurveKeyPair fromSecretKey(byte[] secretKey) {
    Objects.requireNonNull(secretKey, "secretKey");
    checkLength("secretKey", secretKey);
    return new CurveKeyPair(ZmtpCurveBox.publicKey(secretKey), secretKey.clone());
  }

  /**
   * The key pair of a Z85 secret key (40 characters).
   *
   * @throws IllegalArgumentException if the text is not a Z85 key
   */
  public static CurveKeyPair fromSecretKey(String z85SecretKey) {
    return fromSecretKey(decodeKey("secretKey", z85SecretKey));
  }

  /**
   * Decodes a Z85 public key of 40 characters to its 32 octets.
   *
   * @throws IllegalArgumentException if it is not one
   */
  public static byte[] decodeKey(String name, String z85) {
    Objects.requireNonNull(z85, name);
    if (z85.length() != 40) {
      throw new IllegalArgumentException(name + ": " + z85.length() + " characters (expected: 40 characters of Z85)");
    }
    return Z85.decode(z85);
  }

  /** The public key, 32 octets. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The secret key, 32 octets. */
  public byte[] secretKey() {
    return secretKey.clone();
  }

  /** The public key as 40 characters of Z85. */
  public String publicKeyZ85() {
    return Z85.encode(publicKey);
  }

  /** The secret key as 40 characters of Z85. */
  public String secretKeyZ85() {
    return Z85.encode(secretKey);
  }

  static void checkLength(String name, byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException(name + ": " + key.length + " octets (expected: 32)");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CurveKeyPair k && MessageDigest.isEqual(k.secretKey, secretKey)
        && MessageDigest.isEqual(k.publicKey, publicKey);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(publicKey);
  }

  @Override
  public String toString() {
    return "CurveKeyPair[public " + publicKeyZ85() + "]";
  }
}
