package io.switchboard.socket.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
  private final RoutingTable table = new RoutingTable();

  @Test
  void anIdRoutesToItsPipeByItsOctetsNotItsArray() {
    Pipe a = new StubPipe();
    assertThat(table.get(new byte[] {1, 2})).isNull();
    assertThat(table.putIfAbsent(new byte[] {1, 2}, a)).isTrue();
    assertThat(table.get(new byte[] {1, 2})).isSameAs(a);
    assertThat(table.get(new byte[] {1})).isNull();
    assertThat(table.get(new byte[0])).isNull();
  }

  @Test
  void aTakenIdIsRefusedAndRemovalNeedsTheRightPipe() {
    Pipe a = new StubPipe();
    Pipe b = new StubPipe();
    assertThat(table.putIfAbsent(id(7), a)).isTrue();
    assertThat(table.putIfAbsent(id(7), b)).isFalse();
    assertThat(table.remove(id(7), b)).as("another pipe's route").isFalse();
    assertThat(table.get(id(7))).isSameAs(a);
    assertThat(table.remove(id(7), a)).isTrue();
    assertThat(table.get(id(7))).isNull();
    assertThat(table.putIfAbsent(id(7), b)).isTrue();
    assertThat(table.get(id(7))).isSameAs(b);
  }

  @Test
  void thousandsOfIdsGrowTheTableAndSurviveRemovalsAroundThem() {
    List<Pipe> pipes = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      Pipe p = new StubPipe();
      pipes.add(p);
      assertThat(table.putIfAbsent(id(i), p)).isTrue();
    }
    for (int i = 0; i < 5000; i += 2) {
      assertThat(table.remove(id(i), pipes.get(i))).isTrue();
    }
    for (int i = 0; i < 5000; i++) {
      assertThat(table.get(id(i))).as("id %d", i).isSameAs(i % 2 == 0 ? null : pipes.get(i));
    }
  }

  @Test
  void countedIdsSpreadOverTheTable() {
    java.util.Set<Integer> slots = new java.util.HashSet<>();
    for (int i = 0; i < 4096; i++) {
      slots.add(RoutingTable.hash(id(i)) & 8191);
    }
    // Uniform hashing fills about 3,200 of 8,192 slots with 4,096 ids; Arrays.hashCode fills under 1,000.
    assertThat(slots).hasSizeGreaterThan(3000);
  }

  private static byte[] id(int n) {
    return ByteBuffer.allocate(5).put((byte) 0).putInt(n).array();
  }

  /** A pipe that does nothing: the table only keeps references to pipes. */
  private static final class StubPipe extends Pipe {
    StubPipe() {
      super(null);
    }

    @Override boolean offer(Object message) {
      return false;
    }

    @Override boolean hasRoom() {
      return false;
    }

    @Override void sendSubscription(byte[] topic, boolean subscribe) {}

    @Override void clearSubscriptions() {}

    @Override void consumed() {}

    @Override int queued() {
      return 0;
    }

    @Override boolean isIdle() {
      return true;
    }

    @Override boolean isAttached() {
      return true;
    }

    @Override void close() {}

    @Override String endpoint() {
      return "stub";
    }
  }
}
