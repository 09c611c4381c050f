package io.switchboard.cli;

import io.switchboard.bus.BusNode;
import io.switchboard.bus.ChannelConfig;
import io.switchboard.bus.ConfigException;
import io.switchboard.bus.NodeConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
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
          + "output; traced channels print their events there too."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  switchboard node",
      "  switchboard node --config config.json --listen tcp://0.0.0.0:7600",
      "  switchboard node --ipc /tmp/test-node.sock",
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

  @Override
  public Integer call() throws InterruptedException {
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
      base = builder.build();
    } catch (ConfigException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
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
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      node.close();
      stopped.countDown();
    }, "switchboard node shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    synchronized (out) {
      out.println("switchboard node " + node.id() + " listening on " + String.join(", ", node.endpoints()));
      out.println("channels: " + node.config().channels().values().stream().map(NodeCommand::describe)
          .collect(Collectors.joining(", ")));
      out.println("config: " + node.config().source() + "; stop with Ctrl-C");
      out.flush();
    }
    try {
      stopped.await();
    } finally {
      node.close();
    }
    return 0;
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
