/**
 * Devices: small programs made of sockets that sit between peers. {@link io.switchboard.socket.device.Proxy}
 * forwards between a frontend and a backend (ROUTER↔DEALER, XSUB↔XPUB, PULL→PUSH) with capture and steering; {@link
 * io.switchboard.socket.device.LoadBalancingBroker} hands each request to the least recently used ready worker; {@link
 * io.switchboard.socket.device.ReliableBroker} does the same with heartbeats, re-dispatch, graceful leaving and
 * deadlines, for {@link io.switchboard.socket.device.ReliableWorker}s and {@link
 * io.switchboard.socket.device.BrokerClient}s; {@link io.switchboard.socket.device.WorkerPool} supervises workers
 * that are processes or {@link io.switchboard.socket.device.ThreadWorker threads}; {@link
 * io.switchboard.socket.device.LazyPirateClient} retries a request on a fresh socket.
 *
 * <p>A device runs on a thread of its own and uses the sockets it is given; their owner closes them after the device
 * has stopped. See {@code docs/devices.md} for diagrams, guarantees and failure modes.
 */
package io.switchboard.socket.device;
