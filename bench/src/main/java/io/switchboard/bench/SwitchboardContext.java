package io.switchboard.bench;

import io.switchboard.socket.Context;
import io.switchboard.socket.DirectMessage;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;
import io.switchboard.socket.security.CurveKeyPair;
import java.time.Duration;

/**
 * {@link BenchContext} over Switchboard. The throughput receivers (PULL, SUB) take messages without a copy ({@link
 * SocketOptions.Builder#zeroCopyReceive}, {@link Socket#receiveDirect}), as libzmq's peer does with {@code
 * zmq_msg_recv}: they only look at the first frame's length. {@code -Dbench.zeroCopy=false} (a {@code --jvm-opt})
 * makes them copy every frame into an array instead, as {@link Socket#receive} does.
 */
final class SwitchboardContext implements BenchContext {
  private static final boolean ZERO_COPY = Boolean.parseBoolean(System.getProperty("bench.zeroCopy", "true"));
  private final Context context = new Context(1);
  private final SocketOptions options;

  SwitchboardContext(int highWaterMark, boolean spin) {
    // Linger stays at its default, 1 s, which JeromqContext matches.
    this.options = SocketOptions.builder().highWaterMark(highWaterMark).spinReceive(spin).build();
  }

  @Override
  public BenchSocket socket(SocketKind kind) {
    return socket(kind, options);
  }

  @Override
  public BenchSocket curveSocket(SocketKind kind, byte[] secretKey, byte[] serverPublicKey) {
    CurveKeyPair keys = CurveKeyPair.fromSecretKey(secretKey);
    return socket(kind, serverPublicKey == null ? options.toBuilder().curveServer(keys).build()
        : options.toBuilder().curveClient(keys, serverPublicKey).build());
  }

  private BenchSocket socket(SocketKind kind, SocketOptions socketOptions) {
    if (kind == SocketKind.PUB) {
      // BenchContext: a publisher closes at once, whatever it still queues.
      socketOptions = socketOptions.toBuilder().linger(Duration.ZERO).build();
    }
    boolean zeroCopy = ZERO_COPY && (kind == SocketKind.PULL || kind == SocketKind.SUB);
    Socket socket = context.socket(SocketType.valueOf(kind.name()),
        socketOptions.toBuilder().zeroCopyReceive(zeroCopy).build());
    if (kind == SocketKind.SUB) {
      socket.subscribe(new byte[0]);
    }
    return new SwitchboardSocket(socket, zeroCopy);
  }

  @Override
  public void close() {
    context.close();
  }

  private static final class SwitchboardSocket implements BenchSocket {
    private final Socket socket;
    private final boolean zeroCopy;
    private byte[] lastPayload;
    private Message lastMessage;

    SwitchboardSocket(Socket socket, boolean zeroCopy) {
      this.socket = socket;
      this.zeroCopy = zeroCopy;
    }

    @Override
    public String bind(String endpoint) {
      return socket.bind(endpoint);
    }

    @Override
    public void connect(String endpoint) {
      socket.connect(endpoint);
    }

    @Override
    public void send(byte[] payload) {
      // Messages are immutable, so the peers send one instance over and over, as PUB fan-out does; JeroMQ wraps the
      // array in a Msg of its own inside send().
      if (payload != lastPayload) {
        lastMessage = Message.of(payload);
        lastPayload = payload;
      }
      socket.send(lastMessage);
    }

    @Override
    public int receive(Duration timeout) {
      if (zeroCopy) {
        try (DirectMessage message = socket.receiveDirect(timeout)) {
          return message == null ? -1 : message.size() == 0 ? 0 : message.frame(0).readableBytes();
        }
      }
      Message message = socket.receive(timeout);
      if (message == null) {
        return -1;
      }
      return message.isEmpty() ? 0 : message.frame(0).length;
    }

    @Override
    public int echo(Duration timeout) {
      Message message = socket.receive(timeout);
      if (message == null) {
        return -1;
      }
      socket.send(message);
      return message.frame(message.size() - 1).length;
    }

    @Override
    public void close() {
      socket.close();
    }
  }
}
