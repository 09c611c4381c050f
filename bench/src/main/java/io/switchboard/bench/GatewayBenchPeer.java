package io.switchboard.bench;

import io.switchboard.bus.BusClient;
import io.switchboard.bus.BusNode;
import io.switchboard.bus.ChannelConfig;
import io.switchboard.bus.NodeConfig;
import io.switchboard.gateway.Gateway;
import io.switchboard.gateway.GatewayConfig;
import io.switchboard.gateway.Service;
import io.switchboard.gateway.ServiceHost;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A process of the gateway benchmark, started by {@link GatewayBenchRunner}:
 *
 * <ul>
 *   <li>{@code gateway IPC_PATH}: a bus node on {@code IPC_PATH} (with the channel {@code services}) and a gateway on a
 *       free port of 127.0.0.1 whose route {@code GET /hello} calls {@code bench.hello}, as {@code switchboard gateway}
 *       runs them; prints {@code ready PORT}.
 *   <li>{@code service IPC_PATH}: the {@code bench} service, whose {@code hello} answers {@link #RESULT}, registered
 *       on that node; prints {@code ready} once the node has it.
 * </ul>
 *
 * Each runs until its standard input closes.
 */
public final class GatewayBenchPeer {
  /** What every system of the benchmark answers: the same JSON as nginx serves and the Node.js service sends. */
  static final Map<String, String> RESULT = result();

  private GatewayBenchPeer() {}

  private static Map<String, String> result() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("greeting", "hello");
    m.put("from", "bench");
    return m;
  }

  /** The bench service: one inline command, as cheap as the Node.js service's. */
  static Service service() {
    return Service.builder("bench").inlineCommand("hello", payload -> RESULT).build();
  }

  /** Runs one process; see the class comment. */
  public static void main(String[] args) throws Exception {
    String endpoint = "ipc://" + args[1];
    switch (args[0]) {
      case "gateway" -> {
        try (BusNode node = BusNode.start(NodeConfig.defaults().toBuilder().ipc(args[1])
                .channel(ChannelConfig.plain(ServiceHost.DEFAULT_CHANNEL)).build(), line -> { });
             Gateway gateway = Gateway.start(GatewayConfig.builder().port(0).node(node.localEndpoint())
                 .route("GET /hello", "bench", "hello").build())) {
          System.out.println("ready " + gateway.port());
          System.out.flush();
          waitForEndOfInput();
        }
      }
      case "service" -> {
        try (BusClient bus = BusClient.connect(endpoint);
             ServiceHost host = ServiceHost.builder(service()).client(bus).start()) {
          host.registered().join();
          System.out.println("ready");
          System.out.flush();
          waitForEndOfInput();
        }
      }
      default -> throw new IllegalArgumentException("role: " + args[0] + " (expected: gateway or service)");
    }
  }

  private static void waitForEndOfInput() throws IOException {
    InputStream in = System.in;
    while (in.read() >= 0) {
      // the runner closes our standard input to stop us
    }
  }
}
