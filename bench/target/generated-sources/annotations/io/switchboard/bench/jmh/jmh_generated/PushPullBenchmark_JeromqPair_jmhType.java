package io.switchboard.bench.jmh.jmh_generated;
public class PushPullBenchmark_JeromqPair_jmhType extends PushPullBenchmark_JeromqPair_jmhType_B3 {
}

