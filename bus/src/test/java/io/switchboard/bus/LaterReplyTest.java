package io.switchboard.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A handler that returns a CompletionStage answers when it completes, from whichever thread completes it. */
class LaterReplyTest {
  @TempDir Path dir;

  @Test
  void aHandlersStageIsTheReplyWhenItCompletes() throws Exception {
    ExecutorService workers = Executors.newFixedThreadPool(4);
    try (BusNode node = BusNode.start(NodeConfig.defaults().toBuilder().ipc(dir.resolve("node.sock").toString())
             .build(), line -> { });
         BusClient handler = BusClient.connect(node.localEndpoint());
         BusClient caller = BusClient.connect(node.localEndpoint())) {
      BusChannel a = handler.join("A");
      a.handle("double", request -> {
        int n = request.json().get("n").asInt();
        return CompletableFuture.supplyAsync(() -> Map.of("n", 2 * n), workers);   // answered off the I/O thread
      }).orTimeout(10, TimeUnit.SECONDS).join();
      a.handle("refuse", request -> CompletableFuture.failedFuture(new IllegalStateException("not today")))
          .orTimeout(10, TimeUnit.SECONDS).join();
      a.handle("done", request -> CompletableFuture.completedFuture("at once")).orTimeout(10, TimeUnit.SECONDS).join();

      List<CompletableFuture<BusEvent>> replies = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        replies.add(caller.request("A", "double", Map.of("n", i), Duration.ofSeconds(10)));
      }
      for (int i = 0; i < 200; i++) {
        assertThat(replies.get(i).join().json().get("n").asInt()).isEqualTo(2 * i);
      }
      assertThat(caller.request("A", "done", 1, Duration.ofSeconds(10)).join().data(String.class)).isEqualTo("at once");
      assertThatThrownBy(() -> caller.request("A", "refuse", 1, Duration.ofSeconds(10)).join())
          .isInstanceOf(CompletionException.class).cause().isInstanceOf(RequestFailedException.class)
          .hasMessageEndingWith(": not today");
    } finally {
      workers.shutdownNow();
    }
  }
}
