package io.switchboard.cli;

import io.switchboard.devices.LazyPirateClient;
import io.switchboard.devices.RequestFailedException;
import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketType;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code switchboard req}: sends each line as a request and prints its reply. */
@Command(
    name = "req",
    description = {
      "Send each line of standard input as a request and print its reply.",
      "A TAB separates a line's frames. Requests go one at a time; --timeout bounds the wait for each reply. With "
          + "--retries N, a request without a reply within --timeout is sent again on a fresh connection, up to N "
          + "more times (the Lazy Pirate pattern), so a server that restarts loses no request."
    },
    footer = {
      "  echo ping | switchboard req --connect tcp://127.0.0.1:5555",
      "  printf 'a\\nb\\n' | switchboard req --connect tcp://127.0.0.1:5555 --timeout 5s",
      "  echo ping | switchboard req --connect tcp://127.0.0.1:5555 --timeout 2s --retries 3",
      SocketCommand.EXIT_STATUS
    })
final class ReqCommand extends SocketCommand {
  /** {@code --json}. */
  @Mixin JsonOutput output;

  @Option(names = "--retries", paramLabel = "N",
      description = "Resend a request that has no reply within --timeout up to N times, each on a new connection; "
          + "needs --timeout and one --connect.")
  Integer retries;

  @Override
  String format(Message message) {
    return output.format(message, framing);
  }

  ReqCommand() {
    super(SocketType.REQ);
  }

  @Override
  void check() {
    if (retries == null) {
      return;
    }
    if (retries < 0) {
      throw new ParameterException(spec.commandLine(), "--retries: " + retries + " (expected: 0 or more)");
    }
    if (timeout == null) {
      throw new ParameterException(spec.commandLine(), "--retries needs --timeout (how long to wait before a retry)");
    }
    if (endpoints.size() != 1 || endpoints.get(0).connect == null) {
      throw new ParameterException(spec.commandLine(), "--retries needs exactly one --connect (expected: the "
          + "server's endpoint; a retry makes a new connection)");
    }
  }

  @Override
  void run(Socket socket) throws Exception {
    Records in = input();
    if (retries != null) {
      runLazyPirate(socket, in);
      return;
    }
    String line;
    for (long n = 0; !done(n) && (line = in.next()) != null; n++) {
      send(socket, toMessage(line));
      print(receive(socket));
    }
  }

  /** Each request through a {@link LazyPirateClient}, which makes its own sockets with this one's options. */
  private void runLazyPirate(Socket socket, Records in) throws Exception {
    String endpoint = endpoints.get(0).connect;
    socket.close(); // the client connects sockets of its own
    try (Context context = new Context();
        LazyPirateClient client = new LazyPirateClient(context, endpoint,
            socket.options().toBuilder().linger(Duration.ZERO).build())) {
      String line;
      for (long n = 0; !done(n) && (line = in.next()) != null; n++) {
        try {
          print(client.request(toMessage(line), timeout, retries));
        } catch (RequestFailedException e) {
          throw new CommandFailedException(e.getMessage());
        }
        if (client.retries() > 0 && verbose) {
          warn("retried " + client.retries() + " times so far");
        }
      }
    }
  }
}
