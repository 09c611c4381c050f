package io.switchboard.bench.jmh.jmh_generated;
public class ZmtpFrameCodecBenchmark_jmhType extends ZmtpFrameCodecBenchmark_jmhType_B3 {
}

