package io.switchboard.socket.internal;

import io.switchboard.socket.Message;
import io.switchboard.zmtp.ZmtpPeer;

/**
 * Gives the socket internals access to a {@link Message}'s frame array and source connection without copying and
 * without widening the public API. {@link Message} installs the accessor when its class initialises.
 */
public final class MessageAccess {
  /** What the internals may do with a message. */
  public interface Accessor {
    /** The frame array itself, not a copy. */
    byte[][] frames(Message message);

    /** A message over the given array, not copied. */
    Message wrap(byte[][] frames);

    /** The pipe a received message came from. */
    Object source(Message message);

    /**
     * Sets the pipe a received message came from and what that pipe's current connection learned about the peer in
     * its handshake (null for inproc), for {@link Message#userId()} and {@link Message#property(String)}.
     */
    void source(Message message, Object source, ZmtpPeer peer);
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

  static byte[][] frames(Message message) {
    return get().frames(message);
  }

  static Message wrap(byte[][] frames) {
    return get().wrap(frames);
  }

  static Pipe source(Message message) {
    return (Pipe) get().source(message);
  }

  static Message withSource(Message message, Pipe source) {
    // The peer is the pipe's per-connection ZmtpPeer, shared by reference: nothing is allocated per message.
    get().source(message, source, source == null ? null : source.peer());
    return message;
  }
}
