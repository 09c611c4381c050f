package io.switchboard.bus.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** What a node knows of one client connection: where it is, what it joined, what it did. */
final class Session {
  final NodeListener listener;
  final byte[] routingId;
  final ByteBuffer key;
  final String address;
  final long connectedAtMillis = System.currentTimeMillis();
  final Set<ChannelState> channels = ConcurrentHashMap.newKeySet();
  /** Counters, written and read on the node's I/O thread only (control runs there too). */
  long eventsIn;
  long eventsOut;
  long dropped;
  volatile String name;
  volatile byte[] nameBytes;
  /** When the node last heard from this client, in {@link System#nanoTime()}; written by its listener thread only. */
  volatile long lastSeenNanos = System.nanoTime();
  /** The last channel this client emitted on, so that a stream of events looks its channel up once. */
  byte[] lastChannelName;
  ChannelState lastChannel;
  volatile boolean closed;
  /**
   * Events routed to this client and not sent yet: its routing id, then a header and a data frame per event, and the
   * channel of each (for the counters). The node's I/O thread only.
   */
  final ArrayList<byte[]> batch = new ArrayList<>();
  /** The last header put in {@link #batch}, which a compact client's next event may repeat with an empty frame. */
  byte[] batchHeader;
  /** Whether the client said (HELLO, version 2 or later) that it reads an empty EVENT header as the one before. */
  volatile boolean compact;
  final ArrayList<ChannelState> batchChannels = new ArrayList<>();
  int batchBytes;

  Session(NodeListener listener, byte[] routingId, String address) {
    this.listener = listener;
    this.routingId = routingId;
    this.key = ByteBuffer.wrap(routingId);
    this.address = address;
    name(defaultName(routingId));
  }

  void name(String name) {
    this.name = name;
    this.nameBytes = Protocol.utf8(name);
  }

  /** The routing id as text if it is printable ASCII (a Switchboard client's id), else in hex. */
  static String defaultName(byte[] id) {
    boolean printable = id.length > 0;
    for (byte b : id) {
      printable &= b >= 0x21 && b < 0x7f;
    }
    if (printable) {
      return new String(id, java.nio.charset.StandardCharsets.US_ASCII);
    }
    StringBuilder sb = new StringBuilder("0x");
    for (byte b : id) {
      sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return sb.toString();
  }
}
