package io.switchboard.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerPoolTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final RestartPolicy FAST = new RestartPolicy(Duration.ofMillis(1), Duration.ofMillis(8), 3,
      Duration.ofSeconds(60));

  private final List<WorkerEvent> events = new CopyOnWriteArrayList<>();
  private WorkerPool pool;

  @AfterEach
  void close() {
    if (pool != null) {
      List<ProcessHandle> left = pool.processes();
      pool.close();
      assertThat(left).allSatisfy(p -> assertThat(p.isAlive()).as("pid %d stopped", p.pid()).isFalse());
    }
  }

  private WorkerPool.Builder builder(String... command) {
    return WorkerPool.builder(command)
        .output(ProcessBuilder.Redirect.DISCARD)
        .listener(events::add)
        .stopTimeout(Duration.ofSeconds(2));
  }

  private List<WorkerEvent> events(WorkerEvent.Type type) {
    return events.stream().filter(e -> e.type() == type).collect(Collectors.toList());
  }

  @Test
  void replacesAKilledWorkerInTheSameSlot() {
    pool = builder("sleep", "60").size(2).start();
    await().atMost(WAIT).until(() -> pool.processes().size() == 2);
    ProcessHandle victim = pool.processes().get(1);

    victim.destroyForcibly();

    await().atMost(WAIT).until(() -> events(WorkerEvent.Type.STARTED).size() == 3);
    WorkerEvent exited = events(WorkerEvent.Type.EXITED).get(0);
    assertThat(exited.slot()).isEqualTo(2);
    assertThat(exited.pid()).isEqualTo(victim.pid());
    assertThat(exited.exitStatus()).isEqualTo(137);
    assertThat(exited.delay()).isEqualTo(Duration.ofMillis(100));
    assertThat(exited.describe()).isEqualTo("worker 2 exited (status 137), restarting in 100 ms");
    WorkerEvent replacement = events(WorkerEvent.Type.STARTED).get(2);
    assertThat(replacement.slot()).isEqualTo(2);
    assertThat(replacement.pid()).isNotEqualTo(victim.pid());
    assertThat(replacement.describe()).isEqualTo("worker 2 started (pid " + replacement.pid() + ")");
    await().atMost(WAIT).until(() -> pool.processes().size() == 2);
    assertThat(pool.processes()).extracting(ProcessHandle::pid).doesNotContain(victim.pid());
  }

  @Test
  void backsOffThenGivesUpOnASlotThatKeepsFailing() {
    pool = builder("sh", "-c", "exit 3").restartPolicy(FAST).size(1).start();

    await().atMost(WAIT).until(() -> !events(WorkerEvent.Type.GAVE_UP).isEmpty());
    assertThat(events(WorkerEvent.Type.EXITED)).extracting(WorkerEvent::delay)
        .containsExactly(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(4));
    assertThat(events(WorkerEvent.Type.EXITED)).extracting(WorkerEvent::exitStatus).containsOnly(3);
    assertThat(events(WorkerEvent.Type.STARTED)).hasSize(4);
    assertThat(events(WorkerEvent.Type.GAVE_UP).get(0).describe())
        .isEqualTo("worker 1 exited (status 3); giving up on this slot after 3 restarts in 60 s");
    assertThat(pool.size()).isZero();

    pool.scale(1); // refills the slot it gave up on
    await().atMost(WAIT).until(() -> events(WorkerEvent.Type.STARTED).size() >= 5);
  }

  @Test
  void aCommandThatCannotStartIsRetriedThenGivenUp() {
    pool = builder("/nonexistent/switchboard-worker").restartPolicy(FAST).size(1).start();
    await().atMost(WAIT).until(() -> !events(WorkerEvent.Type.GAVE_UP).isEmpty());
    assertThat(events(WorkerEvent.Type.START_FAILED)).hasSize(3);
    assertThat(events(WorkerEvent.Type.GAVE_UP).get(0).describe()).startsWith("worker 1 could not start; giving up");
  }

  @Test
  void scalesUpAndDownAtRunTime() {
    pool = builder("sleep", "60").size(1).start();
    await().atMost(WAIT).until(() -> pool.processes().size() == 1);
    pool.scale(3);
    await().atMost(WAIT).until(() -> pool.processes().size() == 3);
    List<ProcessHandle> before = pool.processes();

    pool.scale(1);

    assertThat(pool.size()).isEqualTo(1);
    await().atMost(WAIT).until(() -> !before.get(1).isAlive() && !before.get(2).isAlive());
    await().atMost(WAIT).until(() -> events(WorkerEvent.Type.STOPPED).size() == 2);
    assertThat(events(WorkerEvent.Type.STOPPED)).extracting(WorkerEvent::slot).containsExactlyInAnyOrder(2, 3);
    assertThat(events(WorkerEvent.Type.EXITED)).as("stopped workers are not restarted").isEmpty();
    assertThat(pool.processes()).containsExactly(before.get(0));
  }

  @Test
  void workersGetTheEnvironmentAndCloseStopsThem(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    pool = builder("sh", "-c", "echo \"$SWITCHBOARD_BACKEND\" > \"$OUT\"; exec sleep 60")
        .environment("SWITCHBOARD_BACKEND", "ipc:///tmp/x.ipc")
        .environment("OUT", out.toString())
        .size(1)
        .start();
    await().atMost(WAIT).until(() -> Files.exists(out) && Files.size(out) > 0);
    assertThat(Files.readString(out, StandardCharsets.UTF_8)).isEqualTo("ipc:///tmp/x.ipc\n");
    List<ProcessHandle> running = pool.processes();

    pool.close();
    pool.close(); // idempotent

    assertThat(running).allSatisfy(p -> assertThat(p.isAlive()).isFalse());
    assertThat(events(WorkerEvent.Type.STOPPED)).hasSize(1);
    assertThat(events(WorkerEvent.Type.EXITED)).isEmpty();
    assertThatThrownBy(() -> pool.scale(2)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void validatesItsSettings() {
    assertThatThrownBy(() -> WorkerPool.builder(List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("command: [] (expected: ");
    assertThatThrownBy(() -> new RestartPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), 1,
        Duration.ofSeconds(1))).hasMessageStartingWith("maxDelay: PT1S (expected: at least initialDelay");
  }
}
