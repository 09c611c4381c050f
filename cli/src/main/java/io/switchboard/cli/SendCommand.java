package io.switchboard.cli;

import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * A socket that only sends: each record of standard input is one message (or the message given as arguments, sent
 * --count times), until the end of input or --count. It sends once a peer is there to take the messages, waiting
 * at most --timeout, so that "done" means handed to a connected peer.
 */
abstract class SendCommand extends SocketCommand {
  @Option(names = "--interval", paramLabel = "DURATION",
      description = "Wait DURATION between messages (as nats pub --sleep).")
  Duration interval;

  @Parameters(paramLabel = "FRAME", arity = "0..*",
      description = "Send one message of these frames instead of reading standard input; with -n N, N times.")
  List<String> frames = new ArrayList<>();

  SendCommand(SocketType type) {
    super(type);
  }

  @Override
  void check() {
    if (interval != null && interval.isZero()) {
      throw new ParameterException(spec.commandLine(), "--interval: 0ms (expected: more than 0)");
    }
  }

  @Override
  final void run(Socket socket) throws Exception {
    awaitReceiver(socket);
    Records in = frames.isEmpty() ? input() : null;
    Message given = frames.isEmpty() ? null : toMessage(String.join(framingDelimiter(), frames));
    for (long n = 0; !done(n) && (given == null || n == 0 || count != null); n++) {
      Message message;
      if (given != null) {
        message = given;
      } else {
        String record = in.next();
        if (record == null) {
          break;
        }
        message = toMessage(record);
      }
      if (n > 0 && interval != null) {
        Thread.sleep(interval.toMillis()); // the pace the user asked for, not a synchronisation
      }
      send(socket, message);
      afterSend(socket);
    }
    // Closing (in SocketCommand) delivers what is queued, waiting up to --linger for a peer to take it.
  }

  /** The delimiter that joins FRAME arguments into one record for {@link #toMessage}. */
  private String framingDelimiter() {
    return framing.delimiter == null ? "\t" : Framing.unescape(framing.delimiter);
  }

  /** Waits for a peer to send to, at most --timeout. */
  void awaitReceiver(Socket socket) throws InterruptedException {
    awaitPeer();
  }

  /** Called after each message is sent. */
  void afterSend(Socket socket) {}

  /** {@code switchboard pub}. */
  @Command(
      name = "pub",
      description = {
        "Publish each line of standard input to the matching subscribers.",
        "One line is one message; a TAB separates its frames. A subscriber gets the messages whose first frame "
            + "starts with one of its subscriptions. pub waits for its first subscription (at most --timeout) "
            + "before it publishes, so the first subscriber gets everything; later ones get what is published "
            + "after they join."
      },
      footer = {
        "  switchboard pub --bind 'tcp://*:5556'",
        "  printf 'news\\tit rained\\n' | switchboard pub --connect tcp://127.0.0.1:5556",
        "  switchboard pub --bind 'tcp://*:5556' -n 10 --interval 1s time tick",
        EXIT_STATUS
      })
  static final class Pub extends SendCommand {
    Pub() {
      // An XPUB, which sees subscriptions: to SUB peers it is a publisher like any other.
      super(SocketType.XPUB);
    }

    /** Waits for the first subscription rather than the first connection: a PUB drops until it has one. */
    @Override
    void awaitReceiver(Socket socket) throws InterruptedException {
      awaitPeer();
      Message subscription = timeout == null ? socket.receive() : socket.receive(timeout);
      if (subscription == null) {
        throw new CommandFailedException("not sent: no subscription within " + Durations.format(timeout));
      }
    }

    /** Drains the subscriptions that arrive, which are not for printing. */
    @Override
    void afterSend(Socket socket) {
      while (socket.tryReceive() != null) {
        // a subscription or cancel from a peer
      }
    }
  }

  /** {@code switchboard push}. */
  @Command(
      name = "push",
      description = {
        "Send each line of standard input to one puller, round-robin.",
        "One line is one message; a TAB separates its frames. It sends once a puller is connected (waiting at "
            + "most --timeout); at the end of input it delivers what is queued (waiting up to --linger) and exits "
            + "0."
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
