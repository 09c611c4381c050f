package io.switchboard.bench.jmh.jmh_generated;
public class PushPullBenchmark_jmhType extends PushPullBenchmark_jmhType_B3 {
}

