package io.switchboard.bench.jmh;

import io.switchboard.socket.Context;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketType;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The PUSH/PULL pairs that {@link PushPullBenchmark} and {@link PipeHandoffBenchmark} move messages through: their
 * parameters and their set-up. Each benchmark's state class extends one, adding its scope (its own {@code @State}
 * wins over the one here) and what it sends.
 */
public final class PushPullPairs {
  private PushPullPairs() {}

  /** A Switchboard PUSH connected to a PULL, in a context of one I/O thread. */
  @State(Scope.Thread) // JMH wants it where @Param is; each subclass gives its own scope
  public abstract static class SwitchboardPair {
    /** inproc or tcp. */
    @Param({"inproc", "tcp"})
    public String transport;

    /** The payload size in octets. */
    @Param({"16", "1024"})
    public int size;

    Context context;
    Socket push;
    Socket pull;

    /** Binds the PULL and connects the PUSH to it. */
    void open() {
      context = new Context(1);
      pull = context.socket(SocketType.PULL);
      push = context.socket(SocketType.PUSH);
      push.connect(pull.bind(endpoint(transport)));
    }

    /** Closes everything. */
    @TearDown(Level.Trial)
    public void tearDown() {
      context.close();
    }
  }

  /** A JeroMQ PUSH connected to a PULL, in a context of one I/O thread (each socket used by one thread only). */
  @State(Scope.Thread) // as above
  public abstract static class JeromqPair {
    /** inproc or tcp. */
    @Param({"inproc", "tcp"})
    public String transport;

    /** The payload size in octets. */
    @Param({"16", "1024"})
    public int size;

    ZContext context;
    ZMQ.Socket push;
    ZMQ.Socket pull;

    /** Binds the PULL and connects the PUSH to it, with JeroMQ's timeouts in ms (-1: wait for ever). */
    void open(int receiveTimeoutMillis, int sendTimeoutMillis) {
      context = new ZContext(1);
      pull = context.createSocket(org.zeromq.SocketType.PULL);
      push = context.createSocket(org.zeromq.SocketType.PUSH);
      pull.setReceiveTimeOut(receiveTimeoutMillis);
      push.setSendTimeOut(sendTimeoutMillis);
      push.connect(bindJeromq(pull, transport));
    }

    /** Closes everything. */
    @TearDown(Level.Trial)
    public void tearDown() {
      context.close();
    }
  }

  /** The endpoint to bind for {@code transport}: a fixed inproc name, or tcp on an ephemeral port. */
  static String endpoint(String transport) {
    switch (transport) {
      case "inproc":
        return "inproc://jmh-push-pull";
      case "tcp":
        return "tcp://127.0.0.1:0";
      default:
        throw new IllegalArgumentException("transport: " + transport + " (expected: inproc or tcp)");
    }
  }

  /** Binds a JeroMQ socket for {@code transport} (tcp on an ephemeral port) and returns the endpoint to connect. */
  static String bindJeromq(ZMQ.Socket socket, String transport) {
    if (transport.equals("tcp")) {
      return "tcp://127.0.0.1:" + socket.bindToRandomPort("tcp://127.0.0.1");
    }
    String endpoint = endpoint(transport);
    socket.bind(endpoint);
    return endpoint;
  }
}
