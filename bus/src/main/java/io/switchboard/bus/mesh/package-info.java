/**
 * The mesh: masterless {@link io.switchboard.bus.mesh.Peer}s with stable ids, one link per pair, kept peers
 * redialled, dead ones found by heartbeat; and the ways peers find each other ({@link
 * io.switchboard.bus.mesh.StaticDiscovery}, {@link io.switchboard.bus.mesh.MulticastDiscovery}, {@link
 * io.switchboard.bus.mesh.DnsDiscovery}, {@link io.switchboard.bus.mesh.InMemoryDiscovery}). Links speak ZMTP 3.1,
 * with CURVE when the mesh has keys. A bus node with a mesh carries its channels' events and requests across
 * machines; see docs/mesh.md.
 */
package io.switchboard.bus.mesh;
