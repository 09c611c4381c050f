package io.switchboard.socket.internal;

import java.nio.charset.StandardCharsets;

/** Shows binary ids in messages for people: as text when printable, otherwise as 0x-prefixed hex. */
final class Hex {
  private Hex() {}

  static String printable(byte[] bytes) {
    boolean text = bytes.length > 0;
    for (byte b : bytes) {
      if (b < 0x20 || b > 0x7e) {
        text = false;
        break;
      }
    }
    if (text) {
      return new String(bytes, StandardCharsets.US_ASCII);
    }
    StringBuilder sb = new StringBuilder("0x");
    for (byte b : bytes) {
      sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
    }
    return sb.toString();
  }
}
