package io.switchboard.zmtp.leaks;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

class NettyLeakCheckTest {
  @Test
  void aBufferDroppedWithoutARelease() throws InterruptedException {
    NettyLeakCheck.collectLeaks(); // what earlier classes left is theirs
    dropUnreleased();
    assertThat(NettyLeakCheck.collectLeaks()).singleElement().asString().startsWith("ByteBuf leaked")
        .contains("dropUnreleased");
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
