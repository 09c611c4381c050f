/**
 * The gateway: an HTTP/1.1 API in front of services that live on the bus.
 *
 * <p>A {@link io.switchboard.gateway.Service} is a name and a set of commands; a {@link
 * io.switchboard.gateway.ServiceHost} registers it on a bus node (several hosts of one service share its requests) and
 * optionally serves it as newline-delimited JSON on a TCP port. A {@link io.switchboard.gateway.ServiceClient} calls
 * services over the bus. A {@link io.switchboard.gateway.Gateway} maps HTTP routes ({@link
 * io.switchboard.gateway.GatewayConfig}) to service commands. See docs/gateway.md.
 */
package io.switchboard.gateway;
