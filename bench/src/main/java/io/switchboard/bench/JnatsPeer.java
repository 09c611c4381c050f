package io.switchboard.bench;

import io.nats.client.Connection;
import io.nats.client.Consumer;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.switchboard.bench.PeerSupport.PeerException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A peer of the bus benchmark on NATS with its Java client, jnats, started by {@link BusBenchRunner} against a
 * nats-server it started: the same roles, arguments and lines as {@link BusPeer}'s clients, with a subject instead of
 * a channel.
 *
 * <ul>
 *   <li>{@code role=listen}: subscribes to {@code subject} through a {@link Dispatcher}, prints {@code READY} once the
 *       server has the subscription (a flush), counts the events ({@link EventCounter}) and prints {@code RESULT}.
 *   <li>{@code role=publish}: publishes {@code warmup + count} messages of {@code size} octets, the last one marked,
 *       flushes, and prints {@code SENT}.
 *   <li>{@code role=handle}: answers every request on {@code subject} with its own data, from a dispatcher.
 *   <li>{@code role=request}: makes round trips one at a time ({@link Connection#request(String, byte[], Duration)}),
 *       as {@link RoundTrips}.
 * </ul>
 *
 * <p>The connection has jnats's defaults but for reconnection, which is off: a lost server ends the peer.
 */
public final class JnatsPeer {
  /** Errors reported as WARN lines before they are only counted. */
  private static final int MAX_ERROR_LINES = 5;

  private JnatsPeer() {}

  /** Runs one peer; see the class comment for the arguments. */
  public static void main(String[] argv) {
    PeerSupport.main(argv, JnatsPeer::run);
  }

  private static void run(PeerSupport peer) throws Exception {
    String role = peer.arg("role");
    Duration first = Duration.ofSeconds(peer.longArg("firstSeconds"));
    AtomicInteger errors = new AtomicInteger();
    Options options = new Options.Builder()
        .server(peer.arg("connect"))
        .connectionName("switchboard-bench-" + role)
        .connectionTimeout(first)
        .noReconnect()
        .errorListener(new Warnings(errors))
        .build();
    Connection connection = Nats.connect(options);
    String subject = peer.arg("subject");
    switch (role) {
      case "listen": {
        EventCounter counter = new EventCounter(peer.intArg("size"), peer.longArg("warmup"), peer.longArg("count"));
        Dispatcher dispatcher = connection.createDispatcher(message -> counter.onEvent(message.getData()));
        dispatcher.subscribe(subject);
        flush(connection, first, "the subscription");
        PeerSupport.emit("READY");
        String result = counter.await(first, Duration.ofSeconds(peer.longArg("quietSeconds")),
            Duration.ofSeconds(peer.longArg("limitSeconds")));
        PeerSupport.emit("RESULT " + result);
        PeerSupport.awaitStop();
        break;
      }
      case "publish": {
        byte[] payload = ThroughputPeer.payload(peer.intArg("size"));
        byte[] last = EventCounter.last(payload);
        long total = peer.longArg("warmup") + peer.longArg("count");
        long began = System.nanoTime();
        for (long i = 0; i < total; i++) {
          connection.publish(subject, i == total - 1 ? last : payload);
        }
        flush(connection, first, "the published events");
        PeerSupport.emit("SENT events=" + total + " nanos=" + (System.nanoTime() - began));
        PeerSupport.awaitStop();
        break;
      }
      case "handle": {
        Dispatcher dispatcher = connection.createDispatcher(
            request -> connection.publish(request.getReplyTo(), request.getData()));
        dispatcher.subscribe(subject);
        flush(connection, first, "the subscription");
        PeerSupport.emit("READY");
        PeerSupport.awaitStop();
        break;
      }
      case "request": {
        byte[] payload = ThroughputPeer.payload(peer.intArg("size"));
        RoundTrips.measure(peer, (index, timeout) -> {
          Message reply = connection.request(subject, payload, timeout);
          if (reply == null) {
            throw new PeerException("no reply within " + timeout.toSeconds() + " s to request " + (index + 1));
          }
          if (reply.getData().length != payload.length) {
            throw new PeerException("reply of " + reply.getData().length + " octets (expected: " + payload.length
                + ")");
          }
        });
        PeerSupport.awaitStop();
        break;
      }
      default:
        throw new IllegalArgumentException("role: " + role + " (expected: listen, publish, handle or request)");
    }
    if (errors.get() > MAX_ERROR_LINES) {
      PeerSupport.emit("WARN jnats reported " + errors.get() + " errors in all");
    }
    PeerSupport.closeTimed("jnats connection", connection);
  }

  private static void flush(Connection connection, Duration timeout, String what) throws InterruptedException {
    try {
      connection.flush(timeout);
    } catch (TimeoutException e) {
      throw new PeerException("the server did not confirm " + what + " within " + timeout.toSeconds() + " s");
    }
  }

  /** Turns jnats's asynchronous errors (a slow consumer, a discarded message) into a few WARN lines. */
  private static final class Warnings implements ErrorListener {
    private final AtomicInteger errors;

    Warnings(AtomicInteger errors) {
      this.errors = errors;
    }

    private void warn(String text) {
      if (errors.incrementAndGet() <= MAX_ERROR_LINES) {
        PeerSupport.emit("WARN jnats: " + text);
      }
    }

    @Override
    public void errorOccurred(Connection connection, String error) {
      warn("error: " + error);
    }

    @Override
    public void exceptionOccurred(Connection connection, Exception exception) {
      warn("exception: " + exception);
    }

    @Override
    public void slowConsumerDetected(Connection connection, Consumer consumer) {
      warn("slow consumer (messages dropped from its pending queue)");
    }

    @Override
    public void messageDiscarded(Connection connection, Message message) {
      warn("message discarded");
    }
  }
}
