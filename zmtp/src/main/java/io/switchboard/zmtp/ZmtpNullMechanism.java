package io.switchboard.zmtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * NULL (RFC 23): both sides send READY with their metadata, in any order. With an authenticator (on the side that
 * has one), the peer's address is checked before our READY goes out.
 *
 * <pre>
 * ready = command-size "READY" metadata
 * </pre>
 */
final class ZmtpNullMechanism extends ZmtpMechanism {
  private final ZmtpAuthenticator authenticator;
  private String userId = "";

  ZmtpNullMechanism(ZmtpHandshakeOptions options, ZmtpAuthenticator authenticator) {
    super(options);
    this.authenticator = authenticator;
  }

  @Override
  void start(ChannelHandlerContext ctx) {
    if (authenticator != null) {
      userId = authenticator.authenticate(
          new ZmtpAuthenticator.Request("NULL", options.zapDomain(), ctx.channel().remoteAddress(), null, null,
              null));
    }
    send(ctx, new ZmtpCommand.Ready(ourMetadata()));
  }

  @Override
  ZmtpMetadata onCommand(ChannelHandlerContext ctx, String name, ByteBuf data) {
    expect(name, "READY");
    return ZmtpMetadata.decode(data);
  }

  @Override
  String expecting() {
    return "READY";
  }

  @Override
  String userId() {
    return userId == null ? "" : userId;
  }
}
