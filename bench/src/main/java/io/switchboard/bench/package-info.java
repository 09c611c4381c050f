/**
 * Switchboard against JeroMQ, side by side.
 *
 * <p>{@link io.switchboard.bench.BenchRunner} is the entry point: it starts one child JVM per peer (two for tcp and
 * ipc, like libzmq's {@code local_thr}/{@code remote_thr}; one with two threads for inproc), reads each peer's
 * result from its standard output and prints one row per case with both libraries' figures. The peers
 * ({@code ThroughputPeer}, {@code LatencyPeer}) run the same code for both libraries through the small
 * {@code BenchContext}/{@code BenchSocket} adapter. The JMH microbenchmarks live in
 * {@link io.switchboard.bench.jmh}.
 */
package io.switchboard.bench;
