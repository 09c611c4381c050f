package io.switchboard.socket.internal;

import io.switchboard.socket.SocketType;
import io.switchboard.zmtp.ZmtpSocketType;

/** The ZMTP type each socket type announces in its handshake: the wire's view, kept out of the public API. */
public final class WireTypes {
  private WireTypes() {}

  /** The type that {@code type} announces. */
  public static ZmtpSocketType of(SocketType type) {
    return ZmtpSocketType.valueOf(type.name());
  }
}
