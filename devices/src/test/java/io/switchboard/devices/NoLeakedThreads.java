package io.switchboard.devices;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that leaves Switchboard threads (I/O, closing, device or worker threads) running after its
 * contexts and devices are closed. The socket module's tests have the same check; testkit cannot hold one shared copy
 * because its own tests use this module.
 */
final class NoLeakedThreads implements AfterAllCallback {
  @Override
  public void afterAll(ExtensionContext context) {
    await("Switchboard threads to stop").atMost(Duration.ofSeconds(10)).until(() -> live().isEmpty());
  }

  private static List<String> live() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith("switchboard-"))
        .collect(Collectors.toList());
  }
}
