package io.switchboard.examples;

import io.switchboard.socket.EndpointException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code example}: the list of examples, each a subcommand. The {@code switchboard} command mounts this as {@code
 * switchboard example}; {@link #main} runs it on its own.
 *
 * <p>Exit status: 0 done, 1 failure (a timeout, an I/O error), 2 bad usage (unknown example or option, malformed or
 * unbindable endpoint, a file to watch that does not exist).
 */
@Command(
    name = "example",
    mixinStandardHelpOptions = true,
    description = "The seed documents' Node.js ZeroMQ programs, ported: they speak the same JSON over the same ports.",
    subcommands = {
      TimePubSub.class,
      HelloReqRep.class,
      ParallelRequests.class,
      WatcherPub.class,
      WatcherSub.class,
      FilerRep.class,
      FilerReq.class,
      FilerReqLoop.class,
      FilerRepCluster.class
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  switchboard example time-pubsub server & switchboard example time-pubsub client",
      "  switchboard example filer-rep --root . & switchboard example filer-req README.md",
      "",
      "Run 'switchboard example NAME --help' for an example's options."
    })
public class ExamplesCommand implements Runnable {
  @Spec CommandSpec spec;

  /** Creates the command; picocli fills in the rest. */
  public ExamplesCommand() {}

  /** Lists the examples, one per line, name then summary. */
  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    spec.subcommands().forEach((name, sub) -> {
      String[] description = sub.getCommandSpec().usageMessage().description();
      out.printf("%-18s %s%n", name, description.length > 0 ? description[0] : "");
    });
    out.println();
    out.println("Run '" + spec.qualifiedName() + " NAME --help' for one example's options.");
    out.flush();
  }

  /** Runs {@code example ARGS...} with these streams and returns the exit status; for tests and embedding. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return run(new ExamplesCommand(), out, err, args);
  }

  /** Runs a command on standard output and error, then exits with its status. */
  static void exit(Object command, String[] args) {
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    System.exit(run(command, out, err, args));
  }

  static int run(Object command, PrintWriter out, PrintWriter err, String... args) {
    CommandLine commandLine = new CommandLine(command)
        .setParameterExceptionHandler(ExamplesCommand::usageError)
        .setExecutionExceptionHandler((ex, cl, parseResult) -> {
          String message = ex.getMessage() != null ? ex.getMessage() : ex.toString();
          cl.getErr().println(cl.getCommandSpec().qualifiedName() + ": " + message);
          return ex instanceof EndpointException
              ? cl.getCommandSpec().exitCodeOnInvalidInput()
              : cl.getCommandSpec().exitCodeOnExecutionException();
        })
        .setOut(out)
        .setErr(err);
    try {
      return commandLine.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  private static int usageError(ParameterException ex, String[] args) {
    CommandLine commandLine = ex.getCommandLine();
    String name = commandLine.getCommandSpec().qualifiedName();
    commandLine.getErr().println(name + ": " + ex.getMessage() + "; see '" + name + " --help'");
    return commandLine.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** Runs {@code example ARGS...} and exits with its status. */
  public static void main(String[] args) {
    exit(new ExamplesCommand(), args);
  }
}
