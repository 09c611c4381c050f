package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.bench.BusBenchCase.Kind;
import io.switchboard.bench.PeerSupport.PeerException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BusBenchTest {
  @Test
  void casesCoverBothSizesEveryListenerCountLatencyAndIdleClients() {
    List<BusBenchCase> cases = BusBenchCase.all(false, BusBenchCase.LISTENERS,
        BusBenchCase.idleClients(false, 0));

    assertThat(cases).extracting(BusBenchCase::name).containsExactly(
        "events 1:1 16B", "events 1:2 16B", "events 1:5 16B", "events 1:10 16B",
        "events 1:1 1KiB", "events 1:2 1KiB", "events 1:5 1KiB", "events 1:10 1KiB",
        "request/reply 16B", "request/reply 1KiB", "idle clients 10000");
    // Each listener gets every event: the per-listener count shrinks so that a run takes about as long.
    assertThat(cases.get(0).count()).isEqualTo(1_500_000);
    assertThat(cases.get(3).count()).isEqualTo(474_000);
    // As many events of warm-up as measured: a quarter left the nodes' C2 compilations inside the measured seconds.
    assertThat(cases.get(3).warmup()).isEqualTo(474_000);
    assertThat(BusBenchCase.all(true, new int[] {1}, 1).get(0).count()).isEqualTo(187_500);
    assertThat(cases.get(8).metrics()).containsExactly("p50", "p99");
    assertThat(cases.get(8).matches("request/reply 16B p99")).isTrue();
    assertThat(cases.get(0).matches("events 1:1 ")).isTrue();
    assertThat(cases.get(3).matches("events 1:1 ")).isFalse();
    assertThat(cases.get(10).matches("idle")).isTrue();
    assertThat(cases.get(10).metrics()).containsExactly("heap", "direct", "RSS");
    assertThat(cases.get(10).metricLabel(2)).isEqualTo("RSS KiB/client");
    assertThat(BusBenchCase.idleClients(true, 0)).isEqualTo(1_000);
    assertThat(BusBenchCase.idleClients(true, 500)).isEqualTo(500);
  }

  @Test
  void idleFiguresAreKibPerClientAndNatsHasOnlyAResidentSet() {
    BusBenchCase c = new BusBenchCase(Kind.IDLE, 0, 0, 1000, 0);

    Outcome node = BusBenchRunner.parseIdle(c, "rssBefore=1000000 heapBefore=2000000 directBefore=0 "
        + "rssAfter=21480000 heapAfter=12240000 directAfter=1024000", List.of());
    Outcome server = BusBenchRunner.parseIdle(c, "rssBefore=10000000 rssAfter=40720000", List.of());

    assertThat(node.values()).containsExactly(10.0, 1.0, 20.0);
    assertThat(server.value(0)).isNaN();
    assertThat(server.value(2)).isEqualTo(30.0);
    assertThat(BusReport.cell(c, server, 0, true)).isEqualTo("n/a");
    assertThat(BusReport.cell(c, node, 2, true)).isEqualTo("20.0");
    BusReport.Result result = new BusReport.Result(c, Map.of(BusSystem.SWITCHBOARD, node,
        BusSystem.NATS_GO, server, BusSystem.NATS_JNATS, server), 1);
    assertThat(BusReport.ratioValue(c, result, BusSystem.NATS_GO, 2)).isEqualTo(1.5);
    assertThat(BusReport.ratioValue(c, result, BusSystem.NATS_GO, 0)).isNaN();
  }

  @Test
  void eventsFigureIsEveryListenersEventsOverTheSlowestListenersTime() {
    BusBenchCase c = new BusBenchCase(Kind.EVENTS, 16, 2, 1000, 250);

    Outcome o = BusBenchRunner.parseResults(c, List.of(
        "received=1000 lost=0 nanos=1000000000 partial=false",
        "received=750 lost=250 nanos=2000000000 partial=false"), List.of());

    assertThat(o.value(0)).isEqualTo(875.0);
    assertThat(o.value(1)).isEqualTo(250.0 / 2500);
    assertThat(o.samples()).isEqualTo(1750);
    assertThat(o.warnings()).singleElement().asString().contains("250 of 2,500 events (10.00%)");
    assertThat(BusReport.cell(c, o, 0, true)).isEqualTo("875 (10.0% lost)");
  }

  @Test
  void requestsFigureIsP50AndP99InMicroseconds() {
    BusBenchCase c = new BusBenchCase(Kind.REQUESTS, 16, 1, 100, 10);

    Outcome o = BusBenchRunner.parseResults(c, List.of(
        "samples=100 p50=210500 p99=455000 p999=900000 mean=220000 max=990000 partial=false"), List.of());

    assertThat(o.values()).containsExactly(210.5, 455.0);
    assertThat(BusReport.ratioValue(c, new BusReport.Result(c, Map.of(
        BusSystem.SWITCHBOARD, o,
        BusSystem.NATS_GO, Outcome.measured(new double[] {421, 910}, false, 100, List.of()),
        BusSystem.NATS_JNATS, Outcome.notApplicable("left out")), 0), BusSystem.NATS_GO, 0)).isEqualTo(2.0);
  }

  @Test
  void natsServerPortIsReadFromItsLog() {
    assertThat(NatsServer.port("[10812] 2026/12/06 21:10:20.102155 [INF] Listening for client connections on "
        + "127.0.0.1:40335")).hasValue(40335);
    assertThat(NatsServer.port("[10812] 2026/12/06 21:10:20.102165 [INF] Server is ready")).isEmpty();
  }

  @Test
  void counterStopsAtTheMarkedLastEventAndCountsWhatWasLost() throws InterruptedException {
    EventCounter counter = new EventCounter(4, 2, 5);
    byte[] payload = ThroughputPeer.payload(4);
    for (int i = 0; i < 4; i++) {
      counter.onEvent(payload);
    }
    counter.onEvent(EventCounter.last(payload));
    counter.onEvent(payload);

    String result = counter.await(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5));

    assertThat(result).startsWith("received=3 lost=2 nanos=").endsWith(" partial=false");
  }

  @Test
  void counterEndsAfterAQuietSpellWhenTheLastEventWasDropped() throws InterruptedException {
    EventCounter counter = new EventCounter(4, 1, 5);
    byte[] payload = ThroughputPeer.payload(4);
    counter.onEvent(payload);
    counter.onEvent(payload);
    counter.onEvent(new byte[3]);

    String result = counter.await(Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofSeconds(5));

    assertThat(result).startsWith("received=1 lost=4 ");
  }

  @Test
  void counterFailsWhenNothingBeyondTheWarmUpArrived() {
    EventCounter counter = new EventCounter(4, 3, 5);
    counter.onEvent(ThroughputPeer.payload(4));

    assertThatThrownBy(() -> counter.await(Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofSeconds(5)))
        .isInstanceOf(PeerException.class)
        .hasMessage("only 1 of 8 events arrived (warm-up: 3)");
  }
}
