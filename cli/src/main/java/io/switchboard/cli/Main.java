package io.switchboard.cli;

import io.switchboard.socket.EndpointException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The {@code switchboard} command: a socket of any type on the command line, fed by standard input and printing to
 * standard output.
 *
 * <pre>
 * switchboard pull --bind tcp://127.0.0.1:5555
 * echo hello | switchboard push --connect tcp://127.0.0.1:5555
 * </pre>
 *
 * <p>Exit status: 0 done, 1 failure (a timeout), 2 bad usage (unknown option, malformed or unbindable endpoint).
 * Every error is one line on standard error.
 *
 * <p>Help is in colour only when standard output is a terminal, and never when the {@code NO_COLOR} environment
 * variable is set (picocli's {@link Help.Ansi#AUTO}; {@code CLICOLOR_FORCE} or {@code -Dpicocli.ansi=true} force
 * it).
 */
@Command(
    name = "switchboard",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "A bus node and its clients, and ZeroMQ-compatible sockets of every type, on the command line.",
    subcommands = {
      NodeCommand.class,
      BusCommand.class,
      CtlCommand.class,
      GatewayCommand.class,
      ServiceCommand.class,
      DemoCommand.class,
      SendCommand.Pub.class,
      ReceiveCommand.Sub.class,
      DuplexCommand.XPub.class,
      DuplexCommand.XSub.class,
      SendCommand.Push.class,
      ReceiveCommand.Pull.class,
      ReqCommand.class,
      RepCommand.class,
      DuplexCommand.Dealer.class,
      DuplexCommand.Router.class,
      DuplexCommand.Pair.class,
      ProxyCommand.class,
      ClusterCommand.class,
      ExampleCommand.class,
      KeygenCommand.class,
      VersionCommand.class,
      CompletionCommand.class
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  switchboard node",
      "  switchboard bus listen B",
      "  switchboard bus emit A log '\"TESTE\"'",
      "  switchboard pull --bind tcp://127.0.0.1:5555",
      "  printf 'hello\\tworld\\n' | switchboard push --connect tcp://127.0.0.1:5555",
      "  switchboard rep --bind 'tcp://*:5556'",
      "  echo ping | switchboard req --connect tcp://127.0.0.1:5556",
      "  switchboard keygen --out server",
      "  switchboard rep --bind 'tcp://*:5556' --curve-server server.key_secret",
      "  source <(switchboard completion)      # tab completion in bash and zsh",
      "",
      "Run 'switchboard COMMAND --help' for a command's options.",
      SocketCommand.EXIT_STATUS
    })
public final class Main implements Runnable {
  final InputStream in;

  @Spec CommandSpec spec;

  private Main(InputStream in) {
    this.in = in;
  }

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    System.exit(run(System.in, out, err, args));
  }

  /** Runs a command line with the given streams and returns its exit status; for tests and embedding. */
  static int run(InputStream in, PrintWriter out, PrintWriter err, String... args) {
    try {
      return commandLine(in, out, err).execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** The command line, configured but not run; tests parse with it to check the command lines in the docs. */
  static CommandLine commandLine(InputStream in, PrintWriter out, PrintWriter err) {
    return new CommandLine(new Main(in))
        .registerConverter(Duration.class, Durations::parse)
        .setParameterExceptionHandler(Main::usageError)
        .setExecutionExceptionHandler(Main::failure)
        // Colour only on a terminal, and not with NO_COLOR set: picocli's default, made explicit.
        .setColorScheme(Help.defaultColorScheme(Help.Ansi.AUTO))
        .setOut(out)
        .setErr(err);
  }

  /** Without a subcommand there is nothing to do. */
  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command");
  }

  /** Usage errors: one line, exit status 2. */
  private static int usageError(ParameterException ex, String[] args) {
    CommandLine commandLine = ex.getCommandLine();
    String name = commandLine.getCommandSpec().qualifiedName();
    String message = ex.getMessage().replaceFirst("^Error: ", "");
    commandLine.getErr().println(name + ": " + message + "; see '" + name + " --help'");
    return commandLine.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** Failures of a running command: one line; exit status 2 for an endpoint that cannot be bound, 1 otherwise. */
  private static int failure(Exception ex, CommandLine commandLine, ParseResult parseResult) {
    String message = ex.getMessage() != null ? ex.getMessage() : ex.toString();
    commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + message);
    return ex instanceof EndpointException
        ? commandLine.getCommandSpec().exitCodeOnInvalidInput()
        : commandLine.getCommandSpec().exitCodeOnExecutionException();
  }

  /** The version this jar was built as, from {@code version.properties}. */
  static final class Version implements IVersionProvider {
    static String version() {
      Properties properties = new Properties();
      try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          properties.load(in);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return properties.getProperty("version", "unknown");
    }

    @Override
    public String[] getVersion() {
      return new String[] {"switchboard " + version()};
    }
  }
}
