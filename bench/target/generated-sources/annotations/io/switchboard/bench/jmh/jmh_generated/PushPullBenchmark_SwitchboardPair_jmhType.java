package io.switchboard.bench.jmh.jmh_generated;
public class PushPullBenchmark_SwitchboardPair_jmhType extends PushPullBenchmark_SwitchboardPair_jmhType_B3 {
}

