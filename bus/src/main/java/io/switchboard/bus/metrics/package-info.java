/**
 * Micrometer meters for a bus node: {@link io.switchboard.bus.metrics.NodeMetrics}. Needs {@code
 * io.micrometer:micrometer-core}, which the bus module declares optional. Later layers (the mesh, the gateway)
 * follow the same pattern: a {@code MeterBinder} per layer, reading counters the layer keeps anyway.
 */
package io.switchboard.bus.metrics;
