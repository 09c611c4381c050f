/**
 * The node's HTTP port: {@link io.switchboard.dashboard.DashboardServer} serves Prometheus metrics at {@code
 * /metrics}, a live dashboard page at {@code /} (updated by server-sent events; every asset comes from the jar, no
 * CDN) and its state as JSON at {@code /api/state}. Layers show themselves through {@link
 * io.switchboard.dashboard.spi.DashboardSection} and Micrometer {@code MeterBinder}s. See docs/observability.md.
 */
package io.switchboard.dashboard;
