package io.switchboard.cli;

import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketType;
import java.time.Duration;
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
    return output.format(message, framing);
  }

  RepCommand() {
    super(SocketType.REP);
  }

  @Override
  void run(Socket socket) throws Exception {
    Replies replies = echo ? null : new Replies();
    for (long n = 0; !done(n); n++) {
      Message request = echo ? receive(socket) : replies.awaitRequest(socket);
      if (request == null) {
        return; // no reply left to give: take no more requests
      }
      print(request);
      if (echo) {
        send(socket, request);
        continue;
      }
      String reply = replies.next();
      if (reply == null) {
        warn("the input ended before the reply to the last request; it is not answered");
        return;
      }
      send(socket, toMessage(reply));
    }
  }

  /**
   * The replies: the input read ahead, so that the command knows it has none left before it takes a request it
   * could not answer.
   */
  private final class Replies {
    private static final Duration SLICE = Duration.ofMillis(100);
    private final Records lines = input();

    /**
     * The next request, or null once the input has ended with every line used. Waits at most --timeout, in
     * slices, so that the end of input (Ctrl-D) ends the wait.
     */
    Message awaitRequest(Socket socket) {
      long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
      for (;;) {
        if (lines.atEnd()) {
          return null;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new CommandFailedException(connections.withCause("no message within "
              + Durations.format(timeout)));
        }
        Message request = socket.receive(Duration.ofNanos(Math.min(left, SLICE.toNanos())));
        if (request != null) {
          return request;
        }
      }
    }

    /** The next reply line, or null if the input ended first; only after {@link #awaitRequest} found one. */
    String next() throws InterruptedException {
      return lines.next();
    }
  }

}
