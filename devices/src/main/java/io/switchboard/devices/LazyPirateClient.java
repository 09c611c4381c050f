package io.switchboard.devices;

import io.switchboard.socket.Context;
import io.switchboard.socket.Endpoint;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketClosedException;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;
import java.time.Duration;
import java.util.Objects;

/**
 * A request-reply client that survives a lost request, a lost reply or a restarted server: the ZeroMQ guide's "Lazy
 * Pirate" pattern. Each attempt sends the request on a REQ socket and waits for the reply; on a timeout it closes
 * that socket (dropping anything queued on it), opens a fresh one, and sends again.
 *
 * <pre>{@code
 * try (LazyPirateClient client = new LazyPirateClient(context, "tcp://server:5555")) {
 *   Message reply = client.request(Message.of("hello"), Duration.ofMillis(2500), 3);
 * } catch (RequestFailedException e) {
 *   // the server did not answer 4 attempts; give up or raise the alarm
 * }
 * }</pre>
 *
 * <p><b>Guarantees.</b> A reply is always the reply to the current request (a late reply to an abandoned attempt
 * arrives on a closed socket and is never seen). The server may, however, process a request more than once: when a
 * reply is lost or merely late, the retry runs it again. Requests should be idempotent, or carry an id the server
 * deduplicates.
 *
 * <p><b>Threads.</b> One request at a time: concurrent callers of {@link #request} wait for each other. Interrupting
 * a waiting caller throws {@link io.switchboard.socket.InterruptedOperationException} and discards the socket.
 */
public final class LazyPirateClient implements AutoCloseable {
  private final Context context;
  private final String endpoint;
  private final SocketOptions options;
  /** Guarded by {@code this}. */
  private Socket socket;
  /** Guarded by {@code this}. */
  private boolean closed;
  /** Guarded by {@code this}. */
  private long reconnects;

  /**
   * A client for {@code endpoint}, with linger zero so an abandoned request never delays a close.
   *
   * @throws io.switchboard.socket.EndpointException if the endpoint is malformed
   */
  public LazyPirateClient(Context context, String endpoint) {
    this(context, endpoint, SocketOptions.builder().linger(Duration.ZERO).build());
  }

  /**
   * A client for {@code endpoint} whose REQ sockets have {@code options}.
   *
   * @throws io.switchboard.socket.EndpointException if the endpoint is malformed
   */
  public LazyPirateClient(Context context, String endpoint, SocketOptions options) {
    this.context = Objects.requireNonNull(context, "context");
    Endpoint.parse(endpoint);
    this.endpoint = endpoint;
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * Sends {@code request} and returns the reply, trying up to {@code 1 + retries} times, each time waiting at most
   * {@code timeout} on a fresh socket.
   *
   * @throws RequestFailedException if no attempt got a reply in time
   * @throws IllegalArgumentException if {@code timeout} is not positive or {@code retries} is negative
   * @throws io.switchboard.socket.SocketClosedException if the client or its context is closed
   */
  public synchronized Message request(Message request, Duration timeout, int retries) {
    Objects.requireNonNull(request, "request");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
    }
    if (retries < 0) {
      throw new IllegalArgumentException("retries: " + retries + " (expected: >= 0)");
    }
    if (closed) {
      throw new SocketClosedException("LazyPirateClient for " + endpoint + " is closed");
    }
    for (int attempt = 1; ; attempt++) {
      boolean ok = false;
      try {
        if (socket == null) {
          socket = context.socket(SocketType.REQ, options);
          socket.connect(endpoint);
        }
        Message reply = null;
        if (socket.send(request, timeout)) {
          reply = socket.receive(timeout);
        }
        if (reply != null) {
          ok = true;
          return reply;
        }
      } finally {
        if (!ok) {
          discardSocket();
        }
      }
      if (attempt > retries) {
        throw new RequestFailedException("no reply from " + endpoint + " in " + attempt + " attempt"
            + (attempt == 1 ? "" : "s") + " of " + timeout.toMillis() + " ms", attempt);
      }
      reconnects++;
    }
  }

  /** How many times a request was resent on a fresh socket, over this client's life. */
  public synchronized long retries() {
    return reconnects;
  }

  private void discardSocket() {
    if (socket != null) {
      socket.close();
      socket = null;
    }
  }

  /** Closes the current socket, dropping any request in flight. Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    discardSocket();
  }
}
