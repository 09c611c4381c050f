package io.switchboard.socket.internal;

import io.switchboard.socket.Message;
import io.switchboard.socket.RoutingException;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;

/**
 * REQ: send a request, then receive its reply, strictly in turn. A request goes out behind an empty delimiter frame
 * to the next pipe with room; only a reply from that pipe, behind the delimiter, is accepted; anything else is
 * dropped.
 */
final class ReqCore extends SocketCore {
  private static final byte[] DELIMITER = new byte[0];
  private volatile Pipe awaitingReplyFrom;

  ReqCore(ContextCore context, SocketOptions options) {
    super(context, SocketType.REQ, options);
  }

  @Override
  boolean doSend(Message message, long timeoutNanos) {
    if (awaitingReplyFrom != null) {
      throw new RoutingException("REQ: send while a reply is expected (receive the reply first)");
    }
    Pipe pipe = loadBalance(message.prepend(DELIMITER), timeoutNanos);
    if (pipe == null) {
      return false;
    }
    awaitingReplyFrom = pipe;
    return true;
  }

  @Override
  public Message receive(long timeoutNanos) {
    if (awaitingReplyFrom == null) {
      throw new RoutingException("REQ: receive before a request was sent (send a request first)");
    }
    return super.receive(timeoutNanos);
  }

  /** Readable only while a reply is awaited. */
  @Override
  boolean readableNow() {
    return awaitingReplyFrom != null && super.readableNow();
  }

  /** Writable only when no reply is awaited and some peer has room. */
  @Override
  boolean writableNow() {
    return awaitingReplyFrom == null && super.writableNow();
  }

  @Override
  Message onReceive(Pipe source, Message message) {
    if (source != awaitingReplyFrom || message.size() < 2 || message.frame(0).length != 0) {
      return null;
    }
    awaitingReplyFrom = null;
    return message.dropFirst(1);
  }

  @Override
  void pipeRemoved(Pipe pipe) {
    super.pipeRemoved(pipe);
    // Like libzmq, a request to a peer that went away is never answered; we stay in turn so the user can time out.
  }
}
