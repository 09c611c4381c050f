package io.switchboard.bus.mesh.internal;

import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * A ZRE discovery beacon (rfc.zeromq.org 36), as Zyre sends on UDP port 5670, so that tools that listen for Zyre's
 * beacons see Switchboard's peers too:
 *
 * <pre>
 *  +-----+-----+-----+---------+------------------+-----------------+
 *  | 'Z' | 'R' | 'E' | version |  UUID, 16 octets | port, 2 octets  |
 *  +-----+-----+-----+---------+------------------+-----------------+
 *                       0x01                        network order; 0 = the peer is leaving
 * </pre>
 *
 * @param uuid the sender's UUID
 * @param port the sender's tcp port, 0 when it leaves
 */
public record Beacon(UUID uuid, int port) {
  /** The length of every beacon. */
  public static final int LENGTH = 22;
  /** The version ZRE beacons carry. */
  public static final int VERSION = 1;

  /** The beacon's 22 octets. */
  public byte[] encode() {
    ByteBuffer b = ByteBuffer.allocate(LENGTH);
    b.put((byte) 'Z').put((byte) 'R').put((byte) 'E').put((byte) VERSION);
    b.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
    b.putShort((short) port);
    return b.array();
  }

  /** A beacon from a datagram, or {@code null} if it is not a version 1 ZRE beacon. */
  public static Beacon decode(ByteBuffer datagram) {
    if (datagram.remaining() != LENGTH || datagram.get() != 'Z' || datagram.get() != 'R' || datagram.get() != 'E'
        || datagram.get() != VERSION) {
      return null;
    }
    UUID uuid = new UUID(datagram.getLong(), datagram.getLong());
    return new Beacon(uuid, datagram.getShort() & 0xffff);
  }
}
