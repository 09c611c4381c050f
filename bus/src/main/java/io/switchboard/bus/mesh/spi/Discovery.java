package io.switchboard.bus.mesh.spi;

/**
 * A way for a peer to find others: a static list, beacons, DNS records, a registry. The peer starts each of its
 * discoveries once it listens, and closes them when it closes.
 *
 * <p>An implementation reports what it finds to its {@link DiscoveryContext}: {@link DiscoveryContext#found} for an
 * endpoint worth dialling (the peer dials it, keeps it, and ignores repeats and its own endpoint), and {@link
 * DiscoveryContext#lost} when it learns the peer there has gone. Both may be called from any thread, at any time
 * until {@link #close()} returns.
 */
public interface Discovery extends AutoCloseable {
  /** A short name for logs and {@code ctl peers}: {@code static}, {@code multicast}, {@code dns}, {@code memory}. */
  String name();

  /**
   * Starts finding peers. Called once.
   *
   * @throws RuntimeException if the discovery cannot start (a socket that cannot be bound); the peer fails to start
   */
  void start(DiscoveryContext context);

  /** Stops: no more reports after this returns. Idempotent. */
  @Override
  void close();
}
