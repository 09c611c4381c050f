package io.switchboard.cli;

import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketType;
import java.io.BufferedReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code switchboard req}: sends each line as a request and prints its reply. */
@Command(
    name = "req",
    description = {
      "Send each line of standard input as a request and print its reply.",
      "A TAB separates a line's frames. Requests go one at a time; --timeout bounds the wait for each reply."
    },
    footer = {
      "  echo ping | switchboard req --connect tcp://127.0.0.1:5555",
      "  printf 'a\\nb\\n' | switchboard req --connect tcp://127.0.0.1:5555 --timeout 5s",
      SocketCommand.EXIT_STATUS
    })
final class ReqCommand extends SocketCommand {
  /** {@code --json}. */
  @Mixin JsonOutput output;

  @Override
  String format(Message message) {
    return output.format(message);
  }

  ReqCommand() {
    super(SocketType.REQ);
  }

  @Override
  void run(Socket socket) throws Exception {
    BufferedReader in = stdin();
    String line;
    for (long n = 0; !done(n) && (line = in.readLine()) != null; n++) {
      send(socket, toMessage(line));
      print(receive(socket));
    }
  }
}
