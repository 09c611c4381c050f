package io.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.devices.BrokerClient;
import io.switchboard.devices.ReliableBroker;
import io.switchboard.devices.ReliableWorker;
import io.switchboard.devices.WorkerPool;
import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test: worker processes (a {@link WorkerPool} of JVMs running {@link Worker}) behind a {@link
 * ReliableBroker}; under load from 4 {@link BrokerClient}s with 1000 requests in flight, one worker is killed with
 * SIGKILL: every request still gets exactly one reply at its client, the pool and the broker are back to N workers,
 * and the test prints how many requests ran twice (counted from the workers' run logs).
 */
class ReliableBrokerIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Duration INTERVAL = Duration.ofMillis(200);
  private static final int POOL = 3;
  private static final int CLIENTS = 4;
  private static final int PER_CLIENT = 250;

  @TempDir Path runLog;

  /** A worker process: serves requests for the broker at {@code SWITCHBOARD_BACKEND}, logging each run first. */
  public static final class Worker {
    private Worker() {}

    public static void main(String[] args) throws Exception {
      String pid = Long.toString(ProcessHandle.current().pid());
      Path log = Path.of(System.getenv("SWITCHBOARD_RUNLOG"), pid + ".log");
      try (Context context = new Context();
           Writer writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
               StandardOpenOption.APPEND);
           ReliableWorker worker = ReliableWorker.builder(context, System.getenv("SWITCHBOARD_BACKEND"), request -> {
             try {
               writer.write(request.firstString() + "\n");
               writer.flush(); // in the OS before the reply exists, so a SIGKILL cannot hide a run
               TimeUnit.MILLISECONDS.sleep(5); // simulated work
             } catch (IOException e) {
               throw new UncheckedIOException(e);
             } catch (InterruptedException e) {
               Thread.currentThread().interrupt();
               throw new IllegalStateException("interrupted");
             }
             return Message.of("done " + request.firstString(), pid);
           }).heartbeatInterval(INTERVAL).reconnectDelay(INTERVAL).start()) {
        while (worker.isRunning()) {
          TimeUnit.SECONDS.sleep(1); // serve until killed
        }
      }
    }
  }

  @Test
  void everyRequestGetsExactlyOneReplyWhenAWorkerProcessIsKilled() throws Exception {
    try (Context context = new Context(2)) {
      Socket frontend = context.socket(SocketType.ROUTER, SocketOptions.builder().highWaterMark(10_000).build());
      Socket backend = context.socket(SocketType.ROUTER, SocketOptions.builder().routerMandatory(true).build());
      String clientEndpoint = frontend.bind("tcp://127.0.0.1:*");
      String workerEndpoint = backend.bind("tcp://127.0.0.1:*");
      ReliableBroker broker = ReliableBroker.builder(frontend, backend)
          .heartbeatInterval(INTERVAL).liveness(3).requestTimeout(WAIT).start();
      String java = ProcessHandle.current().info().command().orElse("java");
      try (WorkerPool pool = WorkerPool.builder(java, "-cp", System.getProperty("java.class.path"),
              Worker.class.getName())
          .environment("SWITCHBOARD_BACKEND", workerEndpoint)
          .environment("SWITCHBOARD_RUNLOG", runLog.toString())
          .size(POOL)
          .listener(event -> System.out.println(event.describe()))
          .start()) {
        await().atMost(WAIT).until(() -> broker.workers() == POOL);

        List<BrokerClient> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
          clients.add(BrokerClient.builder(context, clientEndpoint).brokerTimeout(WAIT).build());
        }
        // 4 clients, 1000 requests in flight at once: all sent before the first reply is read
        Map<String, CompletableFuture<Message>> futures = new LinkedHashMap<>();
        for (int n = 0; n < PER_CLIENT; n++) {
          for (int c = 0; c < CLIENTS; c++) {
            String id = "c" + c + "-" + n;
            futures.put(id, clients.get(c).request(Message.of(id)));
          }
        }
        await().atMost(WAIT).until(() -> broker.replies() >= 200);
        ProcessHandle victim = pool.processes().get(0);
        assertThat(victim.destroyForcibly()).isTrue(); // SIGKILL, mid-load
        await().atMost(WAIT).until(() -> broker.workersLost() >= 1);

        for (Map.Entry<String, CompletableFuture<Message>> entry : futures.entrySet()) {
          Message reply = entry.getValue().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
          assertThat(reply.firstString()).isEqualTo("done " + entry.getKey());
        }
        // exactly one answer each: a second would arrive for an id no longer waiting and be counted late
        await().pollDelay(Duration.ofMillis(300)).atMost(WAIT).until(() -> true);
        for (BrokerClient client : clients) {
          assertThat(client.inFlight()).isZero();
          assertThat(client.lateAnswers()).as("answers beyond one per request").isZero();
          assertThat(client.malformedAnswers()).isZero();
          client.close();
        }
        assertThat(broker.replies()).isEqualTo(CLIENTS * PER_CLIENT);

        await().atMost(WAIT).until(() -> pool.processes().size() == POOL && broker.workers() == POOL);
        assertThat(pool.processes()).doesNotContain(victim);

        Map<String, Integer> runs = new HashMap<>();
        try (Stream<Path> logs = Files.list(runLog)) {
          for (Path log : (Iterable<Path>) logs::iterator) {
            for (String line : Files.readAllLines(log)) {
              runs.merge(line, 1, Integer::sum);
            }
          }
        }
        long ranTwice = runs.values().stream().filter(count -> count > 1).count();
        System.out.printf("reliable broker (processes): %d clients, %d requests in flight, worker pid %d killed "
            + "(SIGKILL): %d replies, one each; requests that ran twice: %d (%d re-dispatched, %d duplicate replies "
            + "dropped, %d workers lost); pool back to %d workers%n", CLIENTS, CLIENTS * PER_CLIENT, victim.pid(),
            broker.replies(), ranTwice, broker.redispatched(), broker.duplicateReplies(), broker.workersLost(), POOL);
        assertThat(runs).hasSize(CLIENTS * PER_CLIENT);
        assertThat(ranTwice).isLessThanOrEqualTo(broker.redispatched());
        assertThat(broker.errors()).isZero();
      } finally {
        broker.terminate();
      }
    }
  }
}
