/**
 * How a layer shows itself on the dashboard: {@link io.switchboard.dashboard.spi.DashboardSection}, a named
 * snapshot the page renders. Meters go through Micrometer's own {@code MeterBinder}.
 */
package io.switchboard.dashboard.spi;
