package io.switchboard.bus.mesh.spi;

import java.util.UUID;

/** What a {@link Discovery} knows of the peer it runs for, and where it reports. Thread-safe. */
public interface DiscoveryContext {
  /** The peer's id. */
  String peerId();

  /** The peer's id as a UUID, for beacons that carry one (ZRE): the id itself if it is one, else derived from it. */
  UUID uuid();

  /** The endpoint others dial to reach the peer, {@code tcp://HOST:PORT}, never a wildcard host. */
  String endpoint();

  /** The port of {@link #endpoint()}. */
  int port();

  /** Reports a peer's endpoint, {@code tcp://HOST:PORT}: the peer dials it and keeps the peer it finds there. */
  void found(String endpoint);

  /** Reports that the peer at an endpoint has left: it is no longer kept, and its link is closed. */
  void lost(String endpoint);
}
