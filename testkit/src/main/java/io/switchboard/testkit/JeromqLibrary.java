package io.switchboard.testkit;

import io.switchboard.socket.Message;
import io.switchboard.socket.SocketType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * JeroMQ, the Java port of libzmq, in this JVM. It speaks ZMTP 3.0, so it exercises the 3.0 fallback (subscriptions
 * as messages). Its ipc transport is tcp on loopback, not Unix domain sockets, so it shares only tcp with us.
 */
public final class JeromqLibrary implements PeerLibrary {
  private final ZContext context = new ZContext();

  @Override
  public String name() {
    return "JeroMQ";
  }

  @Override
  public Set<String> transports() {
    return Set.of("tcp");
  }

  /**
   * The JeroMQ context that this library's sockets live in, for sockets a test runs itself, such as a ZAP handler
   * on {@code inproc://zeromq.zap.01} (which must share the context of the sockets it authenticates).
   */
  public ZContext context() {
    return context;
  }

  @Override
  public PeerSocket socket(SocketType type, byte[] identity) {
    return socket(type, identity, socket -> { });
  }

  /**
   * As {@link #socket(SocketType, byte[])}, with {@code configure} applied to the JeroMQ socket before it binds or
   * connects (security options, for instance: {@code setCurveServer}, {@code setPlainUsername}, ...).
   */
  public PeerSocket socket(SocketType type, byte[] identity, Consumer<ZMQ.Socket> configure) {
    ZMQ.Socket socket = context.createSocket(org.zeromq.SocketType.valueOf(type.name()));
    socket.setLinger(2000);
    // JeroMQ 0.6 now and then leaves a fresh connection idle (its engine never sends the greeting, though both
    // ends are established); its handshake timer then recycles it. 30 s by default; 2 s keeps tests short.
    socket.setHandshakeIvl(2000);
    if (identity.length > 0) {
      socket.setIdentity(identity);
    }
    configure.accept(socket);
    return new PeerSocket() {
      @Override public String bind(String endpoint) {
        if (!socket.bind(endpoint)) {
          throw new IllegalStateException("JeroMQ cannot bind " + endpoint);
        }
        return socket.getLastEndpoint();
      }

      @Override public void connect(String endpoint) {
        socket.connect(endpoint);
      }

      @Override public void subscribe(byte[] prefix) {
        socket.subscribe(prefix);
      }

      @Override public void send(Message message) {
        for (int i = 0; i < message.size(); i++) {
          socket.send(message.frame(i), i < message.size() - 1 ? ZMQ.SNDMORE : 0);
        }
      }

      @Override public Message receive(Duration timeout) {
        socket.setReceiveTimeOut((int) timeout.toMillis());
        byte[] first = socket.recv();
        if (first == null) {
          return null;
        }
        List<byte[]> frames = new ArrayList<>();
        frames.add(first);
        while (socket.hasReceiveMore()) {
          frames.add(socket.recv());
        }
        return Message.of(frames);
      }

      @Override public void close() {
        socket.close();
      }
    };
  }

  @Override
  public void close() {
    context.close();
  }
}
