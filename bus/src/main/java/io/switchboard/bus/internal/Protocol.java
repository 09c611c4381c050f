package io.switchboard.bus.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The client-node wire: one ZMTP connection, a DEALER on the client, a ROUTER on the node. Every message starts with
 * a header frame, a verb and its fields joined by NUL octets, followed by the verb's binary frames (data, route).
 * docs/protocol.md is the specification.
 *
 * <pre>
 *  client → node                                        node → client
 *  HELLO name version                                   WELCOME node-id name
 *  JOIN channel                                         JOINED channel
 *  LEAVE channel                                        LEFT channel
 *  EMIT channel event format          | data            EVENT channel event format from | data  (…repeated)
 *  HANDLE channel event                                 HANDLING channel event
 *  UNHANDLE channel event                               UNHANDLED channel event
 *  REQUEST channel event format id    | data            REQUEST channel event format from id | route | data
 *  REPLY id format                    | route | data    REPLY id format | data
 *  FAIL id reason [code]              | route           FAIL id reason [code]
 *  CTL id token command argument…                       CTL id status | json
 *  PING                                                 PONG
 *  BYE                                                  CLOSED channel reason
 *                                                       ERROR verb channel message
 * </pre>
 *
 * <p>One header frame instead of a frame per field: every frame costs a header, an allocation and a copy on each
 * side of each hop, and an event crosses two hops.
 */
public final class Protocol {
  /**
   * The version a client sends in HELLO. From 2 on, the node may send a run of events with one header: an empty
   * header frame in an EVENT batch repeats the header before it (see docs/protocol.md, "Batches").
   */
  public static final String VERSION = "2";
  /** The first version whose clients read an empty EVENT header as the one before it. */
  public static final int COMPACT_VERSION = 2;
  /** The field separator in a header. */
  public static final byte SEPARATOR = 0;

  public static final byte[] OK = utf8("ok");
  public static final byte[] EMPTY = new byte[0];

  /** The verbs, most frequent first, for dispatch without making a String per message. */
  public enum Verb {
    EMIT, EVENT, REQUEST, REPLY, FAIL, PING, PONG, HELLO, WELCOME, JOIN, JOINED, LEAVE, LEFT, HANDLE, HANDLING,
    UNHANDLE, UNHANDLED, CTL, BYE, CLOSED, ERROR;

    private static final Verb[] ALL = values();
    private final byte[] wire = name().getBytes(StandardCharsets.US_ASCII);

    /** The verb's bytes, as they start a header. */
    public byte[] wire() {
      return wire;
    }

    /** The verb that starts a header whose first field ends at {@code end}, or {@code null}. */
    public static Verb of(byte[] header, int end) {
      for (Verb v : ALL) {
        if (v.wire.length == end && Arrays.equals(v.wire, 0, end, header, 0, end)) {
          return v;
        }
      }
      return null;
    }
  }

  private Protocol() {}

  /** A header of the verb alone. */
  public static byte[] header(Verb verb) {
    return verb.wire.clone();
  }

  /** A header: the verb, then each field after a NUL. */
  public static byte[] header(Verb verb, byte[]... fields) {
    int length = verb.wire.length;
    for (byte[] f : fields) {
      length += 1 + f.length;
    }
    byte[] h = Arrays.copyOf(verb.wire, length);
    int at = verb.wire.length;
    for (byte[] f : fields) {
      h[at++] = SEPARATOR;
      System.arraycopy(f, 0, h, at, f.length);
      at += f.length;
    }
    return h;
  }

  /** A header of text fields. */
  public static byte[] header(Verb verb, String... fields) {
    byte[][] bytes = new byte[fields.length][];
    for (int i = 0; i < fields.length; i++) {
      bytes[i] = utf8(fields[i]);
    }
    return header(verb, bytes);
  }

  /** UTF-8 bytes of a string. */
  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A frame as a UTF-8 string. */
  public static String string(byte[] frame) {
    return new String(frame, StandardCharsets.UTF_8);
  }

  /** Whether a name can be a header field: not empty, no NUL. */
  public static boolean isValidName(String name) {
    return !name.isEmpty() && name.indexOf(SEPARATOR) < 0;
  }
}
