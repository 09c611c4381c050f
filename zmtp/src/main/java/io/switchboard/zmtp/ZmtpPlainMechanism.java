package io.switchboard.zmtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;

/**
 * PLAIN (RFC 24): a user name and password in clear text.
 *
 * <pre>
 *   client                                    server (as-server = 1)
 *   HELLO    username-size:1 username
 *            password-size:1 password  ───►   authenticate; ERROR "400" if refused
 *                                      ◄───   WELCOME   (no data)
 *   INITIATE metadata                  ───►
 *                                      ◄───   READY     metadata
 * </pre>
 *
 * <p>RFC 24: "The server SHALL respond to a valid HELLO with a WELCOME command" and "If the server rejects the
 * client's credentials it SHALL send an ERROR command and close the connection."
 */
final class ZmtpPlainMechanism extends ZmtpMechanism {
  private enum State { HELLO, WELCOME, INITIATE, READY }

  private final ZmtpSecurity security;
  private State state;
  private String userId = "";

  ZmtpPlainMechanism(ZmtpHandshakeOptions options) {
    super(options);
    this.security = options.security();
    this.state = security.asServer() ? State.HELLO : State.WELCOME;
  }

  @Override
  void start(ChannelHandlerContext ctx) {
    if (security instanceof ZmtpSecurity.PlainClient) {
      ZmtpSecurity.PlainClient client = (ZmtpSecurity.PlainClient) security;
      byte[] user = client.username().getBytes(StandardCharsets.UTF_8);
      byte[] password = client.password();
      ByteBuf data = Unpooled.buffer(2 + user.length + password.length);
      data.writeByte(user.length).writeBytes(user).writeByte(password.length).writeBytes(password);
      send(ctx, "HELLO", readAll(data));
    }
  }

  @Override
  ZmtpMetadata onCommand(ChannelHandlerContext ctx, String name, ByteBuf data) {
    expect(name, state.name());
    switch (state) {
      case HELLO: {
        String user = readShortString(data, "user name");
        byte[] password = readShortBytes(data, "password");
        if (data.isReadable()) {
          throw new ZmtpException("PLAIN: " + data.readableBytes() + " octets after the password in HELLO");
        }
        ZmtpAuthenticator authenticator = ((ZmtpSecurity.PlainServer) security).authenticator();
        userId = authenticator.authenticate(
            new ZmtpAuthenticator.Request("PLAIN", options.zapDomain(), ctx.channel().remoteAddress(), user,
                password, null));
        state = State.INITIATE;
        send(ctx, "WELCOME", new byte[0]);
        return null;
      }
      case WELCOME:
        if (data.isReadable()) {
          throw new ZmtpException("PLAIN: WELCOME with " + data.readableBytes() + " octets (expected: none)");
        }
        state = State.READY;
        send(ctx, new ZmtpCommand.Other("INITIATE", encode(ourMetadata())));
        return null;
      case INITIATE: {
        ZmtpMetadata metadata = ZmtpMetadata.decode(data);
        send(ctx, new ZmtpCommand.Ready(ourMetadata()));
        return metadata;
      }
      case READY:
        return ZmtpMetadata.decode(data);
      default:
        throw new AssertionError(state);
    }
  }

  private static byte[] encode(ZmtpMetadata metadata) {
    ByteBuf out = Unpooled.buffer(metadata.encodedLength());
    metadata.encode(out);
    return readAll(out);
  }

  private static byte[] readShortBytes(ByteBuf data, String what) {
    if (!data.isReadable() || data.readableBytes() < 1 + data.getUnsignedByte(data.readerIndex())) {
      throw new ZmtpException("PLAIN: truncated " + what + " in HELLO");
    }
    byte[] octets = new byte[data.readUnsignedByte()];
    data.readBytes(octets);
    return octets;
  }

  private static String readShortString(ByteBuf data, String what) {
    return new String(readShortBytes(data, what), StandardCharsets.UTF_8);
  }

  @Override
  String expecting() {
    return state.name();
  }

  @Override
  String userId() {
    return userId == null ? "" : userId;
  }
}
