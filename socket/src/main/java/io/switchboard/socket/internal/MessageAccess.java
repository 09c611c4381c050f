package io.switchboard.socket.internal;

import io.netty.buffer.ByteBuf;
import io.switchboard.socket.DirectMessage;
import io.switchboard.socket.Message;
import io.switchboard.zmtp.ZmtpPeer;

/**
 * Gives the socket internals ways to build a {@link Message} without copying and to set its source connection,
 * without widening the public API. {@link Message} installs the accessor when its class initialises.
 */
public final class MessageAccess {
  /** What the internals may do with a message. */
  public interface Accessor {
    /** A message of one frame, with no frame array. */
    Message wrap(byte[] frame);

    /** A message of two frames, with no frame array. */
    Message wrap(byte[] first, byte[] second);

    /** A message over the given array, not copied. */
    Message wrap(byte[][] frames);

    /**
     * A new message of the frames of {@code message} from {@code from} on (shared, not copied), with {@code prefix}
     * in front unless it is null, and no source; for handing a message to an inproc peer.
     */
    Message copy(Message message, int from, byte[] prefix);

    /** The pipe a received message came from. */
    Object source(Message message);

    /**
     * Sets the pipe a received message came from and what that pipe's current connection learned about the peer in
     * its handshake (null for inproc), for {@link Message#userId()} and {@link Message#property(String)}.
     */
    void source(Message message, Object source, ZmtpPeer peer);

    /** A direct message over {@code frames}, taken over as they are. */
    DirectMessage direct(ByteBuf[] frames);

    /** A direct message of one frame, taken over as it is, with no frame array. */
    DirectMessage direct(ByteBuf frame);

    /** The pipe a received direct message came from. */
    Object source(DirectMessage message);

    /** As {@link #source(Message, Object, ZmtpPeer)}, for a direct message. */
    void source(DirectMessage message, Object source, ZmtpPeer peer);
  }

  private static volatile Accessor accessor;

  private MessageAccess() {}

  /** Called once by {@link Message}'s static initialiser. */
  public static void install(Accessor installed) {
    if (accessor == null) {
      accessor = installed;
    }
  }

  static Accessor get() {
    Accessor a = accessor;
    if (a == null) {
      Message.of(new byte[0][]);
      a = accessor;
    }
    return a;
  }

  static Message wrap(byte[] frame) {
    return get().wrap(frame);
  }

  static Message wrap(byte[] first, byte[] second) {
    return get().wrap(first, second);
  }

  static Message wrap(byte[][] frames) {
    return get().wrap(frames);
  }

  static Message copy(Message message, int from, byte[] prefix) {
    return get().copy(message, from, prefix);
  }

  static Pipe source(Message message) {
    return (Pipe) get().source(message);
  }

  static Message withSource(Message message, Pipe source) {
    // The peer is the pipe's per-connection ZmtpPeer, shared by reference: nothing is allocated per message.
    get().source(message, source, source == null ? null : source.peer());
    return message;
  }

  static DirectMessage direct(ByteBuf[] frames) {
    return get().direct(frames);
  }

  static DirectMessage direct(ByteBuf frame) {
    return get().direct(frame);
  }

  /** The pipe a queued message, simple or direct, came from. */
  static Pipe sourceOf(Object queued) {
    return (Pipe) (queued instanceof DirectMessage d ? get().source(d) : get().source((Message) queued));
  }

  static DirectMessage withSource(DirectMessage message, Pipe source) {
    get().source(message, source, source == null ? null : source.peer());
    return message;
  }
}
