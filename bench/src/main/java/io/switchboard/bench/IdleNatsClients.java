package io.switchboard.bench;

import io.switchboard.bench.PeerSupport.PeerException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The idle clients of the bus benchmark's {@code idle clients} case, on NATS's side: {@code n} TCP connections to a
 * nats-server, each speaking the NATS client protocol by hand, with no client library: it reads the server's {@code
 * INFO}, sends {@code CONNECT} (named {@code idle-00001}, …), {@code SUB} on the events subject (as a bus client's
 * {@code JOIN}) and {@code PING}, and waits for the {@code PONG} that says the server has taken both. Then the peer
 * prints {@code CONNECTED n millis=…} and holds the connections, silent, until stopped.
 *
 * <p>No library, so that only the server's side of each connection is what the runner measures, the same whichever
 * client library connected: nats.go and jnats send the same few commands. The server pings a silent client only after
 * 2 minutes ({@code ping_interval}), long after the runner has read its memory, so these clients never answer.
 *
 * <p>Arguments ({@code key=value}): {@code connect=nats://host:port subject n maxSeconds}. Each connection takes one
 * file descriptor here and one in the server; the peer fails at once, saying so, when its own limit is too low.
 */
public final class IdleNatsClients {
  /** Connections handshaking at once. */
  private static final int WINDOW = 100;
  private static final String PONG = "\nPONG\r\n";

  private IdleNatsClients() {}

  /** Runs the idle clients; see the class comment for the arguments. */
  public static void main(String[] argv) {
    PeerSupport.main(argv, IdleNatsClients::run);
  }

  private static void run(PeerSupport peer) throws IOException, InterruptedException {
    int n = peer.intArg("n");
    if (n < 1) {
      throw new IllegalArgumentException("n: " + n + " (expected: >= 1)");
    }
    IdleConnections.checkDescriptors(n, "idle clients", "use fewer (--idle-clients)");
    String subject = peer.arg("subject");
    byte[] buffer = new byte[8192];
    // As IdleConnections holds its connections: connect and send a window's commands, then read their replies.
    IdleConnections.hold(peer.arg("connect"), "nats", n, WINDOW, new IdleConnections.Handshake() {
      @Override
      public byte[] hello(int index) {
        return commands(index, subject);
      }

      @Override
      public void awaitReply(SocketChannel channel, int index) throws IOException {
        awaitPong(channel, buffer, index);
      }
    }, millis -> PeerSupport.emit("CONNECTED " + n + " millis=" + millis));
  }

  /**
   * What a client sends once connected, in one write: the server reads it after its {@code INFO}. The {@code CONNECT}
   * options are those nats.go and jnats send by default that change what the server keeps (headers, no-responders,
   * echo).
   */
  static byte[] commands(int index, String subject) {
    String name = String.format(Locale.ROOT, "idle-%05d", index + 1);
    return ("CONNECT {\"verbose\":false,\"pedantic\":false,\"tls_required\":false,\"name\":\"" + name + "\","
        + "\"lang\":\"java\",\"version\":\"bench\",\"protocol\":1,\"echo\":true,\"headers\":true,"
        + "\"no_responders\":true}\r\n"
        + "SUB " + subject + " " + (index + 1) + "\r\n"
        + "PING\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Reads the server's {@code INFO} line and then its {@code PONG}, and throws if the server sends {@code -ERR}, ends
   * the connection or stays silent first.
   */
  private static void awaitPong(SocketChannel channel, byte[] buffer, int index) throws IOException {
    InputStream in = channel.socket().getInputStream();
    StringBuilder received = new StringBuilder();
    while (received.indexOf(PONG) < 0) {
      int count = in.read(buffer);
      if (count < 0) {
        throw new PeerException("nats-server closed idle connection " + (index + 1) + " before its PONG: "
            + received.toString().strip());
      }
      received.append(new String(buffer, 0, count, StandardCharsets.US_ASCII));
      int error = received.indexOf("-ERR");
      if (error >= 0) {
        throw new PeerException("idle connection " + (index + 1) + ": nats-server said "
            + received.substring(error).strip());
      }
    }
  }
}
