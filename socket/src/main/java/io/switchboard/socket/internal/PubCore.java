package io.switchboard.socket.internal;

import io.netty.buffer.ByteBuf;
import io.switchboard.socket.DirectMessage;
import io.switchboard.socket.Message;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;

/**
 * PUB and XPUB: a message goes to every pipe whose peer subscribed to a prefix of its first frame, and is dropped for
 * pipes at their high-water mark; sending never blocks. Peers subscribe with SUBSCRIBE/CANCEL commands (ZMTP 3.1) or
 * {@code 0x01}/{@code 0x00} messages (ZMTP 3.0); both are accepted. XPUB also hands subscriptions to its user: the
 * first for each prefix and the last cancel, or every one when verbose.
 */
final class PubCore extends SocketCore {
  /** Every peer's subscriptions, counted across pipes, for XPUB's notifications. */
  private final Subscriptions all = new Subscriptions();
  private final boolean xpub;

  PubCore(ContextCore context, SocketType type, SocketOptions options) {
    super(context, type, options);
    this.xpub = type == SocketType.XPUB;
  }

  @Override
  boolean doSend(Message message, long timeoutNanos) {
    byte[] topic = message.frame(0);
    for (Pipe pipe : pipes) {
      if (pipe.peerSubscriptions.matches(topic) && !pipe.offer(message)) {
        counters.dropped(1);
      }
    }
    return true;
  }

  /**
   * As {@link #doSend}: each pipe that takes the message owns a reference, and the caller's is released. The
   * references are counted in one step, before the first pipe can write the message and release its own: a count
   * changed per pipe moved its cache line between the sender and the I/O thread for every subscriber (JFR: 78% of a
   * publisher's samples at 1:8 were in {@code retain}).
   */
  @Override
  boolean doSendDirect(DirectMessage message, long timeoutNanos) {
    int matching = 0;
    int room = 0;
    int given = 0;
    try {
      ByteBuf topic = message.frame(0);
      Pipe[] all = pipes;
      for (Pipe pipe : all) {
        if (pipe.peerSubscriptions.matches(topic)) {
          matching++;
          if (pipe.hasRoom()) {
            room++;
          }
        }
      }
      // The sender's own reference goes to the first taker; one more for each of the others.
      if (room > 1) {
        message.retain(room - 1);
      }
      for (Pipe pipe : all) {
        if (given == room) {
          break; // every reference is given: the message may be gone already, topic and all
        }
        if (pipe.peerSubscriptions.matches(topic) && pipe.offer(message)) {
          given++;
        }
      }
    } finally {
      // References counted for pipes that filled up since, or the sender's own if no pipe took the message.
      int unused = Math.max(room, 1) - given;
      if (unused > 0) {
        message.release(unused);
      }
    }
    if (matching > given) {
      counters.dropped(matching - given);
    }
    return true;
  }

  /** Never blocks: a subscriber without room loses the message. */
  @Override
  boolean writableNow() {
    return true;
  }

  /**
   * A subscriber's SUBSCRIBE or CANCEL command is taken as the ZMTP 3.0 message of the same meaning ({@code 0x01} or
   * {@code 0x00}, then the topic), so that both forms go through {@link #accept}, and to an XPUB user alike.
   */
  @Override
  Message subscriptionCommand(byte[] topic, boolean subscribe) {
    byte[] body = new byte[topic.length + 1];
    body[0] = (byte) (subscribe ? 1 : 0);
    System.arraycopy(topic, 0, body, 1, topic.length);
    return Message.of(body);
  }

  @Override
  Message accept(Pipe pipe, Message message) {
    if (message.size() == 1) {
      byte[] body = message.frame(0);
      if (body.length > 0 && (body[0] == 0 || body[0] == 1)) {
        byte[] topic = new byte[body.length - 1];
        System.arraycopy(body, 1, topic, 0, topic.length);
        return subscription(pipe, topic, body[0] == 1, message);
      }
    }
    // RFC 29: other messages from subscribers are ignored by PUB; XPUB hands them to its user.
    return xpub ? message : null;
  }

  /**
   * Applies a subscription change; returns the notice for an XPUB user, or null. {@code all} counts each prefix once
   * per pipe that holds it, so a notice goes up for the first pipe to subscribe and the last to cancel.
   */
  private Message subscription(Pipe pipe, byte[] topic, boolean subscribe, Message notice) {
    boolean pipeChanged = subscribe ? pipe.peerSubscriptions.add(topic) : pipe.peerSubscriptions.remove(topic);
    boolean allChanged = pipeChanged && (subscribe ? all.add(topic) : all.remove(topic));
    return xpub && (allChanged || options().xpubVerbose()) ? notice : null;
  }

  @Override
  void pipeDetached(Pipe pipe) {
    for (byte[] topic : pipe.peerSubscriptions.clear()) {
      if (all.remove(topic) && xpub) {
        byte[] body = new byte[topic.length + 1];
        System.arraycopy(topic, 0, body, 1, topic.length);
        enqueue(null, Message.of(body));
        signalReadable();
      }
    }
    super.pipeDetached(pipe);
  }
}
