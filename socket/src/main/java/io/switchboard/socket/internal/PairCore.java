package io.switchboard.socket.internal;

import io.switchboard.socket.Message;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;

/** PAIR: one exclusive peer; a second connection is refused at its handshake. */
final class PairCore extends SocketCore {
  PairCore(ContextCore context, SocketOptions options) {
    super(context, SocketType.PAIR, options);
  }

  @Override
  boolean acceptsPeer(Pipe pipe) {
    if (!super.acceptsPeer(pipe)) {
      return false;
    }
    for (Pipe p : pipes) {
      if (p != pipe && p.isAttached()) {
        return false;
      }
    }
    return true;
  }

  @Override
  boolean doSend(Message message, long timeoutNanos) {
    return loadBalance(message, timeoutNanos) != null;
  }
}
