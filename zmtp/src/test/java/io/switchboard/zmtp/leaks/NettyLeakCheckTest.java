package io.switchboard.zmtp.leaks;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;

class NettyLeakCheckTest {
  @Test
  void aBufferDroppedWithoutARelease() throws InterruptedException {
    NettyLeakCheck.collectLeaks(); // what earlier classes left is theirs
    dropUnreleased();
    // The collector clears the sentinel and the buffer's tracker in one collection, but the JVM's reference handler
    // may enqueue the tracker after the sentinel: a leak can come one look later, so look a few times.
    List<String> leaks = NettyLeakCheck.collectLeaks();
    for (int look = 1; look < 5 && leaks.isEmpty(); look++) {
      leaks = NettyLeakCheck.collectLeaks();
    }
    assertThat(leaks).singleElement().asString().startsWith("ByteBuf leaked").contains("dropUnreleased");
  }

  @Test
  void aReleasedBufferIsNoLeak() throws InterruptedException {
    NettyLeakCheck.collectLeaks();
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(16);
    buf.writeLong(1);
    buf.release();
    assertThat(NettyLeakCheck.collectLeaks()).isEmpty();
  }

  private static void dropUnreleased() {
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(16);
    buf.writeLong(42);
  }
}
