package io.switchboard.cli;

import io.switchboard.socket.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
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
 * <p>Every command keeps the conventions in one place each: exit statuses ({@link ExitStatus}), one-line errors in
 * the user's words with a "did you mean" ({@link Errors}), help wrapped to the terminal but examples never ({@link
 * HelpLayout}), and a clean close on Ctrl-C or SIGTERM ({@link Stopping}). {@link #commandLine} applies them to the
 * whole command tree, so a new subcommand adopts them by being listed here.
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
      CompletionCommand.class,
      BenchCommand.class
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
      ExitStatus.HELP
    })
public final class Main implements Runnable {
  /** Commands that open no socket, so start no {@link #preload}. */
  private static final Set<String> OPEN_NOTHING = Set.of("version", "keygen", "completion", "help");
  /** Options that make any command print and exit. */
  private static final Set<String> HELP_OPTIONS = Set.of("-h", "--help", "-V", "--version");

  final InputStream in;

  @Spec CommandSpec spec;

  private Main(InputStream in) {
    this.in = in;
  }

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    Stopping.install(Thread.currentThread());
    Thread preload = opensSockets(args) ? preload() : null;
    int status;
    try {
      status = run(System.in, out, err, preload, args);
    } finally {
      Stopping.finished();
    }
    System.exit(status);
  }

  /** Runs a command line with the given streams and returns its exit status; for tests and embedding. */
  static int run(InputStream in, PrintWriter out, PrintWriter err, String... args) {
    return run(in, out, err, null, args);
  }

  /** Runs a command line once {@code preload} (if any) has ended: it may still be starting the logging. */
  private static int run(InputStream in, PrintWriter out, PrintWriter err, Thread preload, String... args) {
    try {
      CommandLine commandLine = configure(forCommand(in, args), out, err, HelpLayout.columnsFromEnvironment());
      if (preload != null) {
        awaitUninterruptibly(preload);
      }
      return commandLine.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /**
   * Whether {@code args} name a command that may open a socket, so that {@link #preload} is worth it: any but
   * {@code version}, {@code keygen}, {@code completion} and help.
   */
  private static boolean opensSockets(String... args) {
    if (args.length == 0 || OPEN_NOTHING.contains(args[0])) {
      return false;
    }
    for (String arg : args) {
      if (HELP_OPTIONS.contains(arg)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Starts logging and Netty's transport (its native library) on a thread of their own while this one builds the
   * command line, so that the two overlap where a core is free (docs/cli.md#start-up). A failure there is left for
   * the command to meet, and report, when it opens its socket.
   */
  private static Thread preload() {
    Thread thread = new Thread(() -> {
      try {
        Context.preload();
      } catch (RuntimeException | LinkageError e) {
        // the command's own Context meets the same failure and reports it
      }
    }, "switchboard-preload");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** Joins {@code thread}; an interrupt (Ctrl-C while starting) is kept for the command to see. */
  private static void awaitUninterruptibly(Thread thread) {
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** The command line, configured but not run; tests parse with it to check the command lines in the docs. */
  static CommandLine commandLine(InputStream in, PrintWriter out, PrintWriter err) {
    return commandLine(in, out, err, HelpLayout.columnsFromEnvironment());
  }

  /** The command line with its help laid out for a terminal {@code columns} wide (0: ask the terminal). */
  static CommandLine commandLine(InputStream in, PrintWriter out, PrintWriter err, int columns) {
    return configure(new CommandLine(new Main(in)), out, err, columns);
  }

  /**
   * The command line for {@code args}: when they start with a command's name, a root that holds only that command,
   * so that picocli reads the annotations of one command, not of every command (most of a short command's start-up
   * time); otherwise (help, completion, a mistyped command) the whole tree. The commands are still those listed in
   * the {@link Command#subcommands} above, the one place to register a command.
   */
  static CommandLine forCommand(InputStream in, String... args) {
    if (args.length == 0 || args[0].equals("completion")) {
      return new CommandLine(new Main(in)); // completion writes a script for every command
    }
    Command main = Main.class.getAnnotation(Command.class);
    Class<?> command = commandNamed(main.subcommands(), args[0]);
    if (command == null) {
      return new CommandLine(new Main(in));
    }
    CommandSpec root = CommandSpec.wrapWithoutInspection(new Main(in)).name(main.name());
    CommandLine commandLine = new CommandLine(root);
    commandLine.addSubcommand(args[0], command); // @ParentCommand gets this root's Main
    return commandLine;
  }

  /**
   * The command of {@code commands} named {@code name}, or null. The one whose class is named after it ({@code push}:
   * {@code Push} or {@code PushCommand}) is asked first, so that the annotations of the others are not read.
   */
  private static Class<?> commandNamed(Class<?>[] commands, String name) {
    for (Class<?> command : commands) {
      String simple = command.getSimpleName();
      if ((simple.equalsIgnoreCase(name) || simple.equalsIgnoreCase(name + "Command")) && named(command, name)) {
        return command;
      }
    }
    for (Class<?> command : commands) {
      if (named(command, name)) {
        return command;
      }
    }
    return null;
  }

  private static boolean named(Class<?> command, String name) {
    Command annotation = command.getAnnotation(Command.class);
    return annotation != null && annotation.name().equals(name);
  }

  /** Streams, handlers, converters and help layout, on a command line and every command in it. */
  private static CommandLine configure(CommandLine commandLine, PrintWriter out, PrintWriter err, int columns) {
    commandLine
        .registerConverter(Duration.class, Durations::parse)
        .setParameterExceptionHandler(Errors::usage)
        .setExecutionExceptionHandler(Errors::failure)
        // Colour only on a terminal, and not with NO_COLOR set: picocli's default, made explicit.
        .setColorScheme(Help.defaultColorScheme(Help.Ansi.AUTO))
        .setOut(out)
        .setErr(err);
    HelpLayout.apply(commandLine, columns);
    return commandLine;
  }

  /** Without a subcommand there is nothing to do. */
  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command");
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
