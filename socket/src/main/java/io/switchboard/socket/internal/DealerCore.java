package io.switchboard.socket.internal;

import io.switchboard.socket.Message;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;

/** DEALER, PUSH and PULL: round-robin out to pipes with room, fair-queue in; no envelopes. */
final class DealerCore extends SocketCore {
  DealerCore(ContextCore context, SocketType type, SocketOptions options) {
    super(context, type, options);
  }

  @Override
  boolean doSend(Message message, long timeoutNanos) {
    return loadBalance(message, timeoutNanos) != null;
  }
}
