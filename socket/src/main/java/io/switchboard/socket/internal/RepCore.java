package io.switchboard.socket.internal;

import io.switchboard.socket.Message;
import io.switchboard.socket.RoutingException;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;

/**
 * REP: receive a request, then send its reply, strictly in turn. The envelope (every frame up to and including the
 * first empty one) is kept from the request and put back in front of the reply, which goes to the pipe the request
 * came from. Requests without a delimiter are dropped.
 */
final class RepCore extends SocketCore {
  private Pipe replyTo;
  private Message envelope;

  RepCore(ContextCore context, SocketOptions options) {
    super(context, SocketType.REP, options);
  }

  @Override
  public Message receive(long timeoutNanos) {
    lock.lock();
    try {
      if (replyTo != null) {
        throw new RoutingException("REP: receive while a reply is owed (send the reply first)");
      }
    } finally {
      lock.unlock();
    }
    return super.receive(timeoutNanos);
  }

  /** Readable only when no reply is owed. */
  @Override
  boolean readableNow() {
    return !replyOwed() && super.readableNow();
  }

  /** Writable exactly when a reply is owed (it is dropped if the requester has no room, so it never blocks). */
  @Override
  boolean writableNow() {
    return replyOwed();
  }

  private boolean replyOwed() {
    lock.lock();
    try {
      return replyTo != null;
    } finally {
      lock.unlock();
    }
  }

  @Override
  Message onReceive(Pipe source, Message message) {
    for (int i = 0; i < message.size(); i++) {
      if (message.frame(i).length == 0) {
        lock.lock();
        try {
          replyTo = source;
          envelope = message.slice(0, i + 1);
        } finally {
          lock.unlock();
        }
        return message.dropFirst(i + 1);
      }
    }
    return null;
  }

  @Override
  boolean doSend(Message message, long timeoutNanos) {
    Pipe pipe;
    Message reply;
    lock.lock();
    try {
      if (replyTo == null) {
        throw new RoutingException("REP: send without a request (receive a request first)");
      }
      pipe = replyTo;
      reply = envelope.append(message);
      replyTo = null;
      envelope = null;
    } finally {
      lock.unlock();
    }
    // The requester may be gone or full: like libzmq, the reply is then dropped and REP is ready for the next.
    if (!pipe.offer(reply)) {
      counters.dropped(1);
    }
    return true;
  }
}
