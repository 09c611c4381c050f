package io.switchboard.bus;

import io.switchboard.socket.SocketStatistics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of a node's counters, channels, clients and endpoints, from {@link BusNode#statistics()}.
 *
 * <p>The node keeps its counters in plain fields on its I/O thread (a shared atomic per event cost a tenth of its
 * time); a snapshot reads them from another thread, so it may lag the node by a few events. Counters only grow,
 * from the node's start; a channel's counters start over when a reload removes and re-adds it.
 *
 * @param nodeId the node's id
 * @param uptime how long the node has run
 * @param eventsIn events clients emitted to the node
 * @param eventsOut events the node delivered to clients (one per recipient)
 * @param dropped events and replies dropped for clients whose queue ({@code clientQueue}) was full: the node's
 *     action against a slow client
 * @param requests requests clients made
 * @param errors malformed or refused messages, answered with ERROR
 * @param channels every channel, in configuration order
 * @param clients every connected client
 * @param endpoints for each endpoint the node listens on, the statistics of its socket
 */
public record NodeStatistics(String nodeId, Duration uptime, long eventsIn, long eventsOut, long dropped,
    long requests, long errors, List<ChannelStatistics> channels, List<ClientStatistics> clients,
    Map<String, SocketStatistics> endpoints) {

  /**
   * One channel.
   *
   * @param name its name
   * @param clients the ids of the clients that joined it
   * @param eventsIn events emitted on it
   * @param eventsOut its events delivered to its members (one per recipient)
   * @param dropped its events dropped for members whose queue was full
   * @param propagateTo the channels its events are copied to
   * @param trace whether its events are printed by the node
   */
  public record ChannelStatistics(String name, List<String> clients, long eventsIn, long eventsOut, long dropped,
      List<String> propagateTo, boolean trace) {}

  /**
   * One connected client.
   *
   * @param id its id (the name it said HELLO with, or its routing id)
   * @param address where it connected from ({@code local} for ipc)
   * @param endpoint the node endpoint it connected to
   * @param connectedAt when it connected
   * @param channels the channels it joined
   * @param eventsIn events it emitted
   * @param eventsOut events delivered to it
   * @param dropped events dropped for it because its queue was full
   */
  public record ClientStatistics(String id, String address, String endpoint, Instant connectedAt,
      List<String> channels, long eventsIn, long eventsOut, long dropped) {}
}
