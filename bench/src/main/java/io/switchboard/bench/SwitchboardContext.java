package io.switchboard.bench;

import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;
import io.switchboard.socket.security.CurveKeyPair;
import java.time.Duration;

/** {@link BenchContext} over Switchboard. */
final class SwitchboardContext implements BenchContext {
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
    Socket socket = context.socket(SocketType.valueOf(kind.name()), socketOptions);
    if (kind == SocketKind.SUB) {
      socket.subscribe(new byte[0]);
    }
    return new SwitchboardSocket(socket);
  }

  @Override
  public void close() {
    context.close();
  }

  private static final class SwitchboardSocket implements BenchSocket {
    private final Socket socket;
    private byte[] lastPayload;
    private Message lastMessage;

    SwitchboardSocket(Socket socket) {
      this.socket = socket;
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
