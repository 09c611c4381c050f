package io.switchboard.cli;

import io.switchboard.socket.InterruptedOperationException;
import io.switchboard.socket.Message;
import io.switchboard.socket.RoutingException;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketClosedException;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * A socket that sends and receives at once: a daemon thread sends each line of standard input while the command
 * prints what arrives, until --count or --timeout (the end of input stops only the sending).
 */
abstract class DuplexCommand extends SocketCommand {
  /** {@code --json}. */
  @Mixin JsonOutput output;

  @Override
  String format(Message message) {
    return output.format(message, framing);
  }

  DuplexCommand(SocketType type) {
    super(type);
  }

  @Override
  void run(Socket socket) {
    Thread sender = new Thread(() -> sendLines(socket), spec.qualifiedName() + " stdin");
    sender.setDaemon(true);
    sender.start();
    try {
      for (long n = 0; !done(n); n++) {
        print(receive(socket));
      }
    } finally {
      finish(socket);
    }
  }

  /** Called when the command ends, before the socket closes. */
  void finish(Socket socket) {}

  private void sendLines(Socket socket) {
    try {
      Records in = input();
      for (String line; (line = in.next()) != null; ) {
        try {
          Message message = toMessage(line);
          if (message != null) {
            sendLine(socket, message);
          }
        } catch (CommandFailedException e) {
          warn(e.getMessage()); // a line not in the --format: skipped
        }
      }
    } catch (SocketClosedException | InterruptedOperationException done) {
      // the command finished while this line waited for room or a peer
    } catch (InterruptedException done) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      warn(e.getMessage());
    }
  }

  /** Sends one line's message; a message no peer can take is a warning, and the line is skipped. */
  void sendLine(Socket socket, Message message) {
    try {
      socket.send(message);
    } catch (RoutingException e) {
      warn(e.getMessage());
    }
  }

  /** {@code switchboard dealer}. */
  @Command(
      name = "dealer",
      description = {
        "Send each line of standard input round-robin and print every message that arrives.",
        "A TAB separates a line's frames. To talk to rep, start each line with a TAB (an empty delimiter frame). "
            + "The end of input stops the sending only; --count or --timeout ends the command."
      },
      footer = {
        "  switchboard dealer --connect tcp://127.0.0.1:5555",
        "  printf '\\tping\\n' | switchboard dealer --connect tcp://127.0.0.1:5555 -n 1",
        EXIT_STATUS
      })
  static final class Dealer extends DuplexCommand {
    Dealer() {
      super(SocketType.DEALER);
    }
  }

  /** {@code switchboard router}: the first field of every line is a routing id. */
  @Command(
      name = "router",
      description = {
        "Print every message with its sender's routing id; send each line to the peer it names.",
        "The first TAB-separated field of a printed or sent line is the routing id. Ids that are not printable "
            + "text are printed, and accepted, as 0x followed by hex (0x0080000001). A line for a peer that has not "
            + "connected yet waits until it does (with a warning), while lines for other peers go on. The end of "
            + "input stops the sending only."
      },
      footer = {
        "  switchboard router --bind 'tcp://*:5555'",
        "  printf '0x0080000001\\treply\\n' | switchboard router --bind 'tcp://*:5555'",
        "  printf 'worker-1\\t\\tjob\\n' | switchboard router --bind 'tcp://*:5555'",
        EXIT_STATUS
      })
  static final class Router extends DuplexCommand {
    private static final Duration RETRY_SLICE = Duration.ofMillis(200);
    /** The most lines held for peers that have not connected. */
    static final int MAX_HELD = 10_000;

    /** Lines for peers that have not connected yet, oldest first. */
    private final Deque<Message> held = new ArrayDeque<>();
    /** Guarded by {@link #held}. */
    private Thread retrier;

    Router() {
      super(SocketType.ROUTER);
    }

    /**
     * Sends to the peer the line names; a line for a peer that has not connected yet (typed, or piped, before it
     * connected) is held until it does, in order with any later lines for it, while lines for other peers go on.
     */
    @Override
    void sendLine(Socket socket, Message message) {
      synchronized (held) {
        if (!holds(message.frame(0)) && trySend(socket, message)) {
          return;
        }
        if (held.size() >= MAX_HELD) {
          warn("no peer with routing id " + Frames.format(message.frame(0)) + "; " + MAX_HELD + " lines already "
              + "wait for absent peers, so this one is dropped");
          return;
        }
        if (!holds(message.frame(0))) {
          warn("no peer with routing id " + Frames.format(message.frame(0)) + " yet; its lines wait for it");
        }
        held.add(message);
        if (retrier == null) {
          retrier = new Thread(() -> retry(socket), spec.qualifiedName() + " held lines");
          retrier.setDaemon(true);
          retrier.start();
        }
      }
    }

    /** Sends a message; false if its peer is not connected. */
    private static boolean trySend(Socket socket, Message message) {
      try {
        socket.send(message);
        return true;
      } catch (RoutingException absent) {
        return false;
      }
    }

    private boolean holds(byte[] id) {
      return held.stream().anyMatch(m -> Arrays.equals(m.frame(0), id));
    }

    /** Tries the held lines again whenever a peer arrives (and every slice, as the table may lag the event). */
    private void retry(Socket socket) {
      try {
        while (!socket.isClosed()) {
          connections.awaitArrival(connections.arrivals(), RETRY_SLICE);
          sendHeld(socket);
        }
      } catch (InterruptedException | InterruptedOperationException | SocketClosedException done) {
        // the command is over
      }
    }

    /** Sends the held lines whose peers are connected now, in order per peer. */
    private void sendHeld(Socket socket) {
      synchronized (held) {
        List<byte[]> stillAbsent = new ArrayList<>();
        for (Iterator<Message> it = held.iterator(); it.hasNext(); ) {
          Message message = it.next();
          boolean blocked = stillAbsent.stream().anyMatch(id -> Arrays.equals(id, message.frame(0)));
          if (!blocked && trySend(socket, message)) {
            it.remove();
          } else {
            stillAbsent.add(message.frame(0));
          }
        }
      }
    }

    /**
     * Sends, one last time, what waits for peers that have connected since the retrier last looked (a peer's message
     * can end the command before the retrier wakes for its arrival), and says what is left.
     */
    @Override
    void finish(Socket socket) {
      try {
        sendHeld(socket);
      } catch (InterruptedOperationException | SocketClosedException over) {
        // nothing more can be sent; what is held is reported below
      }
      synchronized (held) {
        if (!held.isEmpty()) {
          warn(held.size() + " line(s) not sent: their peers never connected ("
              + held.stream().map(m -> Frames.format(m.frame(0))).distinct().collect(Collectors.joining(", "))
              + ")");
        }
      }
    }

    @Override
    SocketOptions.Builder options(SocketOptions.Builder options) {
      return options.routerMandatory(true);
    }

    @Override
    Message toMessage(String line) {
      Message message = super.toMessage(line);
      if (message.size() < 2) {
        warn("a line needs a routing id, a TAB and the message: " + line);
        return null;
      }
      if (framing.format != Framing.Format.TEXT) {
        return message;
      }
      // In text, the id is in printable form: 0x and hex for a generated one.
      String id = new String(message.frame(0), StandardCharsets.UTF_8);
      return message.dropFirst(1).prepend(Frames.parseFrame(id));
    }
  }

  /** {@code switchboard pair}. */
  @Command(
      name = "pair",
      description = {
        "Send each line of standard input to the one peer and print every message from it.",
        "A TAB separates a line's frames. The end of input stops the sending only."
      },
      footer = {
        "  switchboard pair --bind tcp://127.0.0.1:5558",
        "  switchboard pair --connect tcp://127.0.0.1:5558",
        EXIT_STATUS
      })
  static final class Pair extends DuplexCommand {
    Pair() {
      super(SocketType.PAIR);
    }
  }

  /** {@code switchboard xpub}. */
  @Command(
      name = "xpub",
      description = {
        "Publish each line of standard input and print every subscription that arrives.",
        "A subscription prints in hex: 0x01 (subscribe) or 0x00 (unsubscribe), then the prefix; 0x016e657773 "
            + "subscribes to news."
      },
      footer = {"  switchboard xpub --bind 'tcp://*:5556'", EXIT_STATUS})
  static final class XPub extends DuplexCommand {
    XPub() {
      super(SocketType.XPUB);
    }
  }

  /** {@code switchboard xsub}. */
  @Command(
      name = "xsub",
      description = {
        "Print what is published to the --subscribe prefixes; send each line upstream.",
        "Without --subscribe it subscribes to everything. Lines of standard input go to the publishers as "
            + "messages."
      },
      footer = {"  switchboard xsub --connect tcp://127.0.0.1:5556 --subscribe news", EXIT_STATUS})
  static final class XSub extends DuplexCommand {
    private static final byte SUBSCRIBE = 1;

    @Mixin Subscriptions subscriptions;

    XSub() {
      super(SocketType.XSUB);
    }

    @Override
    void run(Socket socket) {
      for (String prefix : subscriptions.orEverything()) {
        byte[] text = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[text.length + 1];
        frame[0] = SUBSCRIBE;
        System.arraycopy(text, 0, frame, 1, text.length);
        socket.send(Message.of(frame));
      }
      super.run(socket);
    }
  }
}
