package io.switchboard.cli;

import io.switchboard.bus.BusClient;
import io.switchboard.gateway.GatewayException;
import io.switchboard.gateway.Service;
import io.switchboard.gateway.ServiceClient;
import io.switchboard.gateway.ServiceHost;
import io.switchboard.gateway.demo.Demo;
import io.switchboard.gateway.demo.DemoDatabase;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code switchboard service}: runs one of the demo's services as a process of its own. */
@Command(
    name = "service",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    description = {
      "Run one of the demo's services, people or pets, as a process of its own: it registers on the bus node (on "
          + "channel services; several processes of one service share its requests) and listens on its TCP port for "
          + "newline-delimited JSON ({\"cmd\":…,\"payload\":…}).",
      "It may start before the node: it registers when the node appears, and again after the node restarts."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  switchboard service people",
      "  switchboard service pets --port 6003",
      "  switchboard service people --no-tcp          # a second instance, on the bus only",
      "  switchboard service people --db 'jdbc:postgresql://localhost/demo?user=me&password=secret'",
      "%nSee docs/gateway.md. Exit status: 0 stopped, 1 failure (the node refused), 2 bad usage, a port or a database "
          + "that cannot be used."
    })
final class ServiceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "people or pets.")
  String name;

  @Mixin NodeOptions nodeOptions;

  @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
      description = "The address of the TCP port (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", paramLabel = "PORT",
      description = "The TCP port (default: 5002 for people, 5003 for pets; 0: any free one).")
  Integer port;

  @Option(names = "--no-tcp", description = "Serve on the bus only.")
  boolean noTcp;

  @Option(names = "--db", paramLabel = "JDBC-URL",
      description = "The database, jdbc:sqlite:FILE or jdbc:postgresql://… (default: demo-NAME.db in "
          + "$XDG_DATA_HOME/switchboard or ~/.local/share/switchboard).")
  String database;

  @Option(names = "--workers", paramLabel = "N", defaultValue = "8",
      description = "Threads that run commands (default: ${DEFAULT-VALUE}).")
  int workers;

  @Override
  public Integer call() throws InterruptedException {
    if (!name.equals("people") && !name.equals("pets")) {
      throw new ParameterException(spec.commandLine(), "NAME: \"" + name + "\" (expected: people or pets)");
    }
    String endpoint = nodeOptions.node == null ? io.switchboard.bus.BusNode.defaultEndpoint() : nodeOptions.node;
    String url = database == null ? DemoDatabase.defaultUrl(name) : database;
    DemoDatabase db;
    try {
      db = DemoDatabase.open(url, name);
    } catch (GatewayException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    BusClient bus = BusClient.builder().node(endpoint).build();
    ServiceHost host;
    try {
      Service service = name.equals("people")
          ? Demo.people(db.dataSource(), ServiceClient.of(bus), Duration.ofSeconds(2))
          : Demo.pets(db.dataSource());
      ServiceHost.Builder builder = ServiceHost.builder(service).client(bus).workers(workers);
      if (!noTcp) {
        builder.tcp(this.host, port != null ? port : name.equals("people") ? Demo.PEOPLE_PORT : Demo.PETS_PORT);
      }
      host = builder.start();
    } catch (IllegalArgumentException | GatewayException e) {
      bus.close();
      db.close();
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    AutoCloseable all = () -> {
      host.close();
      bus.close();
      db.close();
    };
    PrintWriter out = spec.commandLine().getOut();
    out.println("switchboard service " + name + ": bus " + endpoint + " (channel " + ServiceHost.DEFAULT_CHANNEL + ")"
        + (host.tcpPort() < 0 ? "" : ", tcp " + this.host + ":" + host.tcpPort()) + ", data " + db);
    out.println("waiting for the node to register " + name + "; stop with Ctrl-C");
    out.flush();
    CompletableFuture<String> refused = new CompletableFuture<>();
    host.registered().whenComplete((v, e) -> {
      if (e == null) {
        synchronized (out) {
          out.println("registered: the node routes " + name + "'s requests here");
          out.flush();
        }
      } else {
        refused.complete("the node at " + endpoint + " refused " + name + ": " + e.getMessage()
            + " (start the node with a channel '" + ServiceHost.DEFAULT_CHANNEL
            + "', or run 'switchboard gateway', which starts one)");
      }
    });
    DemoCommand.runUntilStopped(all, refused);
    return 0;
  }
}
