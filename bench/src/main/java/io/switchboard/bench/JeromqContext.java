package io.switchboard.bench;

import io.switchboard.socket.security.CurveKeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/** {@link BenchContext} over JeroMQ. */
final class JeromqContext implements BenchContext {
  private static final String TCP_EPHEMERAL_SUFFIX = ":0";

  private final ZContext context = new ZContext(1);
  private final int highWaterMark;

  JeromqContext(int highWaterMark) {
    this.highWaterMark = highWaterMark;
  }

  @Override
  public BenchSocket socket(SocketKind kind) {
    return new JeromqSocket(create(kind));
  }

  @Override
  public BenchSocket curveSocket(SocketKind kind, byte[] secretKey, byte[] serverPublicKey) {
    ZMQ.Socket socket = create(kind);
    socket.setCurvePublicKey(CurveKeyPair.fromSecretKey(secretKey).publicKey());
    socket.setCurveSecretKey(secretKey);
    if (serverPublicKey == null) {
      // No ZAP handler in this context: JeroMQ then admits every client that completes the handshake.
      socket.setCurveServer(true);
    } else {
      socket.setCurveServerKey(serverPublicKey);
    }
    return new JeromqSocket(socket);
  }

  private ZMQ.Socket create(SocketKind kind) {
    ZMQ.Socket socket = context.createSocket(SocketType.valueOf(kind.name()));
    socket.setSndHWM(highWaterMark);
    socket.setRcvHWM(highWaterMark);
    // BenchContext: a publisher closes at once, whatever it still queues.
    socket.setLinger(kind == SocketKind.PUB ? 0 : 1000);
    if (kind == SocketKind.SUB) {
      socket.subscribe(new byte[0]);
    }
    return socket;
  }

  @Override
  public void close() {
    context.close();
  }

  private static final class JeromqSocket implements BenchSocket {
    private final ZMQ.Socket socket;
    private final List<byte[]> frames = new ArrayList<>();
    private int receiveTimeoutMillis = Integer.MIN_VALUE;

    JeromqSocket(ZMQ.Socket socket) {
      this.socket = socket;
    }

    @Override
    public String bind(String endpoint) {
      if (endpoint.startsWith("tcp://") && endpoint.endsWith(TCP_EPHEMERAL_SUFFIX)) {
        String address = endpoint.substring(0, endpoint.length() - TCP_EPHEMERAL_SUFFIX.length());
        int port = socket.bindToRandomPort(address);
        return address + ":" + port;
      }
      if (!socket.bind(endpoint)) {
        throw new IllegalStateException("JeroMQ could not bind " + endpoint);
      }
      return endpoint;
    }

    @Override
    public void connect(String endpoint) {
      if (!socket.connect(endpoint)) {
        throw new IllegalStateException("JeroMQ could not connect " + endpoint);
      }
    }

    @Override
    public void send(byte[] payload) {
      socket.send(payload, 0);
    }

    @Override
    public int receive(Duration timeout) {
      setReceiveTimeout(timeout);
      byte[] frame = socket.recv(0);
      if (frame == null) {
        return -1;
      }
      while (socket.hasReceiveMore()) {
        socket.recv(0);
      }
      return frame.length;
    }

    @Override
    public int echo(Duration timeout) {
      setReceiveTimeout(timeout);
      byte[] frame = socket.recv(0);
      if (frame == null) {
        return -1;
      }
      frames.clear();
      frames.add(frame);
      while (socket.hasReceiveMore()) {
        frames.add(socket.recv(0));
      }
      int last = frames.size() - 1;
      for (int i = 0; i < last; i++) {
        socket.sendMore(frames.get(i));
      }
      socket.send(frames.get(last), 0);
      return frames.get(last).length;
    }

    private void setReceiveTimeout(Duration timeout) {
      int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
      if (millis != receiveTimeoutMillis) {
        socket.setReceiveTimeOut(millis);
        receiveTimeoutMillis = millis;
      }
    }

    @Override
    public void close() {
      // Since 0.6.0 a socket made by a ZContext leaves it on close(); destroySocket is deprecated.
      socket.close();
    }
  }
}
