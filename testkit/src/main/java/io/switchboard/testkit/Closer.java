package io.switchboard.testkit;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a test opened, to be closed after it, last opened first. A test holds one in a field that JUnit closes after
 * each test, and adds each node, client or server as it makes it:
 *
 * <pre>
 * {@literal @}AutoClose private final Closer closer = new Closer();
 *
 * private BusNode node(NodeConfig config) {
 *   return closer.add(BusNode.start(config, line -&gt; { }));
 * }
 * </pre>
 *
 * <p>JUnit closes {@code @AutoClose} instance fields after the test's {@code @AfterEach} methods and before its
 * {@code @TempDir} directories are deleted; a class-level {@code AfterAllCallback} runs after that.
 *
 * <p>Thread-safe: resources may be added from any thread. A {@code Closer} can be closed more than once; each close
 * closes what was added since the last one.
 */
@SuppressWarnings("try") // close() passes on whatever an added resource throws, InterruptedException included
public final class Closer implements AutoCloseable {
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();

  /** Makes an empty closer. */
  public Closer() {}

  /**
   * Adds a resource to close, before every resource added earlier.
   *
   * @param resource what to close; not null
   * @param <T> the resource's type
   * @return {@code resource}, so that it can be added where it is made
   * @throws NullPointerException if {@code resource} is null
   */
  public synchronized <T extends AutoCloseable> T add(T resource) {
    if (resource == null) {
      throw new NullPointerException("resource");
    }
    resources.push(resource);
    return resource;
  }

  /**
   * Forgets a resource that the test closes itself, so that it is not closed again.
   *
   * @param resource a resource that was added (compared by identity)
   * @return whether it had been added and was not yet closed
   */
  public synchronized boolean remove(AutoCloseable resource) {
    return resources.removeIf(r -> r == resource);
  }

  /**
   * Closes every resource added, the last added first. Each is closed even if one before it fails.
   *
   * @throws Exception the first failure, with any later ones as {@linkplain Throwable#getSuppressed() suppressed}
   */
  @Override
  public void close() throws Exception {
    Throwable failure = null;
    for (AutoCloseable resource = next(); resource != null; resource = next()) {
      try {
        resource.close();
      } catch (Throwable t) {
        if (failure == null) {
          failure = t;
        } else if (failure != t) {
          failure.addSuppressed(t);
        }
      }
    }
    if (failure instanceof Error e) {
      throw e;
    }
    if (failure != null) {
      throw failure instanceof Exception e ? e : new Exception(failure);
    }
  }

  private synchronized AutoCloseable next() {
    return resources.poll();
  }
}
