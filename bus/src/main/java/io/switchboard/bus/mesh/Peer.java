package io.switchboard.bus.mesh;

import io.netty.channel.EventLoopGroup;
import io.switchboard.bus.mesh.internal.PeerCore;
import io.switchboard.socket.Message;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * A masterless peer: one of many identical nodes, none a client or a server, that dial each other over tcp and keep
 * exactly one link per pair.
 *
 * <pre>{@code
 * try (Peer a = Peer.start(PeerConfig.builder().id("a").build());
 *      Peer b = Peer.start(PeerConfig.builder().id("b").build())) {
 *   b.addListener(new PeerListener() {
 *     public void onMessage(String from, Message m) { System.out.println(from + ": " + m.firstString()); }
 *   });
 *   String id = a.connect(b.info()).join();          // "b"
 *   a.send(id, Message.of("hello"));                  // b prints "a: hello"
 * }
 * }</pre>
 *
 * <p><b>Ids.</b> Each peer has a stable id: configured, or generated once and kept in its data directory ({@link
 * PeerConfig#defaultDataDirectory()}), so that a restarted peer is the same peer to the others.
 *
 * <p><b>One link per pair.</b> When two peers dial each other at the same moment, both keep the link dialled by the
 * peer with the smaller id and drop the other. Every message carries a sequence number and waits until the other
 * side acknowledges it, so nothing is lost or delivered twice while the extra link goes, or while a kept peer is
 * redialled.
 *
 * <p><b>Keeping.</b> A kept peer ({@link #keep}, or {@code connect(uri, true)}, or one a discovery found) is
 * redialled after its link is lost, with a delay that doubles per failure (with jitter) up to {@link
 * PeerConfig#reconnectIntervalMax()}, until it is back or {@link PeerConfig#reconnectLimit()} failures; meanwhile
 * messages to it wait, up to {@link PeerConfig#highWaterMark()}. A peer not kept is forgotten when its link goes. A
 * dead peer is found by heartbeats: a link silent for {@link PeerConfig#heartbeatTimeout()} is closed.
 *
 * <p><b>Threads.</b> Every method is thread-safe. Listeners run on the peer's I/O thread and must not block.
 */
public final class Peer implements AutoCloseable {
  private final PeerCore core;

  private Peer(PeerCore core) {
    this.core = core;
  }

  /**
   * Starts a peer on an I/O thread of its own: listens, then starts the configured discoveries.
   *
   * @throws io.switchboard.bus.BusException if the endpoint cannot be bound or the id cannot be read or kept
   */
  public static Peer start(PeerConfig config, PeerListener... listeners) {
    return new Peer(PeerCore.start(config, null, List.of(listeners)));
  }

  /**
   * Starts a peer on I/O threads it shares (a bus node's): its listeners then run on the same thread as whatever
   * else runs there. The group's owner shuts it down; {@link #close()} does not.
   */
  public static Peer start(PeerConfig config, EventLoopGroup group, PeerListener... listeners) {
    return new Peer(PeerCore.start(config, group, List.of(listeners)));
  }

  /** This peer's id. */
  public String id() {
    return core.id();
  }

  /** This peer's id as a UUID, as its beacons carry it: the id if it is a UUID, else one derived from it. */
  public UUID uuid() {
    return core.uuid();
  }

  /** The endpoint others can dial to reach this peer, {@code tcp://HOST:PORT}; never a wildcard host. */
  public String info() {
    return core.endpoint();
  }

  /** Adds a listener; it hears of what happens from now on. */
  public void addListener(PeerListener listener) {
    core.addListener(listener);
  }

  public void removeListener(PeerListener listener) {
    core.removeListener(listener);
  }

  /**
   * Dials a peer without keeping it; see {@link #connect(String, boolean)}.
   */
  public CompletableFuture<String> connect(String uri) {
    return core.connect(uri, false);
  }

  /**
   * Dials {@code uri} (retrying with backoff until a peer answers, or {@link PeerConfig#reconnectLimit()} failures)
   * and completes with the id of the peer there. Dialling a peer already linked completes at once; a crossing dial
   * is resolved to one link.
   *
   * @param keep whether to keep the peer (redial it when its link is lost)
   * @throws io.switchboard.bus.BusException if {@code uri} is not a {@code tcp://HOST:PORT} endpoint
   */
  public CompletableFuture<String> connect(String uri, boolean keep) {
    return core.connect(uri, keep);
  }

  /** Closes the link to a peer and forgets it (it is no longer kept). */
  public void disconnect(String peerId) {
    core.disconnect(peerId);
  }

  /**
   * Keeps a peer (redials it when its link is lost) or stops keeping it.
   *
   * @return whether the peer is known
   */
  public boolean keep(String peerId, boolean keep) {
    return core.keep(peerId, keep);
  }

  /** The peers this one knows: linked, or kept and being redialled, sorted by id. */
  public List<PeerInfo> connections() {
    return core.connections();
  }

  /**
   * Queues a message for a peer, without waiting.
   *
   * @return whether it was accepted: false if the peer is unknown or its queue is at the high-water mark
   */
  public boolean send(String peerId, Message message) {
    return core.send(peerId, message.frames().toArray(new byte[0][]));
  }

  /**
   * Queues one message for many peers, its frames shared by reference (encoded once, by the caller, for all).
   *
   * @return how many peers accepted it
   */
  public int send(Collection<String> peerIds, Message message) {
    return core.send(peerIds, message.frames().toArray(new byte[0][]));
  }

  /** Closes every link, stops the discoveries and dialers. Idempotent; returns within about two seconds. */
  @Override
  public void close() {
    core.close();
  }

  @Override
  public String toString() {
    return "Peer[" + id() + " " + info() + "]";
  }
}
