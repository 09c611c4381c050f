package io.switchboard.cli;

import io.switchboard.bus.BusException;
import io.switchboard.dashboard.DashboardException;
import io.switchboard.dashboard.DashboardServer;
import io.switchboard.gateway.GatewayException;
import io.switchboard.gateway.demo.DemoStack;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code switchboard demo}: a node, the people and pets services and the gateway, in one process. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    description = {
      "Run node-tcp-ops' demo: a bus node, the people and pets services (on the bus, and as newline-delimited JSON on "
          + "their TCP ports) and the HTTP gateway in front of them, and print their URLs.",
      "Data lives in SQLite files in $XDG_DATA_HOME/switchboard/ (or ~/.local/share/switchboard/), or in the "
          + "database --db names; the schema is made on first start, with a little sample data."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  switchboard demo",
      "  curl http://127.0.0.1:5001/people",
      "  curl -X POST 'http://127.0.0.1:5001/people?name=Dora'",
      "  curl 'http://127.0.0.1:5001/people/pets?owner=Alice'",
      "  echo '{\"cmd\":\"status\"}' | nc 127.0.0.1 5002",
      "  switchboard demo --db 'jdbc:postgresql://localhost/demo?user=me&password=secret'",
      "%nSee docs/gateway.md. Exit status: 0 stopped, 1 failure, 2 bad usage or a port or database that cannot be used."
    })
final class DemoCommand implements Callable<Integer> {
  /** How long the dashboard waits for the services' answers to {@code status}. */
  private static final Duration STATUS_WAIT = Duration.ofSeconds(2);

  @Spec CommandSpec spec;

  @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
      description = "The address everything listens on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "5001",
      description = "The gateway's HTTP port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--people-port", paramLabel = "PORT", defaultValue = "5002",
      description = "People's TCP port (default: ${DEFAULT-VALUE}).")
  int peoplePort;

  @Option(names = "--pets-port", paramLabel = "PORT", defaultValue = "5003",
      description = "Pets' TCP port (default: ${DEFAULT-VALUE}).")
  int petsPort;

  @Option(names = "--db", paramLabel = "JDBC-URL",
      description = "One database for both services, as jdbc:postgresql://HOST/DB?user=…&password=… "
          + "(default: a SQLite file each).")
  String database;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Where the SQLite files go (default: $XDG_DATA_HOME/switchboard or ~/.local/share/switchboard).")
  Path dataDir;

  @Option(names = "--ipc", paramLabel = "PATH",
      description = "The demo node's ipc socket (default: demo.sock beside the local node's).")
  Path ipc;

  @Option(names = "--http", paramLabel = "[HOST:]PORT",
      description = "Serve the dashboard (the node, and the services with their instances and health) and "
          + "Prometheus /metrics on this address (port 0: any free port; host default 127.0.0.1).")
  String http;

  @Override
  public Integer call() throws InterruptedException {
    NodeCommand.HttpAddress httpAddress = http == null ? null : NodeCommand.HttpAddress.parse(spec, http);
    DemoStack stack;
    try {
      stack = DemoStack.builder().host(host).ports(port, peoplePort, petsPort).database(database)
          .dataDirectory(dataDir).ipc(ipc).start();
    } catch (IllegalArgumentException | GatewayException | BusException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    DashboardServer dashboard = null;
    if (httpAddress != null) {
      try {
        dashboard = DashboardServer.builder().node(stack.node())
            .section("services", () -> stack.gateway().services().orTimeout(STATUS_WAIT.toMillis(), TimeUnit.MILLISECONDS).join())
            .bind(httpAddress.host(), httpAddress.port()).start();
      } catch (DashboardException e) {
        stack.close();
        throw new ParameterException(spec.commandLine(), "--http: " + e.getMessage());
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    String url = stack.gateway().url();
    out.println("switchboard demo: gateway " + url + ", people tcp " + host + ":" + stack.people().tcpPort()
        + ", pets tcp " + host + ":" + stack.pets().tcpPort() + ", node " + stack.node().localEndpoint());
    out.println("data: " + stack.peopleDatabase() + ", " + stack.petsDatabase());
    out.println("try:  curl " + url + "/people");
    out.println("      curl -X POST '" + url + "/people?name=Dora'");
    out.println("      curl '" + url + "/people/pets?owner=Alice'");
    out.println("      curl " + url + "/status");
    out.println("      echo '{\"cmd\":\"status\"}' | nc " + host + " " + stack.people().tcpPort());
    if (dashboard != null) {
      out.println("dashboard: " + dashboard.url() + " (metrics: " + dashboard.url() + "metrics, the gateway's: " + url
          + "/metrics)");
    }
    out.println("stop with Ctrl-C");
    out.flush();
    DashboardServer page = dashboard;
    runUntilStopped(page == null ? stack : () -> {
      try (stack) {
        page.close();
      }
    });
    return 0;
  }

  /** Waits until SIGTERM or Ctrl-C, then closes {@code what}. */
  static void runUntilStopped(AutoCloseable what) throws InterruptedException {
    runUntilStopped(what, new CompletableFuture<>());
  }

  /**
   * Waits until SIGTERM or Ctrl-C, then closes {@code what}; or, if {@code failure} completes first, closes it and
   * fails with that reason (exit status 1).
   */
  static void runUntilStopped(AutoCloseable what, CompletableFuture<String> failure) throws InterruptedException {
    CompletableFuture<String> outcome = new CompletableFuture<>();
    Thread hook = new Thread(() -> {
      closeQuietly(what);
      outcome.complete(null);
    }, "switchboard shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    failure.thenAccept(outcome::complete);
    String reason;
    try {
      reason = outcome.get();
    } catch (ExecutionException e) {
      reason = String.valueOf(e.getCause());
    }
    if (reason != null) {
      Runtime.getRuntime().removeShutdownHook(hook);
      closeQuietly(what);
      throw new SocketCommand.CommandFailedException(reason);
    }
  }

  private static void closeQuietly(AutoCloseable what) {
    try {
      what.close();
    } catch (Exception e) {
      System.err.println("switchboard: while stopping: " + e.getMessage());
    }
  }
}
