/**
 * The mesh's plug-in point: {@link io.switchboard.bus.mesh.spi.Discovery}, how a peer finds others. The
 * implementations that come with Switchboard are in {@link io.switchboard.bus.mesh}: static lists, UDP multicast
 * (ZRE beacons), DNS (A and SRV records) and in-memory.
 */
package io.switchboard.bus.mesh.spi;
