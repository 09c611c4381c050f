package io.switchboard.socket.security;

import java.util.Arrays;

/**
 * Z85 (ZeroMQ RFC 32): binary as printable text, 5 characters for every 4 octets, as used for CURVE keys in
 * certificates and on command lines. Stateless and thread-safe.
 *
 * <p>RFC 32: "The binary frame SHALL have a length that is divisible by 4 with no remainder" and "the string frame
 * SHALL have a length that is divisible by 5 with no remainder"; anything else is refused.
 */
public final class Z85 {
  private static final char[] ALPHABET =
      ("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#").toCharArray();
  private static final int[] VALUES = new int[128];

  static {
    Arrays.fill(VALUES, -1);
    for (int i = 0; i < ALPHABET.length; i++) {
      VALUES[ALPHABET[i]] = i;
    }
  }

  private Z85() {}

  /**
   * Encodes octets as Z85 text.
   *
   * @throws IllegalArgumentException if the length is not a multiple of 4
   */
  public static String encode(byte[] data) {
    if (data.length % 4 != 0) {
      throw new IllegalArgumentException("data: " + data.length + " octets (expected: a multiple of 4)");
    }
    char[] out = new char[data.length / 4 * 5];
    int o = 0;
    for (int i = 0; i < data.length; i += 4) {
      long value = ((data[i] & 0xFFL) << 24) | ((data[i + 1] & 0xFF) << 16) | ((data[i + 2] & 0xFF) << 8)
          | (data[i + 3] & 0xFF);
      for (int d = 4; d >= 0; d--) {
        out[o + d] = ALPHABET[(int) (value % 85)];
        value /= 85;
      }
      o += 5;
    }
    return new String(out);
  }

  /**
   * Decodes Z85 text.
   *
   * @throws IllegalArgumentException if the length is not a multiple of 5, a character is not in the Z85 alphabet,
   *     or a group is above 2^32 - 1
   */
  public static byte[] decode(String text) {
    if (text.length() % 5 != 0) {
      throw new IllegalArgumentException("text: " + text.length() + " characters (expected: a multiple of 5)");
    }
    byte[] out = new byte[text.length() / 5 * 4];
    int o = 0;
    for (int i = 0; i < text.length(); i += 5) {
      long value = 0;
      for (int d = 0; d < 5; d++) {
        char c = text.charAt(i + d);
        int v = c < 128 ? VALUES[c] : -1;
        if (v < 0) {
          throw new IllegalArgumentException("text: character '" + c + "' at " + (i + d)
              + " (expected: the Z85 alphabet)");
        }
        value = value * 85 + v;
      }
      if (value > 0xFFFFFFFFL) {
        throw new IllegalArgumentException("text: group at " + i + " is above 2^32 - 1 (expected: valid Z85)");
      }
      out[o++] = (byte) (value >>> 24);
      out[o++] = (byte) (value >>> 16);
      out[o++] = (byte) (value >>> 8);
      out[o++] = (byte) value;
    }
    return out;
  }
}
