package io.switchboard.bus.mesh;

import io.switchboard.bus.mesh.spi.Discovery;
import io.switchboard.bus.mesh.spi.DiscoveryContext;
import java.util.List;

/** A fixed list of peer endpoints, each dialled and kept from the start (peers that start later are redialled). */
public final class StaticDiscovery implements Discovery {
  private final List<String> endpoints;

  /** A discovery of these {@code tcp://HOST:PORT} endpoints. */
  public StaticDiscovery(List<String> endpoints) {
    for (String e : endpoints) {
      if (!e.startsWith("tcp://")) {
        throw new IllegalArgumentException("peer: " + e + " (expected: tcp://HOST:PORT)");
      }
    }
    this.endpoints = List.copyOf(endpoints);
  }

  /** The endpoints. */
  public List<String> endpoints() {
    return endpoints;
  }

  @Override
  public String name() {
    return "static";
  }

  @Override
  public void start(DiscoveryContext context) {
    endpoints.forEach(context::found);
  }

  @Override
  public void close() {}
}
