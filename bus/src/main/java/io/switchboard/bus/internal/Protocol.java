package io.switchboard.bus.internal;

import java.nio.charset.StandardCharsets;

/**
 * The client-node wire: one ZMTP connection, a DEALER on the client, a ROUTER on the node; every message starts with
 * a verb frame. docs/protocol.md is the specification; the frame lists below follow the verb.
 *
 * <pre>
 *  client → node                                        node → client
 *  HELLO    name version                                WELCOME  node-id name
 *  JOIN     channel                                     JOINED   channel
 *  LEAVE    channel                                     LEFT     channel
 *  EMIT     channel event format data                   EVENT    channel event format data from
 *  HANDLE   channel event                               HANDLING channel event
 *  UNHANDLE channel event                               UNHANDLED channel event
 *  REQUEST  channel event format data request-id        REQUEST  channel event format data from route request-id
 *  REPLY    route request-id format data                REPLY    request-id format data
 *  FAIL     route request-id reason                     FAIL     request-id reason
 *  CTL      request-id token command [argument…]        CTL      request-id status json
 *  PING                                                 PONG
 *  BYE                                                  CLOSED   channel reason
 *                                                       ERROR    verb channel message
 *                                                       PING
 * </pre>
 */
public final class Protocol {
  /** The version a client sends in HELLO. */
  public static final String VERSION = "1";

  public static final byte[] HELLO = ascii("HELLO");
  public static final byte[] WELCOME = ascii("WELCOME");
  public static final byte[] JOIN = ascii("JOIN");
  public static final byte[] JOINED = ascii("JOINED");
  public static final byte[] LEAVE = ascii("LEAVE");
  public static final byte[] LEFT = ascii("LEFT");
  public static final byte[] EMIT = ascii("EMIT");
  public static final byte[] EVENT = ascii("EVENT");
  public static final byte[] HANDLE = ascii("HANDLE");
  public static final byte[] HANDLING = ascii("HANDLING");
  public static final byte[] UNHANDLE = ascii("UNHANDLE");
  public static final byte[] UNHANDLED = ascii("UNHANDLED");
  public static final byte[] REQUEST = ascii("REQUEST");
  public static final byte[] REPLY = ascii("REPLY");
  public static final byte[] FAIL = ascii("FAIL");
  public static final byte[] CTL = ascii("CTL");
  public static final byte[] PING = ascii("PING");
  public static final byte[] PONG = ascii("PONG");
  public static final byte[] BYE = ascii("BYE");
  public static final byte[] CLOSED = ascii("CLOSED");
  public static final byte[] ERROR = ascii("ERROR");
  public static final byte[] OK = ascii("ok");
  public static final byte[] EMPTY = new byte[0];

  /** The verbs, for dispatch without making a String per message. */
  public enum Verb {
    EMIT(Protocol.EMIT), EVENT(Protocol.EVENT), REQUEST(Protocol.REQUEST), REPLY(Protocol.REPLY),
    FAIL(Protocol.FAIL), HELLO(Protocol.HELLO), WELCOME(Protocol.WELCOME), JOIN(Protocol.JOIN),
    JOINED(Protocol.JOINED), LEAVE(Protocol.LEAVE), LEFT(Protocol.LEFT), HANDLE(Protocol.HANDLE),
    HANDLING(Protocol.HANDLING), UNHANDLE(Protocol.UNHANDLE), UNHANDLED(Protocol.UNHANDLED), CTL(Protocol.CTL),
    PING(Protocol.PING), PONG(Protocol.PONG), BYE(Protocol.BYE), CLOSED(Protocol.CLOSED), ERROR(Protocol.ERROR);

    private static final Verb[] ALL = values();
    private final byte[] wire;

    Verb(byte[] wire) {
      this.wire = wire;
    }

    /** The verb a frame names, or {@code null}. The most frequent verbs are tried first. */
    public static Verb of(byte[] frame) {
      for (Verb v : ALL) {
        if (java.util.Arrays.equals(v.wire, frame)) {
          return v;
        }
      }
      return null;
    }
  }

  private Protocol() {}

  /** UTF-8 bytes of a string. */
  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A frame as a UTF-8 string. */
  public static String string(byte[] frame) {
    return new String(frame, StandardCharsets.UTF_8);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
