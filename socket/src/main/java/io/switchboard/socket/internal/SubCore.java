package io.switchboard.socket.internal;

import io.switchboard.socket.DirectMessage;
import io.switchboard.socket.Message;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;

/**
 * SUB and XSUB: subscriptions go to every publisher (again on every new connection) and are applied here as well,
 * so SUB only ever shows matching messages. An XSUB's user sends subscriptions as {@code 0x01}/{@code 0x00}
 * messages and receives everything; its other messages go to every publisher.
 */
final class SubCore extends SocketCore {
  private final Subscriptions subscriptions = new Subscriptions();
  private final boolean xsub;

  SubCore(ContextCore context, SocketType type, SocketOptions options) {
    super(context, type, options);
    this.xsub = type == SocketType.XSUB;
  }

  @Override
  public void subscribe(byte[] prefix, boolean subscribe) {
    if (xsub) {
      super.subscribe(prefix, subscribe);
    }
    checkOpen();
    change(prefix.clone(), subscribe);
  }

  private void change(byte[] prefix, boolean subscribe) {
    lock.lock();
    try {
      boolean changed = subscribe ? subscriptions.add(prefix) : subscriptions.remove(prefix);
      if (changed) {
        for (Pipe pipe : pipes) {
          pipe.sendSubscription(prefix, subscribe);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  void pipeAdded(Pipe pipe) {
    lock.lock();
    try {
      super.pipeAdded(pipe);
      for (byte[] prefix : subscriptions.prefixes()) {
        pipe.sendSubscription(prefix, true);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  void pipeAttached(Pipe pipe, byte[] peerIdentity) {
    if (pipe instanceof NetPipe) {
      // A new connection: the peer knows nothing yet, so send the whole set, and nothing older.
      lock.lock();
      try {
        pipe.clearSubscriptions();
        for (byte[] prefix : subscriptions.prefixes()) {
          pipe.sendSubscription(prefix, true);
        }
      } finally {
        lock.unlock();
      }
    }
    super.pipeAttached(pipe, peerIdentity);
  }

  /** XSUB's sends (to every publisher, or a subscription) never block. */
  @Override
  boolean writableNow() {
    return true;
  }

  @Override
  Message accept(Pipe pipe, Message message) {
    return xsub || subscriptions.matches(message.frame(0)) ? message : null;
  }

  @Override
  boolean acceptsDirect(Pipe pipe, DirectMessage message) {
    return xsub || subscriptions.matches(message.frame(0));
  }

  @Override
  boolean doSend(Message message, long timeoutNanos) {
    byte[] body = message.frame(0);
    if (message.size() == 1 && body.length > 0 && (body[0] == 0 || body[0] == 1)) {
      byte[] topic = new byte[body.length - 1];
      System.arraycopy(body, 1, topic, 0, topic.length);
      change(topic, body[0] == 1);
      return true;
    }
    for (Pipe pipe : pipes) {
      pipe.offer(message);
    }
    return true;
  }
}
