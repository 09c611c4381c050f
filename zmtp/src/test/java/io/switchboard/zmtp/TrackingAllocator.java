package io.switchboard.zmtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * An unpooled allocator that remembers every buffer it hands out, so that a test can prove that nothing leaked: the
 * inputs it wrote, the decoders' cumulation buffers and the handlers' outbound buffers.
 */
final class TrackingAllocator extends AbstractByteBufAllocator {
  private final List<ByteBuf> allocated = new ArrayList<>();

  TrackingAllocator() {
    super(false);
  }

  /** A buffer holding a copy of {@code octets}. */
  ByteBuf copyOf(byte[] octets) {
    return buffer(octets.length).writeBytes(octets);
  }

  @Override
  protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
    return track(new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity));
  }

  @Override
  protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
    return track(new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity));
  }

  @Override
  public boolean isDirectBufferPooled() {
    return false;
  }

  private ByteBuf track(ByteBuf buf) {
    allocated.add(buf);
    return buf;
  }

  /** Fails unless every buffer this allocator made has been released. */
  void assertAllReleased() {
    assertThat(allocated).as("buffers allocated").isNotEmpty();
    for (ByteBuf buf : allocated) {
      assertThat(buf.refCnt()).as("refCnt of %s", buf).isZero();
    }
  }
}
