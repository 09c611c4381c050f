package io.switchboard.dashboard.spi;

/**
 * One part of the dashboard's state: the bus node's channels and clients, the mesh's peers and links, the gateway's
 * services. The dashboard asks every section for a snapshot once per update (every second by default), puts each
 * under its name in one JSON document, and sends that to the page and to {@code /api/state}.
 *
 * <p>A layer that wants to be seen returns its own statistics, records or maps that Jackson can write, and the page
 * renders the names it knows ({@code node}, {@code mesh}, {@code services}; docs/observability.md gives each shape)
 * and shows any other as a table of its fields. Example, a layer with its own statistics and meters:
 *
 * <pre>{@code
 * DashboardServer.builder().node(node).section("services", gateway::statistics).meters(gatewayMeters).start();
 * }</pre>
 *
 * <p>Called on the dashboard's own thread, never concurrently with itself; it should take well under the update
 * interval. An exception it throws is logged, and the section shows its message until the next update.
 */
@FunctionalInterface
public interface DashboardSection {
  /** The section's current state, as an object Jackson can write (a record, a map, a list, a {@code JsonNode}). */
  Object snapshot();
}
