package io.switchboard.dashboard.internal;

import io.switchboard.bus.BusNode;
import io.switchboard.bus.NodeStatistics;
import io.switchboard.bus.mesh.PeerInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code node} and {@code mesh} sections: a bus node's statistics and its mesh peers as the page reads them.
 * Rates are the page's to work out, from the counters of two updates.
 */
public final class NodeView {
  private final BusNode node;

  public NodeView(BusNode node) {
    this.node = node;
  }

  /** The node's id, endpoints, uptime, counters, channels and clients. */
  public Object snapshot() {
    NodeStatistics s = node.statistics();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", s.nodeId());
    out.put("endpoints", s.endpoints().keySet());
    out.put("uptimeSeconds", s.uptime().toSeconds());
    out.put("eventsIn", s.eventsIn());
    out.put("eventsOut", s.eventsOut());
    out.put("dropped", s.dropped());
    out.put("requests", s.requests());
    out.put("errors", s.errors());
    out.put("channels", s.channels());
    out.put("clients", s.clients());
    out.put("sockets", s.endpoints());
    return out;
  }

  /** This node and its peers: id, state, endpoint, counters, and the last heartbeat's round trip in milliseconds. */
  public Object mesh() {
    List<Map<String, Object>> peers = new ArrayList<>();
    for (PeerInfo p : node.peers()) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("id", p.id());
      out.put("state", p.state().name().toLowerCase(Locale.ROOT));
      out.put("endpoint", p.endpoint());
      out.put("sent", p.sent());
      out.put("received", p.received());
      out.put("queued", p.queued());
      out.put("dropped", p.dropped());
      if (p.roundTrip() != null) {
        out.put("rttMillis", Math.round(p.roundTrip().toNanos() / 1e4) / 100.0);
      }
      peers.add(out);
    }
    return Map.of("self", node.id(), "peers", peers);
  }
}
