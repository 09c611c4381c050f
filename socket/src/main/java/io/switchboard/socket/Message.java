package io.switchboard.socket;

import io.netty.buffer.ByteBuf;
import io.switchboard.socket.internal.MessageAccess;
import io.switchboard.zmtp.ZmtpPeer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole message: one or more frames of bytes, delivered all together or not at all.
 *
 * <p>Messages are immutable once built; the frame arrays are handed over, not copied, so a caller must not change
 * an array after passing it in, nor change one it reads out. One message may be sent to many peers (PUB fans the
 * same instance out) and read from many threads.
 *
 * <p>A message received over tcp or ipc also tells who sent it: {@link #userId()}, the identity the receiving
 * socket's authenticator gave the sender (PLAIN user name, CURVE client key), and {@link #property(String)}, what the
 * sender announced in its handshake. Both read one object shared by every message of the connection.
 */
public final class Message {
  private static final byte[][] NO_FRAMES = new byte[0][];

  static {
    MessageAccess.install(new MessageAccess.Accessor() {
      @Override public Message wrap(byte[] frame) {
        return new Message(frame);
      }

      @Override public Message wrap(byte[] first, byte[] second) {
        return new Message(first, second);
      }

      @Override public Message wrap(byte[][] frames) {
        return new Message(frames, null);
      }

      @Override public Message copy(Message message, int from, byte[] prefix) {
        if (from == 0 && prefix == null) {
          return message.frames != null ? new Message(message.frames, null)
              : message.second != null ? new Message(message.first, message.second) : new Message(message.first);
        }
        int at = prefix == null ? 0 : 1;
        int count = message.size() - from;
        if (at + count == 1) {
          return new Message(prefix != null ? prefix : message.frame(from));
        }
        if (at + count == 2) {
          return prefix != null ? new Message(prefix, message.frame(from))
              : new Message(message.frame(from), message.frame(from + 1));
        }
        byte[][] result = new byte[at + count][];
        if (prefix != null) {
          result[0] = prefix;
        }
        message.copyTo(from, result, at, count);
        return new Message(result, null);
      }

      @Override public Object source(Message message) {
        return message.source;
      }

      @Override public void source(Message message, Object source, ZmtpPeer peer) {
        message.source = source;
        message.peer = peer;
      }

      @Override public DirectMessage direct(ByteBuf[] frames) {
        return DirectMessage.over(frames);
      }

      @Override public DirectMessage direct(ByteBuf frame) {
        return DirectMessage.over(frame);
      }

      @Override public Object source(DirectMessage message) {
        return message.source;
      }

      @Override public void source(DirectMessage message, Object source, ZmtpPeer peer) {
        message.source = source;
        message.peer = peer;
      }
    });
  }

  // A message of one or two frames, the usual case (a body; a routing id and a body), keeps them in fields of its
  // own, so that receiving one allocates the payload and this object only, never a frame array. Longer messages
  // keep an array. The fields are final, so a message is safe to share between threads however it is published.
  /** Frame 0 when {@link #frames} is null, else null. */
  private final byte[] first;
  /** Frame 1 when {@link #frames} is null and there are two frames, else null (so that no count is kept). */
  private final byte[] second;
  /** Every frame when there are more than two (or none), else null. */
  private final byte[][] frames;
  /** The connection a received message came from; set once before the message is queued for its receiver. */
  private Object source;
  /**
   * What the handshake of the connection a received message came from learned about the sender; one instance per
   * connection, shared by reference (nothing allocated per message). Null for a message built here or from inproc.
   * Set with {@link #source}; kept by {@link #prepend}, {@link #dropFirst} and {@link #slice}, so that what REQ, REP
   * and ROUTER hand their user still tells who sent it.
   */
  private ZmtpPeer peer;

  private Message(byte[] frame) {
    this.first = frame;
    this.second = null;
    this.frames = null;
  }

  private Message(byte[] first, byte[] second) {
    this.first = first;
    this.second = second;
    this.frames = null;
  }

  /** A message over {@code frames}, not copied, unless it has one or two frames, which it keeps in its fields. */
  private Message(byte[][] frames, ZmtpPeer peer) {
    if (frames.length == 1 || frames.length == 2) {
      this.first = frames[0];
      this.second = frames.length == 2 ? frames[1] : null;
      this.frames = null;
    } else {
      this.first = null;
      this.second = null;
      this.frames = frames;
    }
    this.peer = peer;
  }

  /** A message of the given frames, which it takes over without copying. */
  public static Message of(byte[]... frames) {
    for (byte[] frame : frames) {
      if (frame == null) {
        throw new NullPointerException("frame");
      }
    }
    return new Message(frames.length == 0 ? NO_FRAMES : frames, null);
  }

  /** A message of the given frames, each encoded as UTF-8. */
  public static Message of(String... frames) {
    byte[][] bytes = new byte[frames.length][];
    for (int i = 0; i < frames.length; i++) {
      bytes[i] = frames[i].getBytes(StandardCharsets.UTF_8);
    }
    return new Message(bytes, null);
  }

  /** A message of the given frames, which it takes over without copying. */
  public static Message of(List<byte[]> frames) {
    return of(frames.toArray(new byte[0][]));
  }

  /** The number of frames. */
  public int size() {
    return frames != null ? frames.length : second != null ? 2 : 1;
  }

  /** Whether the message has no frames. */
  public boolean isEmpty() {
    return frames != null && frames.length == 0;
  }

  /**
   * The frame at {@code index}; the caller must not change it.
   *
   * @throws IndexOutOfBoundsException if {@code index} is negative or not less than {@link #size()}
   */
  public byte[] frame(int index) {
    if (frames != null) {
      return frames[index];
    }
    Objects.checkIndex(index, size());
    return index == 0 ? first : second;
  }

  /** The frame at {@code index} decoded as UTF-8. */
  public String frameString(int index) {
    return new String(frame(index), StandardCharsets.UTF_8);
  }

  /** The first frame, decoded as UTF-8. */
  public String firstString() {
    return frameString(0);
  }

  /** The frames as an unmodifiable list. */
  public List<byte[]> frames() {
    return Collections.unmodifiableList(Arrays.asList(toArray()));
  }

  /** The total number of bytes in all frames. */
  public long byteSize() {
    long n = 0;
    for (int i = 0, size = size(); i < size; i++) {
      n += frame(i).length;
    }
    return n;
  }

  /** A message with {@code frame} in front of these frames; it keeps this one's {@link #userId()} and properties. */
  public Message prepend(byte[] frame) {
    int size = size();
    if (size == 1) {
      Message m = new Message(frame, first);
      m.peer = peer;
      return m;
    }
    byte[][] result = new byte[size + 1][];
    result[0] = frame;
    copyTo(0, result, 1, size);
    return new Message(result, peer);
  }

  /** A message with the first {@code count} frames removed; it keeps this one's {@link #userId()} and properties. */
  public Message dropFirst(int count) {
    return slice(count, size());
  }

  /**
   * A message with the frames from {@code from} (inclusive) to {@code to} (exclusive); it keeps this one's {@link
   * #userId()} and properties.
   */
  public Message slice(int from, int to) {
    Objects.checkFromToIndex(from, to, size());
    Message m;
    if (to - from == 1) {
      m = new Message(frame(from));
    } else if (to - from == 2) {
      m = new Message(frame(from), frame(from + 1));
    } else {
      byte[][] result = new byte[to - from][];
      copyTo(from, result, 0, to - from);
      return new Message(result, peer);
    }
    m.peer = peer;
    return m;
  }

  /** A message with these frames followed by {@code other}'s. */
  public Message append(Message other) {
    int size = size();
    byte[][] result = new byte[size + other.size()][];
    copyTo(0, result, 0, size);
    other.copyTo(0, result, size, other.size());
    return new Message(result, null);
  }

  /** Copies {@code count} frames from {@code from} into {@code to} at {@code at}. */
  private void copyTo(int from, byte[][] to, int at, int count) {
    if (frames != null) {
      System.arraycopy(frames, from, to, at, count);
    } else {
      for (int i = 0; i < count; i++) {
        to[at + i] = frame(from + i);
      }
    }
  }

  /** The frames as an array: a new one, or, for a message of more than two frames, its own (not to be changed). */
  private byte[][] toArray() {
    if (frames != null) {
      return frames;
    }
    byte[][] result = new byte[size()][];
    copyTo(0, result, 0, result.length);
    return result;
  }

  /** The frames as UTF-8 text joined by {@code separator}. */
  public String join(String separator) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0, size = size(); i < size; i++) {
      if (i > 0) {
        sb.append(separator);
      }
      sb.append(new String(frame(i), StandardCharsets.UTF_8));
    }
    return sb.toString();
  }

  /**
   * The User-Id that the receiving socket's authenticator gave the sender, as libzmq's {@code zmq_msg_gets(msg,
   * "User-Id")}: the PLAIN user name, or the CURVE client's public key in Z85 (40 characters).
   *
   * <p>Empty unless this message was received over tcp or ipc from a peer that an {@link
   * io.switchboard.socket.security.Authenticator} admitted: a PLAIN or CURVE server's view of its clients (a client
   * does not authenticate its server), or a NULL socket with an authenticator (whose User-Id is empty). Messages
   * built locally and inproc messages have none. Equality ignores it.
   */
  public Optional<String> userId() {
    return userId(peer);
  }

  static Optional<String> userId(ZmtpPeer p) {
    return p == null || p.userId().isEmpty() ? Optional.empty() : Optional.of(p.userId());
  }

  /**
   * A property the sender announced in its handshake (the metadata of its READY, or of its CURVE INITIATE), decoded
   * as UTF-8, as libzmq's {@code zmq_msg_gets}: {@code "Socket-Type"}, {@code "Identity"}, or any other the peer
   * sent. Names are compared without case; {@code "User-Id"} gives {@link #userId()}, and {@code "Peer-Address"} the
   * sender's address as libzmq gives it ({@code host:port} over tcp; empty over ipc).
   *
   * <p>Empty if the property is absent or this message was not received over tcp or ipc.
   */
  public Optional<String> property(String name) {
    return property(peer, name);
  }

  static Optional<String> property(ZmtpPeer p, String name) {
    if (p == null) {
      return Optional.empty();
    }
    if (name.equalsIgnoreCase("User-Id")) {
      return userId(p);
    }
    if (name.equalsIgnoreCase("Peer-Address")) {
      return p.address().isEmpty() ? Optional.empty() : Optional.of(p.address());
    }
    byte[] value = p.metadata().get(name);
    return value == null ? Optional.empty() : Optional.of(new String(value, StandardCharsets.UTF_8));
  }

  /** What the handshake of the connection it came from learned about the sender; null if built here or inproc. */
  ZmtpPeer peer() {
    return peer;
  }

  void peer(ZmtpPeer peer) {
    this.peer = peer;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Message)) {
      return false;
    }
    Message other = (Message) o;
    int size = size();
    if (other.size() != size) {
      return false;
    }
    for (int i = 0; i < size; i++) {
      if (!Arrays.equals(frame(i), other.frame(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = 1;
    for (int i = 0, size = size(); i < size; i++) {
      h = 31 * h + Arrays.hashCode(frame(i));
    }
    return h;
  }

  @Override
  public String toString() {
    return "Message[" + join(" | ") + "]";
  }
}
