package io.switchboard.cli;

import io.switchboard.socket.Context;
import io.switchboard.socket.Endpoint;
import io.switchboard.socket.EndpointException;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
 * {@code --linger}, {@code -v}, the socket options of {@link SocketTuning}, the record format of {@link Framing}
 * and the security mechanism of {@link SecurityOptions}) and its life cycle: make a context and a socket, bind and
 * connect it, {@link #run} the type's loop, then close the context, which delivers what is queued within the linger
 * time. Its {@link Connections} know why nothing arrives, for the failure messages.
 */
@Command(
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    // Written out: picocli's own synopsis lists every option, the security ones included, in one long paragraph.
    customSynopsis = "${COMMAND-FULL-NAME} (--bind=EP | --connect=EP)... [OPTIONS]",
    footerHeading = "%nExamples:%n")
abstract class SocketCommand implements Callable<Integer> {
  /** The last lines of every socket command's help. */
  static final String EXIT_STATUS = ExitStatus.DURATIONS + ExitStatus.HELP;

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
      description = "Exit with status 1, saying why, if no message arrives within DURATION (of the start or the "
          + "previous one); for pub and push, if no peer takes the messages within DURATION.")
  Duration timeout;

  @Option(
      names = "--linger",
      paramLabel = "DURATION",
      defaultValue = "5s",
      description = "At exit, wait up to DURATION to deliver queued messages (default: ${DEFAULT-VALUE}).")
  Duration linger;

  @Option(names = {"-v", "--verbose"},
      description = "Print connection events on stderr: connected, accepted, disconnected, retrying, with causes.")
  boolean verbose;

  @Option(names = "--conflate",
      description = "Keep only the newest message: of those waiting, print the last and drop the others.")
  boolean conflate;

  /** Routing id, high-water marks, reconnect interval, heartbeats. */
  @Mixin SocketTuning tuning;

  /** --format, --delimiter, -0. */
  @Mixin Framing framing;

  /** PLAIN or CURVE, client or server; NULL without them. */
  @Mixin SecurityOptions security;

  /** Guarded by {@code this}. */
  private Records input;

  /** The socket's connections, once {@link #serve} has made it. */
  Connections connections;

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
        description = "Bind to EP: tcp://HOST:PORT (* for any interface or an ephemeral port; [::1] for IPv6), "
            + "ipc://PATH.")
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
      checkEndpoint(endpoint);
    }
    framing.check(spec);
    check();
    try {
      SocketOptions.Builder builder = SocketOptions.builder().linger(linger);
      tuning.apply(spec, builder);
      security.apply(spec, builder);
      serve(options(builder).build());
    } finally {
      security.close(); // stops watching the --curve-allow directory
    }
    return ExitStatus.OK;
  }

  /** Checks the command's own options before anything is opened; throws a usage error. */
  void check() {}

  private void checkEndpoint(EndpointOption option) {
    boolean bind = option.bind != null;
    String text = bind ? option.bind : option.connect;
    String name = bind ? "--bind" : "--connect";
    Endpoint endpoint;
    try {
      endpoint = Endpoint.parse(text);
    } catch (EndpointException e) {
      throw new ParameterException(spec.commandLine(), name + ": " + e.getMessage());
    }
    if (endpoint.transport() == Endpoint.Transport.INPROC) {
      throw new ParameterException(spec.commandLine(), name + ": " + text + " (expected: tcp:// or ipc://; "
          + "inproc:// endpoints exist only inside one process)");
    }
    if (!bind && endpoint.transport() == Endpoint.Transport.TCP && (endpoint.isWildcardHost() || endpoint.port()
        == 0)) {
      throw new ParameterException(spec.commandLine(), "--connect: " + text + " (expected: a host and port to "
          + "connect to, as tcp://127.0.0.1:5555; * means any interface or port, which only --bind takes)");
    }
    if (!bind && endpoint.transport() == Endpoint.Transport.IPC && endpoint.path().equals("*")) {
      throw new ParameterException(spec.commandLine(), "--connect: " + text + " (expected: the path of a bound "
          + "ipc socket; ipc://* only binds)");
    }
  }

  /**
   * Makes the socket, binds and connects it, and runs the type's loop. Closing the context closes the socket, which
   * first delivers what is queued, for up to --linger.
   */
  private void serve(SocketOptions options) throws Exception {
    try (Context context = new Context()) {
      Socket socket = context.socket(type, options);
      connections = new Connections(this::warn, verbose, dialledOnly());
      socket.addMonitor(connections);
      for (EndpointOption endpoint : endpoints) {
        if (endpoint.bind != null) {
          // the ready line: scripts wait for it before they connect
          warn("listening on " + socket.bind(endpoint.bind));
        } else {
          socket.connect(endpoint.connect);
        }
      }
      run(socket);
    }
  }

  /** The endpoints to connect to, as the socket names them, if none is bound; else empty. */
  private Set<String> dialledOnly() {
    Set<String> dialled = new HashSet<>();
    for (EndpointOption endpoint : endpoints) {
      if (endpoint.bind != null) {
        return Set.of();
      }
      dialled.add(Endpoint.parse(endpoint.connect).toString());
    }
    return dialled;
  }

  /** The socket options; the defaults plus the options given, unless a type needs more. */
  SocketOptions.Builder options(SocketOptions.Builder options) {
    return options;
  }

  /** The type's loop, run once the socket is bound and connected; returns when the command is done. */
  abstract void run(Socket socket) throws Exception;

  /** Standard input as records, as {@code --null} separates them; made on first use. */
  final synchronized Records input() {
    if (input == null) {
      input = new Records(new BufferedReader(new InputStreamReader(main.in, StandardCharsets.UTF_8)), framing,
          spec.qualifiedName() + " stdin");
    }
    return input;
  }

  /**
   * A record of input as a message; {@code null} to skip it.
   *
   * @throws CommandFailedException if the record is not in the {@code --format}
   */
  Message toMessage(String record) {
    try {
      return framing.parse(record);
    } catch (IllegalArgumentException e) {
      throw new CommandFailedException("standard input: " + e.getMessage());
    }
  }

  /** Prints a message as one record and flushes. */
  final void print(Message message) {
    PrintWriter out = spec.commandLine().getOut();
    out.print(format(message));
    out.print(framing.terminator());
    out.flush();
  }

  /** A message as the record {@link #print} prints. */
  String format(Message message) {
    return framing.format(message);
  }

  /** Prints a one-line warning on standard error and carries on. */
  final void warn(String message) {
    PrintWriter err = spec.commandLine().getErr();
    synchronized (err) {
      err.println(spec.qualifiedName() + ": " + message);
      err.flush();
    }
  }

  /** Whether {@code --count} is reached after {@code n} messages. */
  final boolean done(long n) {
    return count != null && n >= count;
  }

  /** Receives the next message, waiting at most {@code --timeout}; with --conflate, the newest one waiting. */
  final Message receive(Socket socket) {
    Message message;
    if (timeout == null) {
      message = socket.receive();
    } else {
      message = socket.receive(timeout);
      if (message == null) {
        throw new CommandFailedException(connections.withCause("no message within " + Durations.format(timeout)));
      }
    }
    if (conflate) {
      for (Message newer; (newer = socket.tryReceive()) != null; ) {
        message = newer;
      }
    }
    return message;
  }

  /** Sends a message, waiting at most {@code --timeout} for room. */
  final void send(Socket socket, Message message) {
    if (timeout == null) {
      socket.send(message);
    } else if (!socket.send(message, timeout)) {
      throw new CommandFailedException(connections.withCause("could not send within " + Durations.format(timeout)));
    }
  }

  /**
   * Waits for a connected peer, at most {@code --timeout}: a sending command hands its messages to one.
   *
   * @throws CommandFailedException if none came, with the cause
   */
  final void awaitPeer() throws InterruptedException {
    if (!connections.awaitPeer(timeout)) {
      String failure = connections.lastFailure();
      if (connections.refusedByAll()) {
        throw new CommandFailedException("not sent: " + failure);
      }
      throw new CommandFailedException("not sent: no peer within " + Durations.format(timeout)
          + (failure == null ? "" : " (" + failure + ")"));
    }
  }

  /** The command ran but failed, as on a timeout: exit status 1. */
  static final class CommandFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CommandFailedException(String message) {
      super(message);
    }
  }
}
