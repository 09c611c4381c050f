package io.switchboard.zmtp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * A ZMTP command: the body of a frame whose COMMAND flag is set.
 *
 * <pre>
 * command      = command-name-size:1 command-name:command-name-size command-data
 * ready        = "READY" metadata
 * error        = "ERROR" reason-size:1 reason:reason-size
 * ping         = "PING" ping-ttl:2 ping-context:0..16      (ttl in tenths of a second)
 * pong         = "PONG" ping-context:0..16
 * subscribe    = "SUBSCRIBE" topic                         (ZMTP 3.1)
 * cancel       = "CANCEL" topic                            (ZMTP 3.1)
 * </pre>
 */
public sealed interface ZmtpCommand {
  /** The largest PING context that RFC 37 allows. */
  int MAX_PING_CONTEXT = 16;

  /** The command's name as it appears on the wire. */
  String name();

  /** The length of the encoded command body, name included. */
  int encodedLength();

  /** Appends the command body (without the frame header). */
  void encodeBody(ByteBuf out);

  /** Appends the whole command frame: header and body. */
  default void encode(ByteBuf out) {
    int length = encodedLength();
    ZmtpFrames.writeCommandHeader(out, length);
    encodeBody(out);
  }

  /**
   * Decodes the body of a command frame.
   *
   * @throws ZmtpException if the body is malformed
   */
  static ZmtpCommand decode(ByteBuf body) {
    String name = ZmtpMechanism.readName(body);
    switch (name) {
      case "READY":
        return new Ready(ZmtpMetadata.decode(body));
      case "ERROR": {
        if (!body.isReadable()) {
          throw new ZmtpException("ERROR: missing reason");
        }
        int reasonLength = body.readUnsignedByte();
        if (body.readableBytes() < reasonLength) {
          throw new ZmtpException("ERROR: truncated reason");
        }
        return new Error(body.readCharSequence(reasonLength, StandardCharsets.US_ASCII).toString());
      }
      case "PING": {
        if (body.readableBytes() < 2 || body.readableBytes() > 2 + MAX_PING_CONTEXT) {
          throw new ZmtpException("PING: " + body.readableBytes() + " octets after the name (expected: 2 to 18)");
        }
        int ttl = body.readUnsignedShort();
        return new Ping(ttl, readRest(body));
      }
      case "PONG":
        if (body.readableBytes() > MAX_PING_CONTEXT) {
          throw new ZmtpException("PONG: context of " + body.readableBytes() + " octets (expected: at most 16)");
        }
        return new Pong(readRest(body));
      case "SUBSCRIBE":
        return new Subscribe(readRest(body));
      case "CANCEL":
        return new Cancel(readRest(body));
      default:
        return new Other(name, readRest(body));
    }
  }

  private static byte[] readRest(ByteBuf body) {
    byte[] rest = new byte[body.readableBytes()];
    body.readBytes(rest);
    return rest;
  }

  private static int nameLength(String name) {
    return 1 + name.length();
  }

  private static void writeName(ByteBuf out, String name) {
    out.writeByte(name.length());
    out.writeCharSequence(name, StandardCharsets.US_ASCII);
  }

  /** READY: the end of the NULL handshake, with the sender's metadata. */
  record Ready(ZmtpMetadata metadata) implements ZmtpCommand {
    @Override public String name() {
      return "READY";
    }

    @Override public int encodedLength() {
      return nameLength(name()) + metadata.encodedLength();
    }

    @Override public void encodeBody(ByteBuf out) {
      writeName(out, name());
      metadata.encode(out);
    }
  }

  /** ERROR: the sender refuses the handshake, with a reason of at most 255 ASCII characters. */
  record Error(String reason) implements ZmtpCommand {
    /** Creates the command, cutting the reason to 255 characters. */
    public Error {
      reason = reason.length() > 255 ? reason.substring(0, 255) : reason;
    }

    @Override public String name() {
      return "ERROR";
    }

    @Override public int encodedLength() {
      return nameLength(name()) + 1 + reason.length();
    }

    @Override public void encodeBody(ByteBuf out) {
      writeName(out, name());
      out.writeByte(reason.length());
      out.writeCharSequence(reason, StandardCharsets.US_ASCII);
    }
  }

  /** PING: a heartbeat; the receiver answers with PONG and the same context. */
  record Ping(int ttlDeciseconds, byte[] context) implements ZmtpCommand {
    /** Checks the TTL (0 to 65535 tenths of a second) and the context (at most 16 octets). */
    public Ping {
      if (ttlDeciseconds < 0 || ttlDeciseconds > 0xFFFF) {
        throw new IllegalArgumentException("ttl: " + ttlDeciseconds + " (expected: 0 to 65535 tenths of a second)");
      }
      if (context.length > MAX_PING_CONTEXT) {
        throw new IllegalArgumentException("context: " + context.length + " octets (expected: at most 16)");
      }
    }

    @Override public String name() {
      return "PING";
    }

    @Override public int encodedLength() {
      return nameLength(name()) + 2 + context.length;
    }

    @Override public void encodeBody(ByteBuf out) {
      writeName(out, name());
      out.writeShort(ttlDeciseconds);
      out.writeBytes(context);
    }
  }

  /** PONG: the answer to a PING. */
  record Pong(byte[] context) implements ZmtpCommand {
    @Override public String name() {
      return "PONG";
    }

    @Override public int encodedLength() {
      return nameLength(name()) + context.length;
    }

    @Override public void encodeBody(ByteBuf out) {
      writeName(out, name());
      out.writeBytes(context);
    }
  }

  /** SUBSCRIBE (ZMTP 3.1): the sender wants messages that start with {@code topic}. */
  record Subscribe(byte[] topic) implements ZmtpCommand {
    @Override public String name() {
      return "SUBSCRIBE";
    }

    @Override public int encodedLength() {
      return nameLength(name()) + topic.length;
    }

    @Override public void encodeBody(ByteBuf out) {
      writeName(out, name());
      out.writeBytes(topic);
    }
  }

  /** CANCEL (ZMTP 3.1): the sender no longer wants messages that start with {@code topic}. */
  record Cancel(byte[] topic) implements ZmtpCommand {
    @Override public String name() {
      return "CANCEL";
    }

    @Override public int encodedLength() {
      return nameLength(name()) + topic.length;
    }

    @Override public void encodeBody(ByteBuf out) {
      writeName(out, name());
      out.writeBytes(topic);
    }
  }

  /** A command this implementation does not know; RFC 37 says to ignore it. */
  record Other(String name, byte[] data) implements ZmtpCommand {
    @Override public int encodedLength() {
      return nameLength(name) + data.length;
    }

    @Override public void encodeBody(ByteBuf out) {
      writeName(out, name);
      out.writeBytes(data);
    }
  }
}
