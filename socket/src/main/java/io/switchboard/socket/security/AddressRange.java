package io.switchboard.socket.security;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * An IPv4 or IPv6 address range in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}), or one address (a
 * range of {@code /32} or {@code /128}). Parsed as a literal only: never a DNS lookup. An IPv4-mapped IPv6 address
 * ({@code ::ffff:10.1.2.3}), as a dual-stack socket reports IPv4 peers, is matched as the IPv4 address it carries.
 * Immutable.
 *
 * @param text the range as given
 * @param network the network's octets (4 or 16), with the bits past the prefix cleared
 * @param prefix the number of leading bits that must match
 */
record AddressRange(String text, byte[] network, int prefix) {
  /**
   * Parses {@code address} or {@code address/prefix}.
   *
   * @throws IllegalArgumentException if it is not an IP literal, or the prefix is not a number from 0 to 32 (IPv4)
   *     or 128 (IPv6)
   */
  static AddressRange parse(String text) {
    String trimmed = text.strip();
    int slash = trimmed.indexOf('/');
    String literal = slash < 0 ? trimmed : trimmed.substring(0, slash);
    byte[] octets = NetUtil.createByteArrayFromIpAddressString(literal);
    if (octets == null) {
      throw new IllegalArgumentException("address: " + text
          + " (expected: an IPv4 or IPv6 address, optionally with a /prefix, e.g. 10.0.0.0/8 or fd00::/8)");
    }
    octets = unmapped(octets);
    int bits = octets.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String digits = trimmed.substring(slash + 1);
      try {
        prefix = Integer.parseInt(digits);
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > bits || digits.isEmpty() || !Character.isDigit(digits.charAt(0))) {
        throw new IllegalArgumentException("address: " + text + " (expected: a prefix length from 0 to " + bits
            + " after the /)");
      }
    }
    for (int bit = prefix; bit < bits; bit++) {
      octets[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    return new AddressRange(trimmed, octets, prefix);
  }

  /** Whether {@code address} is an IP socket address inside this range. */
  boolean contains(SocketAddress address) {
    if (!(address instanceof InetSocketAddress)) {
      return false;
    }
    InetAddress inet = ((InetSocketAddress) address).getAddress();
    return inet != null && contains(inet.getAddress());
  }

  /** Whether the address with these octets (4 or 16) is inside this range. */
  boolean contains(byte[] address) {
    byte[] octets = unmapped(address);
    if (octets.length != network.length) {
      return false;
    }
    int whole = prefix / 8;
    for (int i = 0; i < whole; i++) {
      if (octets[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF00 >>> rest) & 0xFF;
    return (octets[whole] & mask) == (network[whole] & 0xFF);
  }

  @Override
  public byte[] network() {
    return network.clone();
  }

  @Override
  public String toString() {
    return text;
  }

  /** The IPv4 address inside an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}); any other address as it is. */
  private static byte[] unmapped(byte[] octets) {
    if (octets.length != 16) {
      return octets.clone();
    }
    for (int i = 0; i < 10; i++) {
      if (octets[i] != 0) {
        return octets.clone();
      }
    }
    if (octets[10] != (byte) 0xFF || octets[11] != (byte) 0xFF) {
      return octets.clone();
    }
    return new byte[] {octets[12], octets[13], octets[14], octets[15]};
  }
}
