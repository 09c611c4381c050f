package io.switchboard.cli;

import io.switchboard.bus.BusException;
import io.switchboard.bus.BusNode;
import io.switchboard.gateway.Gateway;
import io.switchboard.gateway.GatewayConfig;
import io.switchboard.gateway.GatewayException;
import io.switchboard.gateway.Route;
import io.switchboard.gateway.demo.Demo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code switchboard gateway}: the HTTP gateway in front of bus services, as a process of its own. */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    description = {
      "Run the HTTP gateway: each route calls a service command over the bus; GET /status reports every service. "
          + "Without --config it serves the demo's routes (people and pets).",
      "Without --node it uses the local node, and starts one in its own process (with the channel services) when "
          + "none runs, so 'switchboard gateway' and 'switchboard service' start in any order."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  switchboard gateway",
      "  switchboard gateway --listen 0.0.0.0:8080 --config routes.json",
      "  switchboard gateway --node tcp://10.0.0.5:7600",
      "%nConfiguration (JSON): see docs/gateway.md.",
      "Exit status: 0 stopped, 1 failure, 2 bad usage, configuration, or an address that cannot be bound."
    })
final class GatewayCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "Routes and settings (JSON).")
  Path config;

  @Option(names = "--listen", paramLabel = "HOST:PORT",
      description = "Where to listen (default: 127.0.0.1:5001, or the configuration's listen).")
  String listen;

  @Option(names = "--node", paramLabel = "EP",
      description = "The node's endpoint, ipc://PATH or tcp://HOST:PORT (default: the local node, started here if "
          + "none runs).")
  String node;

  @Override
  public Integer call() throws InterruptedException {
    GatewayConfig.Builder builder;
    try {
      builder = config == null ? Demo.routes(GatewayConfig.builder()) : GatewayConfig.load(config).toBuilder();
      if (listen != null) {
        builder.listen(listen);
      }
    } catch (GatewayException | IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (node != null) {
      builder.node(node);
    }
    GatewayConfig settings = builder.build();
    PrintWriter out = spec.commandLine().getOut();
    BusNode started = null;
    if (settings.node() == null) {
      try {
        started = BusNode.start(Demo.nodeConfig(), line -> { });
        out.println("started a bus node at " + started.localEndpoint() + " (channels control, A, B, services)");
      } catch (BusException e) {
        if (!e.getMessage().contains("already running")) {
          throw new ParameterException(spec.commandLine(), e.getMessage());
        }
      }
    }
    Gateway gateway;
    try {
      gateway = Gateway.start(settings);
    } catch (GatewayException e) {
      if (started != null) {
        started.close();
      }
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    BusNode ownNode = started;
    out.println("switchboard gateway listening on " + gateway.url() + ", services on "
        + (settings.node() == null ? BusNode.defaultEndpoint() : settings.node()) + " (channel "
        + settings.channel() + ")");
    for (Route r : settings.routes()) {
      out.println("  " + r);
    }
    out.println("  GET /status -> every service's state; stop with Ctrl-C");
    out.flush();
    DemoCommand.runUntilStopped(() -> {
      gateway.close();
      if (ownNode != null) {
        ownNode.close();
      }
    });
    return 0;
  }
}
