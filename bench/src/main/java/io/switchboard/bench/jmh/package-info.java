/**
 * JMH microbenchmarks: the cost and the allocation of one message through Switchboard (against JeroMQ), of the
 * hand-off from a sending thread through the pipe and event loop to a receiving thread, of subscription matching in
 * PUB's send, and of encoding and decoding one ZMTP frame.
 *
 * <p>Run them with the GC profiler to see allocation per message ({@code gc.alloc.rate.norm}, bytes per operation):
 *
 * <pre>
 * bench/run.sh jmh -prof gc PushPullBenchmark
 * java -cp bench/target/classes:$(cat bench/target/classpath.txt) org.openjdk.jmh.Main -prof gc ZmtpFrameCodec
 * </pre>
 */
package io.switchboard.bench.jmh;
