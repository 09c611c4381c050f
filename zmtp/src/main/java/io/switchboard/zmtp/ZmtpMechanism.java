package io.switchboard.zmtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One connection's security handshake after the greetings: a small state machine that the {@link
 * ZmtpHandshakeHandler} feeds with the peer's command frames, one at a time, until it returns the peer's metadata.
 *
 * <p>The handler owns everything shared by all mechanisms: the greeting, framing of handshake commands, the size
 * limit (checked on the frame header, before any allocation), ERROR from the peer, the timeout, the Socket-Type
 * check. A mechanism sees only command bodies and writes its own commands. It runs on the event loop; not
 * thread-safe.
 */
abstract class ZmtpMechanism {
  final ZmtpHandshakeOptions options;

  ZmtpMechanism(ZmtpHandshakeOptions options) {
    this.options = options;
  }

  /** Makes the state machine for one connection. */
  static ZmtpMechanism of(ZmtpHandshakeOptions options) {
    ZmtpSecurity security = options.security();
    if (security instanceof ZmtpSecurity.Null) {
      return new ZmtpNullMechanism(options, ((ZmtpSecurity.Null) security).authenticator());
    }
    if (security instanceof ZmtpSecurity.PlainClient || security instanceof ZmtpSecurity.PlainServer) {
      return new ZmtpPlainMechanism(options);
    }
    return new ZmtpCurveMechanism(options);
  }

  /** Called once the peer's greeting is accepted: writes our first command, if we speak first. */
  abstract void start(ChannelHandlerContext ctx);

  /**
   * Handles one command from the peer.
   *
   * @param name the command's name
   * @param data the octets after the name
   * @return the peer's metadata once the handshake is complete, otherwise {@code null}
   * @throws ZmtpException on a protocol violation or a refusal
   */
  abstract ZmtpMetadata onCommand(ChannelHandlerContext ctx, String name, ByteBuf data);

  /** The command we wait for, for error messages. */
  abstract String expecting();

  /** The largest handshake command accepted: the metadata limit plus this mechanism's fixed overhead. */
  int maxCommandSize(int maxMetadataSize) {
    return maxMetadataSize;
  }

  /** The peer's User-Id once the handshake is complete; empty if it was not authenticated. */
  String userId() {
    return "";
  }

  /** Inserts the handlers this mechanism needs after the handshake, just after {@code ctx}; none by default. */
  void installCodec(ChannelHandlerContext ctx) {
    // NULL and PLAIN keep the plain frame path.
  }

  /** Removes what {@link #installCodec} inserted. */
  void removeCodec(ChannelHandlerContext ctx) {
    // nothing inserted
  }

  /** The metadata we announce: Socket-Type, and Identity for the socket types that route by it. */
  final ZmtpMetadata ourMetadata() {
    Map<String, byte[]> properties = new LinkedHashMap<>();
    properties.put(ZmtpMetadata.SOCKET_TYPE, options.socketType().wireName());
    switch (options.socketType()) {
      case REQ: case DEALER: case ROUTER:
        properties.put(ZmtpMetadata.IDENTITY, options.identity());
        break;
      default:
        break;
    }
    return ZmtpMetadata.of(properties);
  }

  /** Writes and flushes one command frame. */
  static void send(ChannelHandlerContext ctx, ZmtpCommand command) {
    ByteBuf out = ctx.alloc().buffer(9 + command.encodedLength());
    command.encode(out);
    ctx.writeAndFlush(out);
  }

  /** Writes and flushes a command made of a name and raw data. */
  static void send(ChannelHandlerContext ctx, String name, byte[] data) {
    send(ctx, new ZmtpCommand.Other(name, data));
  }

  /** Fails unless the peer sent {@code expected}. */
  static void expect(String name, String expected) {
    if (!expected.equals(name)) {
      throw new ZmtpException("handshake: peer sent " + name + " (expected: " + expected + ")");
    }
  }

  /** Reads the command name at the start of a command body. */
  static String readName(ByteBuf body) {
    if (!body.isReadable()) {
      throw new ZmtpException("command: empty command frame");
    }
    int nameLength = body.readUnsignedByte();
    if (nameLength == 0 || body.readableBytes() < nameLength) {
      throw new ZmtpException("command: name of " + nameLength + " octets does not fit the frame");
    }
    return body.readCharSequence(nameLength, StandardCharsets.US_ASCII).toString();
  }

  static byte[] readAll(ByteBuf data) {
    byte[] octets = new byte[data.readableBytes()];
    data.readBytes(octets);
    return octets;
  }
}
