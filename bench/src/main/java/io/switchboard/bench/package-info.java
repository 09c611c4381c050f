/**
 * Switchboard against JeroMQ and libzmq, side by side.
 *
 * <p>{@link io.switchboard.bench.BenchRunner} is the entry point: it starts one child process per peer (two for tcp
 * and ipc, like libzmq's {@code local_thr}/{@code remote_thr}; one with two threads for inproc), reads each peer's
 * result from its standard output and prints one row per case with the three libraries' figures. The Java peers
 * ({@code ThroughputPeer}, {@code LatencyPeer}, {@code RouterDealerPeer}) run the same code for Switchboard and
 * JeroMQ through the small {@code BenchContext}/{@code BenchSocket} adapter; libzmq's peer is a C program ({@code bench/src/main/c/zmq_peer.c},
 * built by {@code ZmqPeer}) with the same arguments and protocol; {@code IdleConnections}, the idle side of the
 * connections sweep, is the same plain program for all three. The JMH microbenchmarks live in
 * {@link io.switchboard.bench.jmh}.
 *
 * <p>{@link io.switchboard.bench.BusBenchRunner} compares Switchboard's bus with NATS the same way: a node ({@code
 * BusPeer}) or a nats-server ({@code NatsServer}) per measurement, and client processes, {@code BusPeer}, {@code
 * JnatsPeer} or NATS's Go client's peer ({@code bench/src/main/go/nats_peer.go}, built by {@code NatsGoPeer}), with the
 * same arguments and line protocol. Its idle case holds thousands of clients in one process, {@code IdleBusClients}
 * (DEALER sockets from one context) or {@code IdleNatsClients} (the NATS protocol by hand), and measures the node's or
 * the server's memory.
 */
package io.switchboard.bench;
