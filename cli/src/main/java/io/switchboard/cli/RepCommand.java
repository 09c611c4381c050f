package io.switchboard.cli;

import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketType;
import java.io.BufferedReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code switchboard rep}: prints each request and replies to it. */
@Command(
    name = "rep",
    description = {
      "Print each request and reply to it.",
      "The reply is the request itself (--echo, the default) or the next line of standard input (--no-echo); "
          + "with --no-echo the command ends with its input."
    },
    footer = {
      "  switchboard rep --bind 'tcp://*:5555'",
      "  switchboard rep --bind 'tcp://*:5555' -n 1",
      "  printf 'one\\ntwo\\n' | switchboard rep --bind 'tcp://*:5555' --no-echo",
      SocketCommand.EXIT_STATUS
    })
final class RepCommand extends SocketCommand {
  @Option(
      names = "--echo",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Reply with the request (default); --no-echo replies with standard input lines.")
  boolean echo;

  /** {@code --json}. */
  @Mixin JsonOutput output;

  @Override
  String format(Message message) {
    return output.format(message);
  }

  RepCommand() {
    super(SocketType.REP);
  }

  @Override
  void run(Socket socket) throws Exception {
    BufferedReader replies = echo ? null : stdin();
    for (long n = 0; !done(n); n++) {
      Message request = receive(socket);
      print(request);
      String line = echo ? null : replies.readLine();
      if (!echo && line == null) {
        return;
      }
      send(socket, echo ? request : toMessage(line));
    }
  }
}
