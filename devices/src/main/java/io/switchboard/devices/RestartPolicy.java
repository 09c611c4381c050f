package io.switchboard.devices;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link WorkerPool} replaces a worker that exited: after a delay that starts at {@code initialDelay} and
 * doubles on each restart up to {@code maxDelay}, and at most {@code maxRestarts} times in any {@code window}; one
 * more exit within the window gives up on that slot. The delay starts again from {@code initialDelay} once a worker
 * has run for a whole window.
 *
 * @param initialDelay the first delay (default 100 ms)
 * @param maxDelay the longest delay (default 5 s)
 * @param maxRestarts restarts allowed per slot within a window (default 10)
 * @param window the sliding window (default 60 s)
 */
public record RestartPolicy(Duration initialDelay, Duration maxDelay, int maxRestarts, Duration window) {
  /** 100 ms doubling to 5 s; at most 10 restarts per 60 s per slot. */
  public static final RestartPolicy DEFAULT =
      new RestartPolicy(Duration.ofMillis(100), Duration.ofSeconds(5), 10, Duration.ofSeconds(60));

  /**
   * Checks the fields.
   *
   * @throws IllegalArgumentException if a duration is negative, {@code maxDelay < initialDelay}, {@code maxRestarts
   *     < 0} or the window is not positive
   */
  public RestartPolicy {
    Objects.requireNonNull(initialDelay, "initialDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(window, "window");
    if (initialDelay.isNegative()) {
      throw new IllegalArgumentException("initialDelay: " + initialDelay + " (expected: >= 0)");
    }
    if (maxDelay.compareTo(initialDelay) < 0) {
      throw new IllegalArgumentException("maxDelay: " + maxDelay + " (expected: at least initialDelay "
          + initialDelay + ")");
    }
    if (maxRestarts < 0) {
      throw new IllegalArgumentException("maxRestarts: " + maxRestarts + " (expected: >= 0)");
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window: " + window + " (expected: > 0)");
    }
  }

  /** The delay after {@code previous}: doubled, at most {@link #maxDelay()}. */
  Duration next(Duration previous) {
    Duration doubled = previous.multipliedBy(2);
    return doubled.compareTo(maxDelay) > 0 ? maxDelay : doubled;
  }
}
