package io.switchboard.devices;

import io.switchboard.socket.Context;
import io.switchboard.socket.Endpoint;
import io.switchboard.socket.Message;
import io.switchboard.socket.Poller;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketClosedException;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client of a {@link ReliableBroker}: many requests in flight on one DEALER socket, each with its own id, its own
 * deadline if wanted, and a {@link CompletableFuture} for its one answer.
 *
 * <pre>{@code
 * try (BrokerClient client = BrokerClient.builder(context, "tcp://broker:5555")
 *     .deadline(Duration.ofSeconds(2))          // sent with each request; default: the broker's requestTimeout
 *     .build()) {
 *   CompletableFuture<Message> reply = client.request(Message.of("hello"));
 *   CompletableFuture<Message> urgent = client.request(Message.of("now"), Duration.ofMillis(200));
 *   System.out.println(reply.join().firstString());
 * } catch (CompletionException e) {
 *   // e.getCause() is a RequestFailedException: deadline exceeded, attempts exhausted, handler failed, no answer...
 * }
 * }</pre>
 *
 * <p><b>Answers.</b> A future completes with the worker's reply frames, or exceptionally with a {@link
 * RequestFailedException} whose {@link RequestFailedException#reason() reason} is the broker's {@code ERROR} ({@code
 * DEADLINE_EXCEEDED}, {@code ATTEMPTS_EXHAUSTED}, {@code HANDLER_FAILED}, {@code BAD_REQUEST}), {@code NO_ANSWER} when
 * nothing came within the deadline plus the {@linkplain Builder#grace grace} (the broker is down, or the request or
 * its answer was lost on a broken connection), or {@code CLOSED}. Ids are 8 bytes, unique per client; an answer that
 * comes after its future failed is dropped and counted in {@link #lateAnswers()}. The client never retries: a request
 * that failed with {@code NO_ANSWER} may still have run; send it again if it is idempotent.
 *
 * <p><b>Threads.</b> {@link #request} may be called from any thread; it blocks only while the socket's send queue is
 * full (the high-water mark), at most until the request's local timeout. Futures complete on the client's receiving
 * thread (a daemon thread named {@code switchboard-broker-client-N}), so dependent actions that block should use the
 * {@code *Async} forms.
 *
 * <p><b>Ownership.</b> The client makes its socket in the given context and closes it in {@link #close()}, which
 * fails the requests still waiting with {@code CLOSED}.
 */
public final class BrokerClient implements AutoCloseable {
  /** How much longer than its deadline a request waits for an answer by default: 1 s. */
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(1);
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final byte[] EMPTY = new byte[0];

  private final String endpoint;
  private final Duration deadline;
  private final long graceNanos;
  private final long brokerTimeoutNanos;
  private final Socket socket;
  /** Where the receiving thread sleeps: until an answer, the next expiry, or a request that expires sooner. */
  private final Poller poller = new Poller();
  private final Thread receiver;
  private final AtomicLong nextId = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  private final ConcurrentSkipListSet<Pending> byExpiry = new ConcurrentSkipListSet<>(
      Comparator.<Pending>comparingLong(p -> p.expiry).thenComparingLong(p -> p.id));
  private final AtomicLong late = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();

  private BrokerClient(Builder b) {
    this.endpoint = b.endpoint;
    this.deadline = b.deadline;
    this.graceNanos = b.grace.toNanos();
    this.brokerTimeoutNanos = b.brokerTimeout.toNanos();
    this.socket = b.context.socket(SocketType.DEALER, b.options);
    try {
      socket.connect(endpoint);
    } catch (RuntimeException e) {
      socket.close();
      throw e;
    }
    this.receiver = new Thread(this::receive, "switchboard-broker-client-" + IDS.incrementAndGet());
    receiver.setDaemon(true);
  }

  /**
   * A builder for a client of the broker whose frontend is at {@code endpoint}.
   *
   * @throws io.switchboard.socket.EndpointException if the endpoint is malformed
   */
  public static Builder builder(Context context, String endpoint) {
    return new Builder(context, endpoint);
  }

  /**
   * Sends {@code body} with the client's default deadline; the future completes with the reply or fails with a
   * {@link RequestFailedException}.
   *
   * @throws io.switchboard.socket.SocketClosedException if the client is closed
   */
  public CompletableFuture<Message> request(Message body) {
    return send(body, deadline);
  }

  /**
   * Sends {@code body} with its own {@code deadline} (at most the broker's {@code maxRequestTimeout}, else the
   * broker answers {@code BAD_REQUEST}).
   *
   * @throws IllegalArgumentException if the deadline is shorter than a millisecond
   * @throws io.switchboard.socket.SocketClosedException if the client is closed
   */
  public CompletableFuture<Message> request(Message body, Duration deadline) {
    Objects.requireNonNull(deadline, "deadline");
    checkDeadline(deadline);
    return send(body, deadline);
  }

  private static void checkDeadline(Duration deadline) {
    if (deadline.toMillis() < 1) {
      throw new IllegalArgumentException("deadline: " + deadline + " (expected: >= 1 ms)");
    }
  }

  private CompletableFuture<Message> send(Message body, Duration deadline) {
    Objects.requireNonNull(body, "body");
    if (closed.get()) {
      throw new SocketClosedException("BrokerClient for " + endpoint + " is closed");
    }
    long wait = (deadline == null ? brokerTimeoutNanos : deadline.toNanos()) + graceNanos;
    Pending p = new Pending(nextId.incrementAndGet(), wait);
    byte[] options = deadline == null ? EMPTY
        : (ReliableBroker.DEADLINE_OPTION + "=" + deadline.toMillis()).getBytes(StandardCharsets.US_ASCII);
    byte[] id = ByteBuffer.allocate(Long.BYTES).putLong(p.id).array();
    pending.put(p.id, p);
    byExpiry.add(p);
    if (byExpiry.first() == p) {
      poller.wakeup();   // it expires before whatever the receiving thread sleeps until
    }
    boolean sent;
    try {
      sent = socket.send(body.prepend(id).prepend(options), Duration.ofNanos(wait));
    } catch (SocketClosedException e) {
      fail(p, RequestFailedException.Reason.CLOSED, "", "client closed before the request was sent");
      return p.future;
    }
    if (!sent) {
      fail(p, RequestFailedException.Reason.NO_ANSWER, "", "request could not be sent to " + endpoint + " within "
          + TimeUnit.NANOSECONDS.toMillis(wait) + " ms (send queue full)");
    }
    return p.future;
  }

  /** How many requests wait for an answer now. */
  public int inFlight() {
    return pending.size();
  }

  /** How many answers came for requests that had already failed locally (and were dropped). */
  public long lateAnswers() {
    return late.get();
  }

  /** How many messages from the broker did not follow the protocol (and were dropped). */
  public long malformedAnswers() {
    return malformed.get();
  }

  /** Closes the socket (dropping requests not yet sent) and fails every waiting request with {@code CLOSED}. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    socket.close();
    if (Thread.currentThread() != receiver) {
      try {
        receiver.join(TimeUnit.SECONDS.toMillis(1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    failAll("client closed");
  }

  private void start() {
    receiver.start();
  }

  private void receive() {
    try {
      poller.register(socket, Poller.Event.READABLE);
      while (!closed.get()) {
        long now = System.nanoTime();
        expire(now);
        Pending first = byExpiry.isEmpty() ? null : byExpiry.first();
        if (first == null) {
          poller.poll();
        } else {
          poller.poll(Duration.ofNanos(Math.max(0, first.expiry - now)));
        }
        for (Message answer = socket.tryReceive(); answer != null; answer = socket.tryReceive()) {
          onAnswer(answer);
        }
      }
    } catch (SocketClosedException e) {
      // closed: by close(), or with the context
    } finally {
      closed.set(true);
      poller.close();
      failAll("client closed");
    }
  }

  private void expire(long now) {
    while (!byExpiry.isEmpty()) {
      Pending p = byExpiry.first();
      if (now - p.expiry < 0) {
        return;
      }
      byExpiry.remove(p); // whoever else completes it removes it too, but need not have yet
      fail(p, RequestFailedException.Reason.NO_ANSWER, "", "no answer from the broker at " + endpoint + " within "
          + TimeUnit.NANOSECONDS.toMillis(p.wait) + " ms");
    }
  }

  /** ["", requestId, "OK", reply...] or ["", requestId, "ERROR", reason]. */
  private void onAnswer(Message answer) {
    if (answer.size() < 3 || answer.frame(0).length != 0 || answer.frame(1).length != Long.BYTES) {
      malformed.incrementAndGet();
      return;
    }
    long id = ByteBuffer.wrap(answer.frame(1)).getLong();
    Pending p = pending.remove(id);
    if (p == null) {
      late.incrementAndGet();
      return;
    }
    byExpiry.remove(p);
    String status = answer.frameString(2);
    if (status.equals(ReliableBroker.OK)) {
      p.future.complete(answer.dropFirst(3));
    } else if (status.equals(ReliableBroker.ERROR) && answer.size() == 4) {
      String reason = answer.frameString(3);
      p.future.completeExceptionally(failure(reason));
    } else {
      malformed.incrementAndGet();
      p.future.completeExceptionally(new RequestFailedException(RequestFailedException.Reason.BROKER_ERROR,
          answer.join("|"), "malformed answer from the broker at " + endpoint, 1));
    }
  }

  private RequestFailedException failure(String reason) {
    RequestFailedException.Reason kind;
    String detail = "";
    if (reason.equals(ReliableBroker.DEADLINE_EXCEEDED)) {
      kind = RequestFailedException.Reason.DEADLINE_EXCEEDED;
    } else if (reason.equals(ReliableBroker.ATTEMPTS_EXHAUSTED)) {
      kind = RequestFailedException.Reason.ATTEMPTS_EXHAUSTED;
    } else if (reason.startsWith(ReliableBroker.HANDLER_FAILED)) {
      kind = RequestFailedException.Reason.HANDLER_FAILED;
      detail = reason.substring(ReliableBroker.HANDLER_FAILED.length());
    } else if (reason.startsWith(ReliableBroker.BAD_REQUEST)) {
      kind = RequestFailedException.Reason.BAD_REQUEST;
      detail = reason.substring(ReliableBroker.BAD_REQUEST.length());
    } else {
      kind = RequestFailedException.Reason.BROKER_ERROR;
      detail = reason;
    }
    return new RequestFailedException(kind, detail, "request failed at the broker: " + reason, 1);
  }

  private void fail(Pending p, RequestFailedException.Reason reason, String detail, String message) {
    if (pending.remove(p.id, p)) {
      byExpiry.remove(p);
      p.future.completeExceptionally(new RequestFailedException(reason, detail, message, 1));
    }
  }

  private void failAll(String message) {
    List<Pending> left = new ArrayList<>(pending.values());
    for (Pending p : left) {
      fail(p, RequestFailedException.Reason.CLOSED, "", message);
    }
  }

  /** One request waiting for its answer. */
  private static final class Pending {
    final long id;
    final long wait;
    final long expiry;
    final CompletableFuture<Message> future = new CompletableFuture<>();

    Pending(long id, long wait) {
      this.id = id;
      this.wait = wait;
      this.expiry = System.nanoTime() + wait;
    }
  }

  /** Builds a {@link BrokerClient}; not thread-safe. */
  public static final class Builder {
    private final Context context;
    private final String endpoint;
    private Duration deadline;
    private Duration grace = DEFAULT_GRACE;
    private Duration brokerTimeout = ReliableBroker.DEFAULT_REQUEST_TIMEOUT;
    private SocketOptions options = SocketOptions.builder().linger(Duration.ZERO).highWaterMark(10_000).build();

    private Builder(Context context, String endpoint) {
      this.context = Objects.requireNonNull(context, "context");
      Endpoint.parse(Objects.requireNonNull(endpoint, "endpoint"));
      this.endpoint = endpoint;
    }

    /**
     * The deadline sent with each request that does not give its own; default none, so the broker's {@code
     * requestTimeout} applies.
     */
    public Builder deadline(Duration deadline) {
      Objects.requireNonNull(deadline, "deadline");
      checkDeadline(deadline);
      this.deadline = deadline;
      return this;
    }

    /**
     * How much longer than its deadline a request waits for the broker's answer before it fails locally with {@code
     * NO_ANSWER}; covers the time before the broker reads it and the trip back. Default 1 s.
     */
    public Builder grace(Duration grace) {
      Objects.requireNonNull(grace, "grace");
      if (grace.isNegative()) {
        throw new IllegalArgumentException("grace: " + grace + " (expected: >= 0)");
      }
      this.grace = grace;
      return this;
    }

    /**
     * The broker's {@code requestTimeout}, which is the deadline of requests sent without one; the client waits that
     * long plus the grace. Default {@link ReliableBroker#DEFAULT_REQUEST_TIMEOUT}.
     */
    public Builder brokerTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("brokerTimeout: " + timeout + " (expected: > 0)");
      }
      this.brokerTimeout = timeout;
      return this;
    }

    /** The DEALER socket's options; default linger 0 and a high-water mark of 10 000. */
    public Builder socketOptions(SocketOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * Makes the client, connects its socket and starts its receiving thread.
     *
     * @throws io.switchboard.socket.SocketClosedException if the context is closed
     */
    public BrokerClient build() {
      BrokerClient client = new BrokerClient(this);
      client.start();
      return client;
    }
  }
}
