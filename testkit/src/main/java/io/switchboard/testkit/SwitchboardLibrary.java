package io.switchboard.testkit;

import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;
import java.time.Duration;
import java.util.Set;

/** Switchboard itself as a peer library, so the conformance suite also runs Switchboard against Switchboard. */
public final class SwitchboardLibrary implements PeerLibrary {
  private final Context context = new Context();

  @Override
  public String name() {
    return "Switchboard";
  }

  @Override
  public Set<String> transports() {
    return Set.of("tcp", "ipc");
  }

  @Override
  public PeerSocket socket(SocketType type, byte[] identity) {
    Socket socket = context.socket(type, SocketOptions.builder().identity(identity).build());
    return new PeerSocket() {
      @Override public String bind(String endpoint) {
        return socket.bind(endpoint);
      }

      @Override public void connect(String endpoint) {
        socket.connect(endpoint);
      }

      @Override public void subscribe(byte[] prefix) {
        socket.subscribe(prefix);
      }

      @Override public void send(Message message) {
        socket.send(message);
      }

      @Override public Message receive(Duration timeout) {
        return socket.receive(timeout);
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
