package io.switchboard.bench;

import io.netty.buffer.Unpooled;
import io.switchboard.socket.Context;
import io.switchboard.socket.DirectMessage;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;
import io.switchboard.socket.security.CurveKeyPair;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * {@link BenchContext} over Switchboard. The throughput receivers (PULL, SUB) take messages without a copy ({@link
 * SocketOptions.Builder#zeroCopyReceive}, {@link Socket#receiveDirect}), as libzmq's peer does with {@code
 * zmq_msg_recv}: they only look at the first frame's length. The senders (PUSH, PUB) send one constant direct buffer
 * over and over, each send a new {@link DirectMessage} over that memory with a reference count of its own ({@link
 * Socket#send(DirectMessage)}), as libzmq's peer makes a new message of one constant buffer with {@code
 * zmq_msg_init_data} for each send. (One message retained for every send made all sends and all the I/O thread's
 * releases count on one cache line, which libzmq's peer does not.) Over inproc both use the simple API, which passes a {@link Message}
 * by reference already (its arrays are shared, as libzmq's inproc passes a pointer): a direct message there would only
 * add a reference count that both threads touch per message. {@code -Dbench.zeroCopy=false} (a {@code --jvm-opt})
 * makes every socket use the simple API: a {@link Message} of an array sent, every frame copied into an array
 * received over tcp and ipc.
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
    boolean zeroCopyReceive = ZERO_COPY && (kind == SocketKind.PULL || kind == SocketKind.SUB);
    boolean zeroCopySend = ZERO_COPY && (kind == SocketKind.PUSH || kind == SocketKind.PUB);
    Socket socket = context.socket(SocketType.valueOf(kind.name()),
        socketOptions.toBuilder().zeroCopyReceive(zeroCopyReceive).build());
    if (kind == SocketKind.SUB) {
      socket.subscribe(new byte[0]);
    }
    return new SwitchboardSocket(socket, zeroCopyReceive, zeroCopySend);
  }

  @Override
  public void close() {
    context.close();
  }

  private static final class SwitchboardSocket implements BenchSocket {
    private final Socket socket;
    /** Whether to receive and send direct messages; not over inproc (see the class comment). */
    private boolean zeroCopyReceive;
    private boolean zeroCopySend;
    private byte[] lastPayload;
    private Message lastMessage;
    /** The constant payload of zero-copy sends, in direct memory. */
    private ByteBuffer lastDirect;

    SwitchboardSocket(Socket socket, boolean zeroCopyReceive, boolean zeroCopySend) {
      this.socket = socket;
      this.zeroCopyReceive = zeroCopyReceive;
      this.zeroCopySend = zeroCopySend;
    }

    @Override
    public String bind(String endpoint) {
      noDirectOverInproc(endpoint);
      return socket.bind(endpoint);
    }

    @Override
    public void connect(String endpoint) {
      noDirectOverInproc(endpoint);
      socket.connect(endpoint);
    }

    private void noDirectOverInproc(String endpoint) {
      if (endpoint.startsWith("inproc://")) {
        zeroCopyReceive = false;
        zeroCopySend = false;
      }
    }

    @Override
    public void send(byte[] payload) {
      // Messages are immutable, so the peers send one instance over and over, as PUB fan-out does; JeroMQ wraps the
      // array in a Msg of its own inside send().
      if (payload != lastPayload) {
        lastPayload = payload;
        if (zeroCopySend) {
          lastDirect = ByteBuffer.allocateDirect(payload.length).put(payload).flip();
        } else {
          lastMessage = Message.of(payload);
        }
      }
      if (zeroCopySend) {
        // The socket releases the message once it is written; a wrapped buffer leaves its memory alone.
        socket.send(DirectMessage.of(Unpooled.wrappedBuffer(lastDirect)));
      } else {
        socket.send(lastMessage);
      }
    }

    @Override
    public int receive(Duration timeout) {
      if (zeroCopyReceive) {
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
