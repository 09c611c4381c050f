package io.switchboard.cli;

import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketType;
import java.io.BufferedReader;
import picocli.CommandLine.Command;

/** A socket that only sends: each line of standard input is one message, until the end of input or --count. */
abstract class SendCommand extends SocketCommand {
  SendCommand(SocketType type) {
    super(type);
  }

  @Override
  final void run(Socket socket) throws Exception {
    BufferedReader in = stdin();
    String line;
    for (long n = 0; !done(n) && (line = in.readLine()) != null; n++) {
      send(socket, toMessage(line));
    }
    // Closing (in SocketCommand) delivers what is queued, waiting up to --linger for a peer to take it.
  }

  /** {@code switchboard pub}. */
  @Command(
      name = "pub",
      description = {
        "Publish each line of standard input to the matching subscribers.",
        "One line is one message; a TAB separates its frames. A subscriber gets the messages whose first frame "
            + "starts with one of its subscriptions. Messages sent before a subscriber has joined are dropped."
      },
      footer = {
        "  switchboard pub --bind 'tcp://*:5556'",
        "  printf 'news\\tit rained\\n' | switchboard pub --connect tcp://127.0.0.1:5556",
        EXIT_STATUS
      })
  static final class Pub extends SendCommand {
    Pub() {
      super(SocketType.PUB);
    }
  }

  /** {@code switchboard push}. */
  @Command(
      name = "push",
      description = {
        "Send each line of standard input to one puller, round-robin.",
        "One line is one message; a TAB separates its frames. At the end of input, deliver what is queued "
            + "(waiting up to --linger for the peer) and exit 0."
      },
      footer = {
        "  echo hello | switchboard push --connect tcp://127.0.0.1:5555",
        "  printf 'job-1\\tpayload\\n' | switchboard push --bind 'tcp://*:5557' --timeout 10s",
        "  seq 1000 | switchboard push --connect tcp://127.0.0.1:5555 -n 10",
        EXIT_STATUS
      })
  static final class Push extends SendCommand {
    Push() {
      super(SocketType.PUSH);
    }
  }
}
