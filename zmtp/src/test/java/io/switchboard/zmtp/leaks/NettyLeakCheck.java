package io.switchboard.zmtp.leaks;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class after which Netty reports a leaked buffer. It runs Netty's leak detector at its PARANOID level,
 * tracking every buffer, and collects what it reports instead of only logging it. This module's test jar registers
 * it ({@code META-INF/services}) for every test class of the modules that put that jar on their test class path and
 * turn extension autodetection on ({@code junit.jupiter.extensions.autodetection.enabled} in their {@code
 * junit-platform.properties}): zmtp, socket, devices, testkit, bus and gateway.
 *
 * <p>Netty finds a leak when the garbage collector clears a buffer that was never released, and reports it at the next
 * buffer it tracks. After each class, this collects garbage, waits until a sentinel weak reference of the same
 * collection has been enqueued (so that the buffers' trackers have been too), allocates one buffer so that the
 * detector looks, and fails with what it reported. A leak is found after the class whose garbage held the buffer,
 * which is the class that leaked it or, if the collector missed it then, a later one.
 */
public final class NettyLeakCheck implements AfterAllCallback {
  private static final List<String> LEAKS = new ArrayList<>();

  static {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
      @Override
      @SuppressWarnings("deprecation")
      public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
          long maxActive) {
        return new ResourceLeakDetector<>(resource, samplingInterval) {
          @Override
          protected void reportTracedLeak(String resourceType, String records) {
            super.reportTracedLeak(resourceType, records);
            record(resourceType + " leaked:" + records);
          }

          @Override
          protected void reportUntracedLeak(String resourceType) {
            super.reportUntracedLeak(resourceType);
            record(resourceType + " leaked (no records)");
          }
        };
      }
    });
  }

  private static void record(String leak) {
    synchronized (LEAKS) {
      LEAKS.add(leak);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    assertThat(collectLeaks()).as("Netty buffers leaked (found after %s)", context.getDisplayName()).isEmpty();
  }

  /** Collects garbage, lets Netty look for leaks, and returns (and forgets) what it reported since the last call. */
  public static List<String> collectLeaks() throws InterruptedException {
    ReferenceQueue<Object> queue = new ReferenceQueue<>();
    WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
    System.gc();
    assertThat(queue.remove(TimeUnit.SECONDS.toMillis(10))).as("the collector cleared the sentinel").isSameAs(sentinel);
    ByteBufAllocator.DEFAULT.buffer(1).release();
    synchronized (LEAKS) {
      List<String> leaks = List.copyOf(LEAKS);
      LEAKS.clear();
      return leaks;
    }
  }
}
