package io.switchboard.bus.mesh;

import io.switchboard.bus.mesh.spi.Discovery;
import io.switchboard.bus.mesh.spi.DiscoveryContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Discovery within one JVM, for tests: every peer that uses a discovery of the same registry finds every other, and
 * hears when one closes.
 *
 * <pre>{@code
 * InMemoryDiscovery.Registry registry = new InMemoryDiscovery.Registry();
 * Peer a = Peer.start(PeerConfig.builder().id("a").discovery(registry.discovery()).build());
 * Peer b = Peer.start(PeerConfig.builder().id("b").discovery(registry.discovery()).build());   // a and b link
 * }</pre>
 */
public final class InMemoryDiscovery implements Discovery {
  /** The peers that can find each other. Thread-safe. */
  public static final class Registry {
    private final List<InMemoryDiscovery> members = new ArrayList<>();

    /** A new discovery in this registry, for one peer. */
    public InMemoryDiscovery discovery() {
      return new InMemoryDiscovery(this);
    }

    private void join(InMemoryDiscovery d) {
      List<InMemoryDiscovery> others;
      synchronized (this) {
        others = List.copyOf(members);
        members.add(d);
      }
      for (InMemoryDiscovery o : others) {
        o.context.found(d.context.endpoint());
        d.context.found(o.context.endpoint());
      }
    }

    private void leave(InMemoryDiscovery d) {
      List<InMemoryDiscovery> others;
      synchronized (this) {
        if (!members.remove(d)) {
          return;
        }
        others = List.copyOf(members);
      }
      for (InMemoryDiscovery o : others) {
        o.context.lost(d.context.endpoint());
      }
    }
  }

  private final Registry registry;
  private volatile DiscoveryContext context;

  private InMemoryDiscovery(Registry registry) {
    this.registry = registry;
  }

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public void start(DiscoveryContext context) {
    this.context = context;
    registry.join(this);
  }

  @Override
  public void close() {
    if (context != null) {
      registry.leave(this);
    }
  }
}
