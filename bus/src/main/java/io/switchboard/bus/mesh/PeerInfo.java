package io.switchboard.bus.mesh;

import java.time.Duration;

/**
 * A snapshot of what a peer knows of another.
 *
 * @param id the other peer's id
 * @param endpoint where it listens (as it announced), or where it was dialled
 * @param state its link's state
 * @param kept whether it is redialled when its link is lost
 * @param links live links to it (1 in steady state; 2 for the moment a crossing dial is being dropped)
 * @param sent messages accepted for it
 * @param received messages delivered from it
 * @param queued messages waiting for it: unsent, or sent and not yet acknowledged
 * @param dropped messages refused because {@link #queued} was at a high-water mark (in messages or octets)
 * @param duplicates messages that arrived twice (after a link change) and were delivered once
 * @param reconnects links it lost and got back
 * @param roundTrip the last heartbeat's round trip on the link in use (PING to PONG); {@code null} without a link or
 *     before the first PONG
 */
public record PeerInfo(String id, String endpoint, State state, boolean kept, int links, long sent, long received,
    long queued, long dropped, long duplicates, long reconnects, Duration roundTrip) {
  /** The state of the link to a peer. */
  public enum State {
    /** A link is up. */
    CONNECTED,
    /** No link; the peer is kept and being redialled. */
    RECONNECTING,
    /** No link, and none will be dialled. */
    DISCONNECTED
  }
}
