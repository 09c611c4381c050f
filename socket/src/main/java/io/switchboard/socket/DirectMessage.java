package io.switchboard.socket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.IllegalReferenceCountException;
import io.switchboard.zmtp.ZmtpPeer;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole message whose frames are Netty buffers, received without copying: the zero-copy counterpart of {@link
 * Message}, from {@link Socket#receiveDirect()}.
 *
 * <p>On a socket made with {@link SocketOptions.Builder#zeroCopyReceive(boolean)}, a message that arrives over tcp or
 * ipc is handed over as the connection read it: each frame is a slice of the buffer the I/O thread read into (pooled
 * direct memory), or a composite of such slices when a large frame spanned reads. Nothing is copied into the heap, and
 * a large message costs no array of its size; only frames of up to 64 octets are copied into heap buffers of their
 * own, which costs less than a shared reference to the read buffer.
 *
 * <p><b>Ownership.</b> The message is reference-counted and starts with one reference, the receiver's. Release it
 * exactly once when done ({@link #close()}, so try-with-resources works, or {@link #release()}); until then it holds
 * the read buffers it slices, memory that the I/O thread cannot reuse. {@link #retain()} takes another reference (to
 * hand the message to another thread, say), to be released in turn. Its frames belong to the message: read them
 * (their reader index is yours to move), but do not release them, and do not use them after the message is released.
 * A message still queued when its socket closes is released by the socket. Netty's leak detector reports a message
 * that was never released (at its default level, for a sample of buffers).
 *
 * <pre>{@code
 * try (DirectMessage m = pull.receiveDirect()) {
 *   ByteBuf body = m.frame(0);
 *   channel.write(body.retainedSlice());   // passed on without a copy: the slice holds its own reference
 * }
 * }</pre>
 *
 * <p>A message that came another way (inproc, or a socket without the option) is also available as a {@code
 * DirectMessage}, over its arrays ({@link #wrap(Message)}): the API is the same, only the copy saved differs.
 */
public final class DirectMessage extends AbstractReferenceCounted implements AutoCloseable {
  /** The frame of a message of one, the usual case, kept without an array; else null. */
  private final ByteBuf single;
  /** The frames of a message of any other size; else null. */
  private final ByteBuf[] frames;
  /** The pipe it came from; set once before it is queued for its receiver, as {@link Message}'s. */
  Object source;
  /** The handshake of the connection it came from, as {@link Message#userId()} reads it; null from inproc. */
  ZmtpPeer peer;

  private DirectMessage(ByteBuf[] frames) {
    this.single = frames.length == 1 ? frames[0] : null;
    this.frames = frames.length == 1 ? null : frames;
  }

  private DirectMessage(ByteBuf single) {
    this.single = single;
    this.frames = null;
  }

  /**
   * A message of the given buffers, which it takes over: they are released when the message is. Their readable bytes
   * are the frames.
   */
  public static DirectMessage of(ByteBuf... frames) {
    for (ByteBuf frame : frames) {
      Objects.requireNonNull(frame, "frame");
    }
    return new DirectMessage(frames.clone());
  }

  /** A message over the frames of {@code message}, not copied (heap buffers wrapping its arrays). */
  public static DirectMessage wrap(Message message) {
    ByteBuf[] frames = new ByteBuf[message.size()];
    for (int i = 0; i < frames.length; i++) {
      frames[i] = Unpooled.wrappedBuffer(message.frame(i));
    }
    DirectMessage m = new DirectMessage(frames);
    m.peer = message.peer();
    return m;
  }

  /** A message over {@code frames}, taken as they are; for the socket internals. */
  static DirectMessage over(ByteBuf[] frames) {
    return new DirectMessage(frames);
  }

  /** A message of one frame, taken as it is; for the socket internals. */
  static DirectMessage over(ByteBuf frame) {
    return new DirectMessage(frame);
  }

  /** The number of frames. */
  public int size() {
    return single != null ? 1 : frames.length;
  }

  /**
   * Frame {@code index}, owned by the message: valid until the message is released, and not to be released itself.
   *
   * @throws IllegalReferenceCountException if the message was released
   */
  public ByteBuf frame(int index) {
    checkLive();
    if (single != null) {
      Objects.checkIndex(index, 1);
      return single;
    }
    return frames[index];
  }

  /** The readable octets of every frame together. */
  public long byteSize() {
    checkLive();
    long total = 0;
    for (int i = 0; i < size(); i++) {
      total += frame(i).readableBytes();
    }
    return total;
  }

  /** A copy of the frames' readable octets as a {@link Message}, which outlives this one; this one is not released. */
  public Message toMessage() {
    checkLive();
    byte[][] copies = new byte[size()][];
    for (int i = 0; i < copies.length; i++) {
      copies[i] = ByteBufUtil.getBytes(frame(i));
    }
    Message m = Message.of(copies);
    m.peer(peer);
    return m;
  }

  /** As {@link Message#userId()}: who the receiving socket's authenticator said sent it, if anyone. */
  public Optional<String> userId() {
    return Message.userId(peer);
  }

  /** As {@link Message#property(String)}: a property of the sender's handshake, if any. */
  public Optional<String> property(String name) {
    return Message.property(peer, name);
  }

  /**
   * Another message over the same memory, with a reference of its own and frames whose indices are its own (each a
   * {@link ByteBuf#retainedDuplicate()}): how one message goes to several receivers, each free to read and release
   * its own. This one keeps its reference.
   *
   * @throws IllegalReferenceCountException if the message was released
   */
  public DirectMessage retainedDuplicate() {
    checkLive();
    DirectMessage m;
    if (single != null) {
      m = new DirectMessage(single.retainedDuplicate());
    } else {
      ByteBuf[] duplicates = new ByteBuf[frames.length];
      for (int i = 0; i < duplicates.length; i++) {
        duplicates[i] = frames[i].retainedDuplicate();
      }
      m = new DirectMessage(duplicates);
    }
    m.peer = peer;
    return m;
  }

  @Override
  public DirectMessage retain() {
    super.retain();
    return this;
  }

  @Override
  public DirectMessage retain(int increment) {
    super.retain(increment);
    return this;
  }

  @Override
  public DirectMessage touch() {
    return touch(null);
  }

  @Override
  public DirectMessage touch(Object hint) {
    for (int i = 0; i < size(); i++) {
      frame(i).touch(hint);
    }
    return this;
  }

  /** Releases the frames. */
  @Override
  protected void deallocate() {
    if (single != null) {
      single.release();
      return;
    }
    for (ByteBuf frame : frames) {
      frame.release();
    }
  }

  /** Releases one reference: {@link #release()}, for try-with-resources. */
  @Override
  public void close() {
    release();
  }

  private void checkLive() {
    if (refCnt() == 0) {
      throw new IllegalReferenceCountException(0);
    }
  }

  @Override
  public String toString() {
    if (refCnt() == 0) {
      return "DirectMessage[released]";
    }
    StringBuilder b = new StringBuilder("DirectMessage[");
    for (int i = 0; i < size(); i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append(frame(i).readableBytes()).append(" B");
    }
    return b.append(']').toString();
  }
}
