package io.switchboard.cli;

import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketType;
import java.io.IOException;
import java.io.Reader;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
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
      if (reply == Replies.END) {
        warn("the input ended before the reply to the last request; it is not answered");
        return;
      }
      send(socket, toMessage(reply));
    }
  }

  /**
   * The replies, read ahead from standard input by a daemon thread, so that the command knows it has none left
   * before it takes a request it could not answer.
   */
  private final class Replies {
    private static final String END = new String("end of input");
    private static final Duration SLICE = Duration.ofMillis(100);
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    Replies() {
      Thread reader = new Thread(() -> {
        try (Reader in = stdin()) {
          for (String line; (line = nextRecord(in)) != null; ) {
            lines.add(line);
          }
        } catch (IOException e) {
          warn("standard input: " + e.getMessage());
        } finally {
          lines.add(END);
        }
      }, spec.qualifiedName() + " stdin");
      reader.setDaemon(true);
      reader.start();
    }

    /**
     * The next request, or null once the input has ended with every line used. Waits at most --timeout, in
     * slices, so that the end of input (Ctrl-D) ends the wait.
     */
    Message awaitRequest(Socket socket) {
      long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
      for (;;) {
        if (lines.peek() == END) {
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

    /** The next reply line; only after {@link #awaitRequest} found one. */
    String next() throws InterruptedException {
      return lines.take();
    }
  }
}
