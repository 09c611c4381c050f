package io.switchboard.cli;

import io.switchboard.bus.BusNode;
import io.switchboard.bus.ChannelConfig;
import io.switchboard.bus.ConfigException;
import io.switchboard.bus.MeshConfig;
import io.switchboard.bus.NodeConfig;
import io.switchboard.dashboard.DashboardException;
import io.switchboard.dashboard.DashboardServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code switchboard node}: runs a bus node until stopped. */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    description = {
      "Run a bus node: named channels that programs join, emit on and listen to, rules that copy events between "
          + "channels, requests and their handlers, and control commands (switchboard ctl).",
      "It listens on a local ipc socket (in $XDG_RUNTIME_DIR/switchboard/, or ~/.switchboard/run/), where "
          + "'switchboard bus' and 'switchboard ctl' find it, and on tcp with --listen. Without --config it has the "
          + "channels control, A and B, A and B copying their events to each other. Its endpoints go to standard "
          + "output; traced channels print their events there too.",
      "With --mesh-listen, --peer, --id or --discovery it joins other nodes as one bus: events of channels with "
          + "propagateToNet reach their listeners on every node, and requests go to handlers on any node."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  switchboard node",
      "  switchboard node --config config.json --listen tcp://0.0.0.0:7600",
      "  switchboard node --ipc /tmp/test-node.sock",
      "  switchboard node --http 127.0.0.1:7680      # dashboard at http://127.0.0.1:7680/",
      "  switchboard node --log-format json --log-level io.switchboard=debug",
      "  switchboard node --id n1 --mesh-listen tcp://0.0.0.0:5670 --peer tcp://10.0.0.2:5670",
      "  switchboard node --mesh-listen tcp://0.0.0.0:5670 --discovery multicast",
      "%nConfiguration (JSON with comments, or YAML): see docs/bus.md.",
      ExitStatus.HELP_UNTIL_STOPPED
    })
final class NodeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "The node's configuration (JSON or YAML).")
  Path config;

  @Option(names = "--listen", paramLabel = "EP",
      description = "Also listen on this tcp endpoint (tcp://HOST:PORT); overrides the configuration's listen.")
  String listen;

  @Option(names = "--ipc", paramLabel = "PATH",
      description = "The local ipc socket's path; overrides the configuration's ipc and the default.")
  String ipc;

  @Option(names = "--control-token", paramLabel = "TOKEN",
      description = "The token control commands need over tcp; overrides the configuration's controlToken.")
  String controlToken;

  @Option(names = "--http", paramLabel = "[HOST:]PORT",
      description = "Serve the dashboard and Prometheus /metrics on this address (port 0: any free port; host "
          + "default 127.0.0.1). No authentication: expose it only where channel names and events may be seen.")
  String http;

  @Mixin LoggingOptions logging;

  @Option(names = "--id", paramLabel = "ID",
      description = "The node's id in the mesh (default: generated once and kept in $XDG_DATA_HOME/switchboard/).")
  String id;

  @Option(names = "--mesh-listen", paramLabel = "EP",
      description = "Join the mesh, listening for other nodes on this tcp endpoint (default with --peer, --id or "
          + "--discovery: tcp://0.0.0.0:5670).")
  String meshListen;

  @Option(names = "--advertise", paramLabel = "EP",
      description = "The endpoint other nodes are told to dial, when it is not the --mesh-listen one.")
  String advertise;

  @Option(names = "--peer", paramLabel = "EP",
      description = "Another node's mesh endpoint, dialled and kept (repeat for more); nodes learn the rest from "
          + "each other.")
  List<String> peers = new ArrayList<>();

  @Option(names = "--discovery", paramLabel = "HOW",
      description = "How nodes find each other: static (only --peer, the default), multicast (ZRE beacons on UDP "
          + "5670), dns (--dns-name's A or SRV records) or none.")
  String discovery;

  @Option(names = "--dns-name", paramLabel = "NAME",
      description = "For --discovery dns: a name whose A records (or, starting with _, SRV records) list the nodes.")
  String dnsName;

  @Option(names = "--dns-server", paramLabel = "HOST[:PORT]",
      description = "For --discovery dns: the DNS server to ask (default: the system's).")
  String dnsServer;

  @Override
  public Integer call() throws InterruptedException {
    logging.apply(spec);
    NodeConfig base;
    try {
      base = config == null ? NodeConfig.defaults() : NodeConfig.load(config);
      NodeConfig.Builder builder = base.toBuilder();
      if (listen != null) {
        builder.listen(listen);
      }
      if (ipc != null) {
        builder.ipc(ipc);
      }
      if (controlToken != null) {
        builder.controlToken(controlToken);
      }
      builder.mesh(mesh(base.mesh()));
      base = builder.build();
    } catch (ConfigException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    HttpAddress httpAddress = http == null ? null : HttpAddress.parse(spec, http);
    PrintWriter out = spec.commandLine().getOut();
    BusNode node;
    try {
      node = BusNode.start(base, line -> {
        synchronized (out) {
          out.println(line);
          out.flush();
        }
      });
    } catch (io.switchboard.bus.BusException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    DashboardServer dashboard = null;
    if (httpAddress != null) {
      try {
        dashboard = DashboardServer.builder().node(node).bind(httpAddress.host(), httpAddress.port()).start();
      } catch (DashboardException e) {
        node.close();
        throw new ParameterException(spec.commandLine(), "--http: " + e.getMessage());
      }
    }
    DashboardServer httpServer = dashboard;
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      if (httpServer != null) {
        httpServer.close();
      }
      node.close();
      stopped.countDown();
    }, "switchboard node shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    synchronized (out) {
      out.println("switchboard node " + node.id() + " listening on " + String.join(", ", node.endpoints()));
      if (node.meshEndpoint() != null) {
        out.println("mesh: " + node.meshEndpoint() + " (discovery " + node.config().mesh().discovery().name()
            .toLowerCase(java.util.Locale.ROOT) + (node.config().mesh().peers().isEmpty() ? ""
            : ", peers " + String.join(" ", node.config().mesh().peers())) + ")");
      }
      out.println("channels: " + node.config().channels().values().stream().map(NodeCommand::describe)
          .collect(Collectors.joining(", ")));
      if (httpServer != null) {
        out.println("dashboard: " + httpServer.url() + " (metrics: " + httpServer.url() + "metrics)");
      }
      out.println("config: " + node.config().source() + "; stop with Ctrl-C");
      out.flush();
    }
    try {
      stopped.await();
    } finally {
      if (httpServer != null) {
        httpServer.close();
      }
      node.close();
    }
    return 0;
  }

  /** The {@code --http} address: {@code PORT}, {@code HOST:PORT} or {@code [IPV6]:PORT}. */
  record HttpAddress(String host, int port) {
    static HttpAddress parse(CommandSpec spec, String text) {
      int colon = text.lastIndexOf(':');
      String host = colon < 0 ? DashboardServer.DEFAULT_HOST : text.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      String portText = text.substring(colon + 1);
      int port;
      try {
        port = Integer.parseInt(portText);
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (host.isEmpty() || port < 0 || port > 65535) {
        throw new ParameterException(spec.commandLine(), "--http: " + text
            + " (expected: [HOST:]PORT with a port from 0 to 65535, such as 127.0.0.1:7680)");
      }
      return new HttpAddress(host, port);
    }
  }

  /** The configuration's mesh with the command line's mesh options applied; {@code null} if neither has one. */
  private MeshConfig mesh(MeshConfig configured) {
    boolean asked = id != null || meshListen != null || !peers.isEmpty() || discovery != null || advertise != null
        || dnsName != null;
    if (configured == null && !asked) {
      return null;
    }
    MeshConfig m = configured != null ? configured
        : MeshConfig.of("tcp://0.0.0.0:" + MeshConfig.DEFAULT_PORT, List.of());
    try {
      if (id != null) {
        if (!io.switchboard.bus.mesh.PeerConfig.validId(id)) {
          throw new ParameterException(spec.commandLine(), "--id: \"" + id + "\" (expected: 1 to 64 printable "
              + "ASCII characters, no spaces)");
        }
        m = m.withId(id);
      }
      if (meshListen != null) {
        m = m.withListen(meshListen);
      }
      if (advertise != null) {
        m = m.withAdvertise(advertise);
      }
      if (!peers.isEmpty()) {
        List<String> all = new ArrayList<>(m.peers());
        all.addAll(peers);
        m = m.withPeers(all);
      }
      if (dnsName != null || dnsServer != null) {
        m = m.withDns(dnsName != null ? dnsName : m.dnsName(), dnsServer != null ? dnsServer : m.dnsServer(),
            m.dnsPort());
      }
      if (discovery != null) {
        try {
          m = m.withDiscovery(MeshConfig.Discovery.valueOf(discovery.toUpperCase(java.util.Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          throw new ParameterException(spec.commandLine(), "--discovery: " + discovery
              + " (expected: static, multicast, dns or none)");
        }
      }
      m.toPeerConfig();
      return m;
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private static String describe(ChannelConfig c) {
    StringBuilder sb = new StringBuilder(c.name());
    if (c.propagateToChannels() != null) {
      sb.append(" (copies to /").append(c.propagateToChannels().pattern()).append("/)");
    }
    if (c.trace()) {
      sb.append(" (traced)");
    }
    return sb.toString();
  }
}
