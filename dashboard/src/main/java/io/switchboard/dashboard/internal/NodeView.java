package io.switchboard.dashboard.internal;

import io.switchboard.bus.BusNode;
import io.switchboard.bus.NodeStatistics;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code node} section: a bus node's statistics as the page reads them. Rates are the page's to work out, from
 * the counters of two updates.
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
}
