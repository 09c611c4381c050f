package io.switchboard.cli;

import io.switchboard.socket.Context;
import io.switchboard.socket.Endpoint;
import io.switchboard.socket.EndpointException;
import io.switchboard.socket.Message;
import io.switchboard.socket.MonitorEvent;
import io.switchboard.socket.MonitorListener;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The options every socket command shares ({@code --bind}, {@code --connect}, {@code --count}, {@code --timeout},
 * {@code --linger}, and the security mechanism, {@link SecurityOptions}) and its life cycle: make a context and a
 * socket, bind and connect it, {@link #run} the type's loop, then close the context, which delivers what is queued
 * within the linger time.
 */
@Command(
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    // Written out: picocli's own synopsis lists every option, the security ones included, in one long paragraph.
    customSynopsis = "${COMMAND-FULL-NAME} (--bind=EP | --connect=EP)... [OPTIONS]",
    footerHeading = "%nExamples:%n")
abstract class SocketCommand implements Callable<Integer> {
  /** The last lines of every command's help. */
  static final String EXIT_STATUS =
      "%nDurations: 500ms, 5s, 2m, 1h.%nExit status: 0 done, 1 failure (timeout), 2 bad usage or endpoint.";

  @Spec CommandSpec spec;

  @ParentCommand Main main;

  @ArgGroup(exclusive = true, multiplicity = "1..*")
  List<EndpointOption> endpoints;

  @Option(
      names = {"-n", "--count"},
      paramLabel = "N",
      description = "Stop after N messages received (sent, for pub and push).")
  Long count;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description = "Exit with status 1 if no message arrives within DURATION (of the start or the previous one).")
  Duration timeout;

  @Option(
      names = "--linger",
      paramLabel = "DURATION",
      defaultValue = "5s",
      description = "At exit, wait up to DURATION to deliver queued messages (default: ${DEFAULT-VALUE}).")
  Duration linger;

  /** PLAIN or CURVE, client or server; NULL without them. */
  @Mixin SecurityOptions security;

  private final SocketType type;

  SocketCommand(SocketType type) {
    this.type = type;
  }

  /** One {@code --bind} or {@code --connect}; the group keeps them in command-line order. */
  static final class EndpointOption {
    @Option(
        names = "--bind",
        paramLabel = "EP",
        required = true,
        description = "Bind to EP: tcp://HOST:PORT (* for any interface or an ephemeral port), ipc://PATH.")
    String bind;

    @Option(
        names = "--connect",
        paramLabel = "EP",
        required = true,
        description = "Connect to EP; reconnects by itself. Repeat --bind and --connect as needed.")
    String connect;
  }

  @Override
  public final Integer call() throws Exception {
    if (count != null && count <= 0) {
      throw new ParameterException(spec.commandLine(), "--count: " + count + " (expected: > 0)");
    }
    for (EndpointOption endpoint : endpoints) {
      try {
        Endpoint.parse(endpoint.bind != null ? endpoint.bind : endpoint.connect);
      } catch (EndpointException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    try {
      SocketOptions.Builder builder = SocketOptions.builder().linger(linger);
      security.apply(spec, builder);
      serve(options(builder).build());
    } finally {
      security.close(); // stops watching the --curve-allow directory
    }
    return 0;
  }

  /**
   * Makes the socket, binds and connects it, and runs the type's loop. Closing the context closes the socket, which
   * first delivers what is queued, for up to --linger.
   */
  private void serve(SocketOptions options) throws Exception {
    try (Context context = new Context()) {
      Socket socket = context.socket(type, options);
      if (security.isSecure()) {
        socket.addMonitor(new HandshakeWarnings());
      }
      for (EndpointOption endpoint : endpoints) {
        if (endpoint.bind != null) {
          String bound = socket.bind(endpoint.bind);
          if (isEphemeral(Endpoint.parse(endpoint.bind))) {
            spec.commandLine().getErr().println(spec.qualifiedName() + ": listening on " + bound);
          }
        } else {
          socket.connect(endpoint.connect);
        }
      }
      run(socket);
    }
  }

  /** The socket options; the defaults plus {@code --linger} unless a type needs more. */
  SocketOptions.Builder options(SocketOptions.Builder options) {
    return options;
  }

  /** The type's loop, run once the socket is bound and connected; returns when the command is done. */
  abstract void run(Socket socket) throws Exception;

  /** Standard input, one message per line. */
  final BufferedReader stdin() {
    return new BufferedReader(new InputStreamReader(main.in, StandardCharsets.UTF_8));
  }

  /** A line of standard input as a message; {@code null} to skip the line. */
  Message toMessage(String line) {
    return Frames.parse(line);
  }

  /** Prints a message as one line and flushes. */
  final void print(Message message) {
    spec.commandLine().getOut().print(format(message) + "\n");
    spec.commandLine().getOut().flush();
  }

  /** A message as the line {@link #print} prints; the printable form unless a command offers {@code --json}. */
  String format(Message message) {
    return Frames.format(message);
  }

  /** Prints a one-line warning on standard error and carries on. */
  final void warn(String message) {
    spec.commandLine().getErr().println(spec.qualifiedName() + ": " + message);
  }

  /** Whether {@code --count} is reached after {@code n} messages. */
  final boolean done(long n) {
    return count != null && n >= count;
  }

  /** Receives the next message, waiting at most {@code --timeout}. */
  final Message receive(Socket socket) {
    if (timeout == null) {
      return socket.receive();
    }
    Message message = socket.receive(timeout);
    if (message == null) {
      throw new CommandFailedException("no message within " + Durations.format(timeout));
    }
    return message;
  }

  /** Sends a message, waiting at most {@code --timeout} for room. */
  final void send(Socket socket, Message message) {
    if (timeout == null) {
      socket.send(message);
    } else if (!socket.send(message, timeout)) {
      throw new CommandFailedException("could not send within " + Durations.format(timeout));
    }
  }

  /**
   * Prints failed handshakes (a refused client on a server, a refusal on a client) as warnings, which would
   * otherwise show only as silence; a warning the same as the previous one is not repeated, as a refused client
   * retries with backoff.
   */
  private final class HandshakeWarnings implements MonitorListener {
    private String last;

    @Override
    public synchronized void onEvent(MonitorEvent event) {
      if (event.type() == MonitorEvent.Type.HANDSHAKE_FAILED && !event.detail().equals(last)) {
        last = event.detail();
        warn(event.detail());
      }
    }
  }

  private static boolean isEphemeral(Endpoint endpoint) {
    return endpoint.transport() == Endpoint.Transport.TCP
        ? endpoint.port() == 0
        : endpoint.transport() == Endpoint.Transport.IPC && endpoint.path().equals("*");
  }

  /** The command ran but failed, as on a timeout: exit status 1. */
  static final class CommandFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CommandFailedException(String message) {
      super(message);
    }
  }
}
