package io.switchboard.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketClosedException;
import io.switchboard.socket.SocketType;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LazyPirateClientTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration ATTEMPT = Duration.ofMillis(300);

  private final Context context = new Context();
  private final Socket server = context.socket(SocketType.ROUTER);
  private final String endpoint = server.bind("tcp://127.0.0.1:*");
  private final LazyPirateClient client = new LazyPirateClient(context, endpoint);

  @AfterEach
  void close() {
    client.close();
    context.close();
  }

  private CompletableFuture<Message> requestAsync(String body, int retries) {
    return CompletableFuture.supplyAsync(() -> client.request(Message.of(body), ATTEMPT, retries));
  }

  private static void reply(Socket server, Message request, String body) {
    server.send(Message.of(request.frame(0), new byte[0], body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  void resendsOnAFreshSocketWhenTheFirstRequestIsDropped() {
    CompletableFuture<Message> reply = requestAsync("hello", 3);

    Message first = server.receive(WAIT);
    assertThat(first.frameString(2)).isEqualTo("hello"); // dropped: no reply
    Message second = server.receive(WAIT);
    assertThat(second.frameString(2)).isEqualTo("hello");
    assertThat(second.frame(0)).as("a fresh socket, so a new routing id").isNotEqualTo(first.frame(0));
    reply(server, second, "world");

    assertThat(reply.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join()).isEqualTo(Message.of("world"));
    assertThat(client.retries()).isEqualTo(1);
  }

  @Test
  void aLateReplyToAnAbandonedAttemptIsNeverSeen() {
    CompletableFuture<Message> reply = requestAsync("job", 3);
    Message first = server.receive(WAIT);
    Message second = server.receive(WAIT);
    reply(server, first, "late");
    reply(server, second, "current");
    assertThat(reply.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join()).isEqualTo(Message.of("current"));

    // and the socket is in step for the next request
    CompletableFuture<Message> next = requestAsync("next", 0);
    Message third = server.receive(WAIT);
    reply(server, third, "ok");
    assertThat(next.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join()).isEqualTo(Message.of("ok"));
  }

  @Test
  void givesUpWithAClearExceptionAfterTheRetries() {
    assertThatThrownBy(() -> client.request(Message.of("anyone?"), Duration.ofMillis(100), 2))
        .isInstanceOf(RequestFailedException.class)
        .hasMessage("no reply from " + endpoint + " in 3 attempts of 100 ms")
        .satisfies(e -> assertThat(((RequestFailedException) e).attempts()).isEqualTo(3));
    for (int i = 0; i < 3; i++) {
      assertThat(server.receive(WAIT).frameString(2)).isEqualTo("anyone?");
    }
  }

  @Test
  void validatesArgumentsAndRefusesAfterClose() {
    assertThatThrownBy(() -> client.request(Message.of("x"), Duration.ZERO, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout: PT0S (expected: > 0)");
    assertThatThrownBy(() -> client.request(Message.of("x"), ATTEMPT, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("retries: -1 (expected: >= 0)");
    client.close();
    assertThatThrownBy(() -> client.request(Message.of("x"), ATTEMPT, 1)).isInstanceOf(SocketClosedException.class);
  }
}
