package io.switchboard.socket;

import io.switchboard.socket.internal.MessageAccess;
import io.switchboard.zmtp.ZmtpPeer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
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
      @Override public byte[][] frames(Message message) {
        return message.frames;
      }

      @Override public Message wrap(byte[][] frames) {
        return new Message(frames);
      }

      @Override public Object source(Message message) {
        return message.source;
      }

      @Override public void source(Message message, Object source, ZmtpPeer peer) {
        message.source = source;
        message.peer = peer;
      }
    });
  }

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

  private Message(byte[][] frames) {
    this.frames = frames;
  }

  private Message(byte[][] frames, ZmtpPeer peer) {
    this.frames = frames;
    this.peer = peer;
  }

  /** A message of the given frames, which it takes over without copying. */
  public static Message of(byte[]... frames) {
    for (byte[] frame : frames) {
      if (frame == null) {
        throw new NullPointerException("frame");
      }
    }
    return new Message(frames.length == 0 ? NO_FRAMES : frames);
  }

  /** A message of the given frames, each encoded as UTF-8. */
  public static Message of(String... frames) {
    byte[][] bytes = new byte[frames.length][];
    for (int i = 0; i < frames.length; i++) {
      bytes[i] = frames[i].getBytes(StandardCharsets.UTF_8);
    }
    return new Message(bytes);
  }

  /** A message of the given frames, which it takes over without copying. */
  public static Message of(List<byte[]> frames) {
    return of(frames.toArray(new byte[0][]));
  }

  /** The number of frames. */
  public int size() {
    return frames.length;
  }

  /** Whether the message has no frames. */
  public boolean isEmpty() {
    return frames.length == 0;
  }

  /** The frame at {@code index}; the caller must not change it. */
  public byte[] frame(int index) {
    return frames[index];
  }

  /** The frame at {@code index} decoded as UTF-8. */
  public String frameString(int index) {
    return new String(frames[index], StandardCharsets.UTF_8);
  }

  /** The first frame, decoded as UTF-8. */
  public String firstString() {
    return frameString(0);
  }

  /** The frames as an unmodifiable list. */
  public List<byte[]> frames() {
    return Collections.unmodifiableList(Arrays.asList(frames));
  }

  /** The total number of bytes in all frames. */
  public long byteSize() {
    long n = 0;
    for (byte[] frame : frames) {
      n += frame.length;
    }
    return n;
  }

  /** A message with {@code frame} in front of these frames; it keeps this one's {@link #userId()} and properties. */
  public Message prepend(byte[] frame) {
    byte[][] result = new byte[frames.length + 1][];
    result[0] = frame;
    System.arraycopy(frames, 0, result, 1, frames.length);
    return new Message(result, peer);
  }

  /** A message with the first {@code count} frames removed; it keeps this one's {@link #userId()} and properties. */
  public Message dropFirst(int count) {
    return new Message(Arrays.copyOfRange(frames, count, frames.length), peer);
  }

  /**
   * A message with the frames from {@code from} (inclusive) to {@code to} (exclusive); it keeps this one's {@link
   * #userId()} and properties.
   */
  public Message slice(int from, int to) {
    return new Message(Arrays.copyOfRange(frames, from, to), peer);
  }

  /** A message with these frames followed by {@code other}'s. */
  public Message append(Message other) {
    byte[][] result = Arrays.copyOf(frames, frames.length + other.frames.length);
    System.arraycopy(other.frames, 0, result, frames.length, other.frames.length);
    return new Message(result);
  }

  /** The frames as UTF-8 text joined by {@code separator}. */
  public String join(String separator) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < frames.length; i++) {
      if (i > 0) {
        sb.append(separator);
      }
      sb.append(new String(frames[i], StandardCharsets.UTF_8));
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
    ZmtpPeer p = peer;
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
    ZmtpPeer p = peer;
    if (p == null) {
      return Optional.empty();
    }
    if (name.equalsIgnoreCase("User-Id")) {
      return userId();
    }
    if (name.equalsIgnoreCase("Peer-Address")) {
      return p.address().isEmpty() ? Optional.empty() : Optional.of(p.address());
    }
    byte[] value = p.metadata().get(name);
    return value == null ? Optional.empty() : Optional.of(new String(value, StandardCharsets.UTF_8));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Message && Arrays.deepEquals(frames, ((Message) o).frames);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(frames);
  }

  @Override
  public String toString() {
    return "Message[" + join(" | ") + "]";
  }
}
