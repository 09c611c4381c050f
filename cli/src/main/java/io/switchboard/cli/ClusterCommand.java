package io.switchboard.cli;

import io.switchboard.devices.Proxy;
import io.switchboard.devices.WorkerPool;
import io.switchboard.socket.Context;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketType;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard cluster}: a ROUTER frontend, a DEALER backend on a fresh ipc endpoint, a {@link Proxy} between
 * them, and a {@link WorkerPool} of N worker processes told the backend in {@code SWITCHBOARD_BACKEND}.
 */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    description = {
      "Serve requests on the frontend with N copies of COMMAND, restarting any that exit.",
      "Clients (REQ or DEALER) connect to a ROUTER bound at --frontend; requests are dealt round-robin to the "
          + "workers, which connect a REP socket to the endpoint in the environment variable SWITCHBOARD_BACKEND "
          + "(an ipc endpoint in the temporary directory). A worker that exits is restarted after 100 ms, doubling "
          + "to 5 s; after 10 restarts within 60 s its slot is given up. SIGTERM or Ctrl-C stops the workers and "
          + "removes the ipc endpoint.",
      "A request held by a worker that dies is lost: clients should retry (the Lazy Pirate pattern)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  switchboard cluster --workers 4 --frontend 'tcp://*:5555' -- python3 worker.py",
      "  switchboard cluster --workers 2 --frontend 'tcp://*:5555' -- \\",
      "      sh -c './switchboard rep --connect \"$SWITCHBOARD_BACKEND\"'",
      ExitStatus.HELP_UNTIL_STOPPED
    })
final class ClusterCommand implements Callable<Integer> {
  /** The variable that tells a worker where to connect. */
  static final String BACKEND_VARIABLE = "SWITCHBOARD_BACKEND";

  @Spec CommandSpec spec;

  @Option(names = "--workers", required = true, paramLabel = "N", description = "How many workers to run.")
  int workers;

  @Option(names = "--frontend", required = true, paramLabel = "EP", description = "Bind the clients' ROUTER at EP.")
  String frontend;

  @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The worker command and its arguments, after --.")
  List<String> command;

  @Override
  public Integer call() {
    if (workers <= 0) {
      throw new ParameterException(spec.commandLine(), "--workers: " + workers + " (expected: > 0)");
    }
    ProxyCommand.checkEndpoint(spec, "--frontend", frontend);
    PrintWriter err = spec.commandLine().getErr();
    String prefix = spec.qualifiedName() + ": ";
    Context context = new Context();
    try {
      Socket front = context.socket(SocketType.ROUTER);
      Socket back = context.socket(SocketType.DEALER);
      String frontEndpoint = front.bind(frontend);
      String backEndpoint = back.bind("ipc://*");
      Proxy proxy = Proxy.start(front, back);
      err.println(prefix + "listening on " + frontEndpoint + ", workers on " + backEndpoint);
      WorkerPool pool = WorkerPool.builder(command)
          .environment(BACKEND_VARIABLE, backEndpoint)
          .size(workers)
          .listener(event -> err.println(prefix + event.describe()))
          .start();
      try {
        ProxyCommand.runUntilStopped(proxy);
      } finally {
        pool.close();
        proxy.terminate();
      }
    } finally {
      context.close();
    }
    return 0;
  }
}
