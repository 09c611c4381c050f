package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.bench.BenchCase.Pattern;
import io.switchboard.bench.BenchCase.Transport;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchCaseTest {
  @Test
  void everyCaseHasItsOwnNameAndTheMatrixKeepsItsNames() {
    List<BenchCase> cases = BenchCase.all(false);
    Set<String> names = new HashSet<>();
    for (BenchCase c : cases) {
      assertThat(names.add(c.name())).as(c.name()).isTrue();
      assertThat(c.count()).as(c.name()).isPositive();
      assertThat(c.warmup()).as(c.name()).isPositive();
    }
    assertThat(names).contains("push/pull tcp 16B", "pub/sub inproc 64KiB", "req/rep tcp 16B",
        "pub/sub 1:8 ipc 1MiB", "pub/sub 1:64 tcp 16B", "router/dealer 16:1 tcp 16B", "connections 10000 tcp 16B",
        "req/rep spin tcp 16B", "push/pull tcp 16B curve");
  }

  @Test
  void quickRunsTakeAnEighthOfTheMessages() {
    List<BenchCase> full = BenchCase.all(false);
    List<BenchCase> quick = BenchCase.all(true);
    assertThat(quick).hasSameSizeAs(full);
    for (int i = 0; i < full.size(); i++) {
      assertThat(quick.get(i).name()).isEqualTo(full.get(i).name());
      assertThat(quick.get(i).count()).isLessThan(full.get(i).count());
    }
  }

  @Test
  void throughputCasesWarmUpForTheirCountAndLargeMessagesOverTheNetworkForLonger() {
    assertThat(find("push/pull tcp 64KiB").warmup()).isEqualTo(BenchCase.LARGE_WARMUP);
    BenchCase huge = find("pub/sub 1:8 ipc 1MiB");
    assertThat(huge.warmup()).isEqualTo(huge.count());
    BenchCase inproc = find("push/pull inproc 64KiB");
    assertThat(inproc.warmup()).isEqualTo(inproc.count());
    BenchCase small = find("push/pull tcp 1KiB");
    assertThat(small.warmup()).isEqualTo(small.count());
    for (String sweep : new String[] {"pub/sub 1:64 tcp 16B", "connections 10000 tcp 16B"}) {
      assertThat(find(sweep).warmup()).as(sweep).isEqualTo(find(sweep).count());
    }
  }

  @Test
  void sweepsAreTheCasesBeyondTheMatrix() {
    assertThat(find("pub/sub 1:2 tcp 16B").isSweep()).isTrue();
    assertThat(find("router/dealer 1:1 tcp 16B").isSweep()).isTrue();
    assertThat(find("connections 1 tcp 16B").isSweep()).isTrue();
    assertThat(find("pub/sub 1:8 tcp 16B").isSweep()).isFalse();
    assertThat(find("pub/sub tcp 16B").isSweep()).isFalse();
    assertThat(find("req/rep spin tcp 16B").isSweep()).isFalse();
  }

  @Test
  void fanOutCapsTheHighWaterMarkToTheQueueBudget() {
    BenchCase oneToOne = new BenchCase(Pattern.PUB_SUB, Transport.TCP, 1 << 20, 10, 10);
    BenchCase eightLarge = new BenchCase(Pattern.PUB_SUB, Transport.TCP, 1 << 20, 10, 10, 8);
    BenchCase eightSmall = new BenchCase(Pattern.PUB_SUB, Transport.TCP, 16, 10, 10, 8);
    BenchCase eight64k = new BenchCase(Pattern.PUB_SUB, Transport.TCP, 64 << 10, 10, 10, 8);
    assertThat(oneToOne.highWaterMark(1000)).isEqualTo(BenchCase.LARGE_MESSAGE_HIGH_WATER_MARK);
    assertThat(eightLarge.highWaterMark(1000)).isEqualTo(16);
    assertThat(eightLarge.highWaterMark(0)).isEqualTo(16);
    assertThat(eight64k.highWaterMark(1000)).isEqualTo(256);
    assertThat(eightSmall.highWaterMark(1000)).isEqualTo(1000);
    // No limit asked (--hwm 0): the budget still bounds the fan-out.
    assertThat(eightSmall.highWaterMark(0)).isEqualTo((128 << 20) / (8 * 16));
    assertThat(new BenchCase(Pattern.PUB_SUB, Transport.TCP, 1 << 20, 10, 10, 1024).highWaterMark(1000))
        .isEqualTo(BenchCase.MIN_FAN_OUT_HIGH_WATER_MARK);
  }

  @Test
  void memoryRowsFromAThousandConnections() {
    BenchCase many = find("connections 10000 tcp 16B");
    assertThat(many.metrics()).containsExactly("msg/s", "RSS/conn", "heap+direct/conn");
    assertThat(many.lowerIsBetter(0)).isFalse();
    assertThat(many.lowerIsBetter(1)).isTrue();
    assertThat(many.unit(1)).isEqualTo("KiB");
    assertThat(find("connections 100 tcp 16B").metrics()).containsExactly("msg/s");
    assertThat(find("req/rep spin tcp 16B").rowLabel(1)).isEqualTo("req/rep spin tcp 16 B p99");
  }

  private static BenchCase find(String name) {
    return BenchCase.all(false).stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }
}
