/**
 * Micrometer meters for sockets: {@link io.switchboard.socket.metrics.SocketMetrics} binds one socket's counters
 * and queue depths to a registry. Needs {@code io.micrometer:micrometer-core}, which the socket module declares
 * optional; nothing else in the socket module uses Micrometer.
 */
package io.switchboard.socket.metrics;
