package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GatewayBenchRunnerTest {
  @Test
  void readsWrksLatencyDistributionAndRate() {
    String output = """
        Running 10s test @ http://127.0.0.1:43211/hello
          2 threads and 64 connections
          Thread Stats   Avg      Stdev     Max   +/- Stdev
            Latency     1.10ms  612.31us  18.04ms   88.12%
            Req/Sec    29.87k     2.01k   33.10k    71.00%
          Latency Distribution
             50%  850.00us
             75%    1.20ms
             90%    1.81ms
             99%    4.10ms
          594512 requests in 10.00s, 98.10MB read
          Non-2xx or 3xx responses: 12
        Requests/sec:  59451.20
        Transfer/sec:      9.81MB
        """;
    GatewayBenchRunner.Row row = GatewayBenchRunner.parseWrk("x", output);
    assertThat(row.rps()).isEqualTo(59451.20);
    assertThat(row.p50Ms()).isEqualTo(0.85, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(row.p99Ms()).isEqualTo(4.10);
    assertThat(row.note()).isEqualTo("Non-2xx or 3xx responses: 12");
    GatewayBenchRunner.Row slow = GatewayBenchRunner.parseWrk("y", "     50%    1.02s\n     99%    2.00s\n");
    assertThat(slow.p50Ms()).isEqualTo(1020.0);
    assertThat(slow.rps()).isNaN();
  }

  @Test
  void combinesRoundsIntoMediansAndKeepsEachDistinctNote() {
    GatewayBenchRunner.Row row = GatewayBenchRunner.median(java.util.List.of(
        new GatewayBenchRunner.Row("gw", 60_000, 0.9, 4.0, ""),
        new GatewayBenchRunner.Row("gw", 50_000, 1.1, 5.0, "Socket errors: 1"),
        new GatewayBenchRunner.Row("gw", 70_000, 0.8, 3.0, "Socket errors: 1")));
    assertThat(row.rps()).isEqualTo(60_000);
    assertThat(row.p50Ms()).isEqualTo(0.9);
    assertThat(row.p99Ms()).isEqualTo(4.0);
    assertThat(row.note()).isEqualTo("Socket errors: 1");
    GatewayBenchRunner.Row nginx = GatewayBenchRunner.Row.missing("nginx", "nginx missing");
    GatewayBenchRunner.Row missing = GatewayBenchRunner.median(java.util.List.of(nginx, nginx));
    assertThat(missing.rps()).isNaN();
    assertThat(missing.note()).isEqualTo("nginx missing");
  }
}
