/**
 * The bus: a node ({@link io.switchboard.bus.BusNode}) with named channels and propagation rules, and clients
 * ({@link io.switchboard.bus.BusClient}) that join channels over one connection, emit and listen to events, and make
 * and answer requests. Every link is ZMTP; docs/protocol.md is the client-node wire.
 */
package io.switchboard.bus;
