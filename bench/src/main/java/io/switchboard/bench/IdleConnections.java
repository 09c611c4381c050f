package io.switchboard.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.switchboard.bench.PeerSupport.PeerException;
import io.switchboard.zmtp.ZmtpCommand;
import io.switchboard.zmtp.ZmtpGreeting;
import io.switchboard.zmtp.ZmtpMetadata;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * The idle side of the connections sweep, the same for every library: opens {@code n} TCP connections to a bound
 * PULL socket, completes a ZMTP 3.1 NULL handshake on each as a PUSH peer (greeting and READY out; the server's
 * greeting and READY read back, so the server has taken ours), prints {@code CONNECTED n} and holds them, silent,
 * until stopped. Plain blocking sockets and no library: only the server's side of each connection costs anything
 * that the runner measures.
 *
 * <p>Arguments ({@code key=value}): {@code connect=tcp://host:port n maxSeconds}. Each connection takes one file
 * descriptor here and at least one in the server; the peer fails at once, saying so, when its limit is too low.
 *
 * <p>{@link IdleNatsClients} holds its plain connections the same way ({@link #hold}, {@link #checkDescriptors}).
 */
public final class IdleConnections {
  /** File descriptors kept free for everything else in this process. */
  static final int SPARE_DESCRIPTORS = 256;
  private static final int READ_TIMEOUT_MILLIS = 10_000;
  /** Connections handshaking at once. */
  private static final int WINDOW = 50;

  private IdleConnections() {}

  /** Runs the idle side; see the class comment for the arguments. */
  public static void main(String[] argv) {
    PeerSupport.main(argv, IdleConnections::run);
  }

  private static void run(PeerSupport peer) throws IOException, InterruptedException {
    int n = peer.intArg("n");
    if (n < 0) {
      throw new IllegalArgumentException("n: " + n + " (expected: >= 0)");
    }
    checkDescriptors(n, "idle connections", "leave the case out");
    byte[] handshake = handshake();
    ByteBuffer reply = ByteBuffer.allocate(ZmtpGreeting.LENGTH + 2);
    hold(peer.arg("connect"), "tcp", n, WINDOW, new Handshake() {
      @Override
      public byte[] hello(int index) {
        return handshake;
      }

      @Override
      public void awaitReply(SocketChannel channel, int index) throws IOException {
        readReady(channel, reply, index);
      }
    }, millis -> PeerSupport.emit("CONNECTED " + n));
  }

  /** How a plain connection says hello, and how it knows that the server has taken it. */
  interface Handshake {
    /** What connection {@code index} writes once connected, in one write. */
    byte[] hello(int index);

    /**
     * Reads the server's reply on connection {@code index}.
     *
     * @throws IOException if the connection ends, or stays silent for 10 s, first
     */
    void awaitReply(SocketChannel channel, int index) throws IOException;
  }

  /**
   * Opens {@code n} plain TCP connections to {@code connect}, a URI of {@code scheme}, with their handshakes, then
   * calls {@code connected} with the milliseconds that took (the peer's line for the runner), holds them, silent, until
   * the runner stops this peer, and closes them. Handshakes go in windows: connect and greet {@code window} peers, then
   * read their replies. The server works on a window at once, and its accept queue (a backlog of 100 in JeroMQ and
   * libzmq) never overflows.
   */
  static void hold(String connect, String scheme, int n, int window, Handshake handshake, LongConsumer connected)
      throws IOException, InterruptedException {
    URI uri = URI.create(connect);
    if (!scheme.equals(uri.getScheme())) {
      throw new IllegalArgumentException("connect: " + uri + " (expected: " + scheme + "://host:port)");
    }
    InetSocketAddress address = new InetSocketAddress(uri.getHost(), uri.getPort());
    List<SocketChannel> channels = new ArrayList<>(n);
    try {
      long began = System.nanoTime();
      for (int from = 0; from < n; from += window) {
        int to = Math.min(n, from + window);
        for (int i = from; i < to; i++) {
          SocketChannel channel = SocketChannel.open(address);
          channels.add(channel);
          channel.socket().setSoTimeout(READ_TIMEOUT_MILLIS);
          channel.write(ByteBuffer.wrap(handshake.hello(i)));
        }
        for (int i = from; i < to; i++) {
          handshake.awaitReply(channels.get(i), i);
        }
      }
      connected.accept((System.nanoTime() - began) / 1_000_000);
      PeerSupport.awaitStop();
    } finally {
      for (SocketChannel channel : channels) {
        channel.close();
      }
    }
  }

  /**
   * Fails at once when this process cannot hold {@code n} connections: {@code <n> <what> need <m> file descriptors,
   * the limit is <limit>: raise it (ulimit -n) or <remedy>}.
   */
  static void checkDescriptors(int n, String what, String remedy) {
    long limit = descriptorLimit();
    if (limit > 0 && n + SPARE_DESCRIPTORS > limit) {
      throw new PeerException(n + " " + what + " need " + (n + SPARE_DESCRIPTORS) + " file descriptors, the limit is "
          + limit + ": raise it (ulimit -n) or " + remedy);
    }
  }

  /** Our greeting followed by READY with Socket-Type PUSH: what a libzmq PUSH sends on a NULL connection. */
  private static byte[] handshake() {
    ByteBuf out = Unpooled.buffer();
    ZmtpGreeting.ours("NULL", false).encode(out);
    new ZmtpCommand.Ready(ZmtpMetadata.of(Map.of(ZmtpMetadata.SOCKET_TYPE,
        "PUSH".getBytes(StandardCharsets.US_ASCII)))).encode(out);
    byte[] bytes = new byte[out.readableBytes()];
    out.readBytes(bytes);
    return bytes;
  }

  /**
   * Reads the server's greeting and the header of its READY command, then the command itself (a short or long
   * frame), and throws if the connection ends or stays silent first.
   */
  private static void readReady(SocketChannel channel, ByteBuffer buffer, int index) throws IOException {
    buffer.clear().limit(ZmtpGreeting.LENGTH + 2);
    readFully(channel, buffer, index);
    int flags = buffer.get(ZmtpGreeting.LENGTH) & 0xFF;
    long size = buffer.get(ZmtpGreeting.LENGTH + 1) & 0xFF;
    if ((flags & 0x02) != 0) {
      // A long command: seven more octets of the 8-octet size.
      ByteBuffer rest = ByteBuffer.allocate(8);
      rest.limit(7);
      readFully(channel, rest, index);
      size = (size << 56) | (rest.limit(8).getLong(0) >>> 8);
    }
    ByteBuffer body = ByteBuffer.allocate((int) Math.min(size, 1 << 16));
    readFully(channel, body, index);
  }

  private static void readFully(SocketChannel channel, ByteBuffer buffer, int index) throws IOException {
    var in = channel.socket().getInputStream();
    while (buffer.hasRemaining()) {
      int n = in.read(buffer.array(), buffer.position(), buffer.remaining());
      if (n < 0) {
        throw new PeerException("the server closed idle connection " + (index + 1) + " during the handshake");
      }
      buffer.position(buffer.position() + n);
    }
  }

  /** This JVM's file descriptor limit (the JVM raises the soft limit to the hard one), or -1 if unknown. */
  static long descriptorLimit() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean) {
      return ((com.sun.management.UnixOperatingSystemMXBean) os).getMaxFileDescriptorCount();
    }
    return -1;
  }
}
