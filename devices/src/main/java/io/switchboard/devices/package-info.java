/**
 * Devices: small programs made of sockets that sit between peers, built on the public socket API alone. {@link
 * io.switchboard.devices.Proxy} forwards between a frontend and a backend (ROUTER↔DEALER, XSUB↔XPUB, PULL→PUSH) with
 * capture and steering; {@link io.switchboard.devices.LoadBalancingBroker} hands each request to the least recently
 * used ready worker; {@link io.switchboard.devices.ReliableBroker} does the same with heartbeats, re-dispatch,
 * graceful leaving and deadlines, for {@link io.switchboard.devices.ReliableWorker}s and {@link
 * io.switchboard.devices.BrokerClient}s; {@link io.switchboard.devices.WorkerPool} supervises workers that are
 * processes or {@link io.switchboard.devices.ThreadWorker threads}; {@link io.switchboard.devices.LazyPirateClient}
 * retries a request on a fresh socket.
 *
 * <p>A device runs on a thread of its own and uses the sockets it is given; their owner closes them after the device
 * has stopped. See {@code docs/devices.md} for diagrams, guarantees and failure modes.
 */
package io.switchboard.devices;
