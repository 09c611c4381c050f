package io.switchboard.cli;

import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** A socket that only receives: prints each message as one line, until --count or --timeout. */
abstract class ReceiveCommand extends SocketCommand {
  /** {@code --json}. */
  @Mixin JsonOutput output;

  @Override
  String format(Message message) {
    return output.format(message, framing);
  }

  ReceiveCommand(SocketType type) {
    super(type);
  }

  @Override
  void run(Socket socket) {
    for (long n = 0; !done(n); n++) {
      print(receive(socket));
    }
  }

  /** {@code switchboard sub}. */
  @Command(
      name = "sub",
      description = {
        "Print each published message that matches a subscription.",
        "One message is one line, its frames joined by a TAB. Frames that are not printable text print as 0x "
            + "followed by hex."
      },
      footer = {
        "  switchboard sub --connect tcp://127.0.0.1:5556",
        "  switchboard sub --connect tcp://127.0.0.1:5556 --subscribe news --subscribe sport -n 10",
        EXIT_STATUS
      })
  static final class Sub extends ReceiveCommand {
    @Mixin Subscriptions subscriptions;

    Sub() {
      super(SocketType.SUB);
    }

    @Override
    void run(Socket socket) {
      subscriptions.orEverything().forEach(socket::subscribe);
      super.run(socket);
    }
  }

  /** {@code switchboard pull}. */
  @Command(
      name = "pull",
      description = {
        "Print each message pushed to it.",
        "One message is one line, its frames joined by a TAB. Frames that are not printable text print as 0x "
            + "followed by hex."
      },
      footer = {
        "  switchboard pull --bind tcp://127.0.0.1:5555",
        "  switchboard pull --bind 'tcp://127.0.0.1:*'   # stderr: listening on tcp://...",
        "  switchboard pull --connect tcp://127.0.0.1:5557 -n 1 --timeout 30s",
        EXIT_STATUS
      })
  static final class Pull extends ReceiveCommand {
    Pull() {
      super(SocketType.PULL);
    }
  }
}
