package io.switchboard.devices;

import io.switchboard.socket.Message;
import io.switchboard.socket.Poller;
import io.switchboard.socket.RoutingException;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load-balancing broker that survives workers that die or go silent: the ZeroMQ guide's Paranoid Pirate, with
 * request ids, re-dispatch and deadlines. Runs on a thread of its own.
 *
 * <p><b>Protocol</b> (frames as each side's socket sees them; the full description, with a Python worker, is in
 * {@code docs/devices.md}). Clients are DEALER sockets connected to the frontend ROUTER; each request carries an id
 * of the client's choosing, echoed in the one answer the broker gives to it:
 *
 * <pre>
 *  client → broker   [options, requestId, body...]         options: "" (defaults) or "deadline=MILLIS"
 *  broker → client   ["", requestId, "OK", reply...]        the worker's reply
 *                    ["", requestId, "ERROR", reason]       reason: "deadline exceeded", "attempts exhausted",
 *                                                            "handler failed: " + the worker's text,
 *                                                            or "bad request: " + what is wrong with the options
 * </pre>
 *
 * (a REQ client sends {@code [requestId, body...]} and gets {@code [requestId, "OK", reply...]}, one at a time, with
 * the default deadline; {@link BrokerClient} is a client with many requests in flight).
 * Workers are DEALER sockets connected to the backend ROUTER, usually a {@link ReliableWorker}:
 *
 * <pre>
 *  worker → broker   ["", "READY"]                          after connecting
 *                    ["", "HEARTBEAT"]                      every heartbeat interval, busy or not
 *                    ["", "REPLY", ticket, reply...]        the answer to a REQUEST; the worker is free again
 *                    ["", "FAILED", ticket, reason]         the handler failed; not retried
 *                    ["", "DISCONNECT"]                     leaving: send no more work
 *  broker → worker   ["", "REQUEST", ticket, body...]       at most one at a time per worker
 *                    ["", "HEARTBEAT"]                      every heartbeat interval, to every worker
 *                    ["", "DISCONNECT"]                     released: the worker holds nothing and may go
 * </pre>
 *
 * The ticket is an opaque frame (8 bytes) the worker copies into its answer.
 *
 * <p><b>Reliability.</b> A worker from which nothing has been heard for {@code liveness × heartbeatInterval} is
 * forgotten; a request it held goes back to the front of the queue for another worker, up to {@code maxAttempts}
 * dispatches in all, after which the client gets {@code "attempts exhausted"}. A request not answered within {@code
 * requestTimeout} (or of its own deadline) of reaching the broker gets {@code "deadline exceeded"}. A worker that
 * says {@code DISCONNECT} gets no more work; the broker waits for the answer to a request it holds (re-dispatching
 * it only if the worker then falls silent), then releases it with {@code DISCONNECT}. Each request gets exactly one answer: the
 * first reply wins and later ones for the same ticket (from a worker thought dead, or after the deadline) are dropped
 * and counted in {@link #duplicateReplies()}. A request re-dispatched after its worker went silent may therefore have
 * run twice; see {@code docs/devices.md} for the exact guarantees.
 *
 * <p><b>Threads and ownership.</b> As {@link Proxy}: the getters and {@link #terminate()} may be called from any
 * thread, the broker alone uses its sockets while it runs, and their owner closes them after {@link #terminate()}.
 */
public final class ReliableBroker implements AutoCloseable {
  /** Worker → broker: the worker has connected and is free. */
  public static final String READY = "READY";
  /** Both ways: a sign of life, every heartbeat interval. */
  public static final String HEARTBEAT = "HEARTBEAT";
  /** Broker → worker: {@code ["", "REQUEST", ticket, body...]}. */
  public static final String REQUEST = "REQUEST";
  /** Worker → broker: {@code ["", "REPLY", ticket, reply...]}. */
  public static final String REPLY = "REPLY";
  /** Worker → broker: {@code ["", "FAILED", ticket, reason]}, the handler failed. */
  public static final String FAILED = "FAILED";
  /**
   * Worker → broker: the worker is leaving and takes no more work; broker → worker: the worker holds no request and
   * may close.
   */
  public static final String DISCONNECT = "DISCONNECT";
  /** Client → broker: the request option giving the request's own deadline in milliseconds, {@code deadline=250}. */
  public static final String DEADLINE_OPTION = "deadline";
  /** Broker → client: the status frame of a reply. */
  public static final String OK = "OK";
  /** Broker → client: the status frame of an error, followed by one reason frame. */
  public static final String ERROR = "ERROR";
  /** The reason when a request was not answered within the request timeout. */
  public static final String DEADLINE_EXCEEDED = "deadline exceeded";
  /** The reason when every one of {@code maxAttempts} workers given the request was lost. */
  public static final String ATTEMPTS_EXHAUSTED = "attempts exhausted";
  /** The prefix of the reason when the worker's handler failed; the worker's text follows. */
  public static final String HANDLER_FAILED = "handler failed: ";
  /** The prefix of the reason when a request's options frame is malformed or out of range; the problem follows. */
  public static final String BAD_REQUEST = "bad request: ";

  /** Default heartbeat interval: 1 s. */
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
  /** Default liveness: a worker silent for 3 heartbeat intervals is forgotten. */
  public static final int DEFAULT_LIVENESS = 3;
  /** Default number of dispatches per request: 3. */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  /** Default request timeout: 30 s. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  /** Default bound on requests held by the broker (queued or at a worker): 10 000. */
  public static final int DEFAULT_MAX_OUTSTANDING = 10_000;

  private static final byte[] EMPTY = new byte[0];
  private static final byte[] HEARTBEAT_BYTES = bytes(HEARTBEAT);
  private static final byte[] REQUEST_BYTES = bytes(REQUEST);
  private static final byte[] DISCONNECT_BYTES = bytes(DISCONNECT);
  private static final byte[] OK_BYTES = bytes(OK);
  private static final byte[] ERROR_BYTES = bytes(ERROR);

  private final Socket frontend;
  private final Socket backend;
  private final long intervalNanos;
  private final int liveness;
  private final int maxAttempts;
  private final long timeoutNanos;
  private final long maxTimeoutNanos;
  private final int maxOutstanding;
  private final DeviceRunner runner;

  // Broker thread only.
  private final Map<ByteBuffer, Worker> workers = new LinkedHashMap<>();
  /** Free workers, least recently used first; may hold workers since forgotten or busy (checked on use). */
  private final ArrayDeque<Worker> ready = new ArrayDeque<>();
  /** Requests waiting for a worker, oldest first; may hold requests already answered (skipped). */
  private final ArrayDeque<Request> queue = new ArrayDeque<>();
  /** Every request not yet answered, by ticket. */
  private final Map<Long, Request> outstanding = new HashMap<>();
  /** Requests with the default timeout, in arrival order, hence deadline order; answered ones are skipped. */
  private final ArrayDeque<Request> byDeadline = new ArrayDeque<>();
  /** Unanswered requests with a deadline of their own, earliest first. */
  private final TreeSet<Request> ownDeadlines = new TreeSet<>(
      Comparator.<Request>comparingLong(r -> r.deadline).thenComparingLong(r -> r.ticket));
  /**
   * Workers released after DISCONNECT, until liveness × interval later: a heartbeat that crossed the release must not
   * register them again as new workers.
   */
  private final LinkedHashMap<ByteBuffer, Long> released = new LinkedHashMap<>();
  /** Answers the frontend had no room for yet. */
  private final ArrayDeque<Message> toClients = new ArrayDeque<>();
  private long nextTicket;
  private long nextHeartbeat;

  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong replies = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong redispatched = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong workersLost = new AtomicLong();
  private final AtomicLong workersLeft = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private volatile int workerCount;
  private volatile int readyCount;
  private volatile int outstandingCount;

  private ReliableBroker(Builder b) {
    this.frontend = b.frontend;
    this.backend = b.backend;
    this.intervalNanos = b.heartbeatInterval.toNanos();
    this.liveness = b.liveness;
    this.maxAttempts = b.maxAttempts;
    this.timeoutNanos = b.requestTimeout.toNanos();
    this.maxTimeoutNanos = (b.maxRequestTimeout != null ? b.maxRequestTimeout : b.requestTimeout).toNanos();
    this.maxOutstanding = b.maxOutstanding;
    this.runner = new DeviceRunner("reliable-broker", new Loop());
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A builder for a broker between a frontend ROUTER for clients and a backend ROUTER for workers.
   *
   * @throws NullPointerException if either socket is null
   */
  public static Builder builder(Socket frontend, Socket backend) {
    return new Builder(frontend, backend);
  }

  /** Starts a broker with the default settings; see {@link #builder}. */
  public static ReliableBroker start(Socket frontend, Socket backend) {
    return builder(frontend, backend).start();
  }

  /** How many workers the broker knows (heard from within the liveness period). */
  public int workers() {
    return workerCount;
  }

  /** How many known workers are free now. */
  public int readyWorkers() {
    return readyCount;
  }

  /** How many requests are held now, queued or at a worker. */
  public int outstandingRequests() {
    return outstandingCount;
  }

  /** How many requests have been dispatched to workers, re-dispatches included. */
  public long requests() {
    return requests.get();
  }

  /** How many {@code OK} replies have been handed to the frontend. */
  public long replies() {
    return replies.get();
  }

  /** How many {@code ERROR} answers have been handed to the frontend. */
  public long errors() {
    return errors.get();
  }

  /** How many times a request was dispatched again after its worker was lost; each may have run twice. */
  public long redispatched() {
    return redispatched.get();
  }

  /** How many worker replies were dropped because their request had already been answered. */
  public long duplicateReplies() {
    return duplicates.get();
  }

  /** How many workers were forgotten for silence or for being unreachable. */
  public long workersLost() {
    return workersLost.get();
  }

  /** How many workers left gracefully ({@code DISCONNECT}) and were released. */
  public long workersLeft() {
    return workersLeft.get();
  }

  /** How many messages from clients or workers were dropped for not following the protocol. */
  public long malformedMessages() {
    return malformed.get();
  }

  /** Whether the broker thread still runs. */
  public boolean isRunning() {
    return runner.isRunning();
  }

  /** Why the broker thread stopped on its own, if it did. */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(runner.failure());
  }

  /**
   * Stops the broker thread, waiting at most {@code timeout}; returns whether it stopped. Requests held are
   * dropped without an answer. Idempotent.
   */
  public boolean terminate(Duration timeout) {
    return runner.terminate(timeout);
  }

  /** Stops the broker thread, waiting at most {@link Proxy#DEFAULT_TERMINATE_TIMEOUT}. Idempotent. */
  public void terminate() {
    terminate(Proxy.DEFAULT_TERMINATE_TIMEOUT);
  }

  /** The same as {@link #terminate()}; the sockets stay open. */
  @Override
  public void close() {
    terminate();
  }

  /** A worker the broker knows; broker thread only. */
  private static final class Worker {
    final byte[] id;
    final ByteBuffer key;
    long expiry;
    /** The request it works on, possibly answered meanwhile (deadline, or another worker's reply). */
    Request current;
    boolean inReadyList;
    boolean gone;
    /** Said DISCONNECT: gets no more work, and is released once it holds nothing. */
    boolean leaving;

    Worker(byte[] id, ByteBuffer key) {
      this.id = id;
      this.key = key;
    }
  }

  /** A client request; broker thread only. */
  private static final class Request {
    final long ticket;
    final byte[] client;
    final byte[] requestId;
    final Message body;
    final long deadline;
    final boolean ownDeadline;
    int attempts;
    boolean answered;

    Request(long ticket, byte[] client, byte[] requestId, Message body, long deadline, boolean ownDeadline) {
      this.ticket = ticket;
      this.client = client;
      this.requestId = requestId;
      this.body = body;
      this.deadline = deadline;
      this.ownDeadline = ownDeadline;
    }
  }

  private final class Loop implements DeviceRunner.Loop {
    Loop() {
      nextHeartbeat = System.nanoTime() + intervalNanos;
    }

    @Override
    public boolean step() {
      boolean moved = false;
      for (int i = 0; i < 256; i++) {
        boolean any = flush() && (fromWorkers() | fromClients() | dispatch());
        if (!any) {
          break;
        }
        moved = true;
      }
      long now = System.nanoTime();
      if (now - nextHeartbeat >= 0) {
        heartbeat(now);
        nextHeartbeat = now + intervalNanos;
        moved |= dispatch();
      }
      moved |= expireDeadlines(now);
      workerCount = workers.size();
      readyCount = (int) workers.values().stream().filter(w -> w.inReadyList).count();
      outstandingCount = outstanding.size();
      return moved;
    }

    /** Sends held answers; returns whether none is left (and other work may go on). */
    private boolean flush() {
      while (!toClients.isEmpty()) {
        if (!frontend.trySend(toClients.peekFirst())) {
          return false;
        }
        toClients.pollFirst();
      }
      return true;
    }

    private void answer(Request request, Message answer, boolean ok) {
      request.answered = true;
      outstanding.remove(request.ticket);
      if (request.ownDeadline) {
        ownDeadlines.remove(request);
      }
      (ok ? replies : errors).incrementAndGet();
      if (!toClients.isEmpty() || !frontend.trySend(answer)) {
        toClients.addLast(answer); // a client that has gone is dropped by the ROUTER, as libzmq does
      }
    }

    private void fail(Request request, String reason) {
      answer(request, Message.of(request.client, EMPTY, request.requestId, ERROR_BYTES, bytes(reason)), false);
    }

    /** Answers a request the broker will not take, without holding it. */
    private void reject(byte[] client, byte[] requestId, String reason) {
      errors.incrementAndGet();
      Message answer = Message.of(client, EMPTY, requestId, ERROR_BYTES, bytes(BAD_REQUEST + reason));
      if (!toClients.isEmpty() || !frontend.trySend(answer)) {
        toClients.addLast(answer);
      }
    }

    /** Takes one message from a worker. */
    private boolean fromWorkers() {
      Message message = backend.tryReceive();
      if (message == null) {
        return false;
      }
      // [workerId, "", command, ...]
      if (message.size() < 3 || message.frame(1).length != 0) {
        malformed.incrementAndGet();
        return true;
      }
      byte[] id = message.frame(0);
      ByteBuffer key = ByteBuffer.wrap(id);
      Worker worker = workers.get(key);
      String command = message.frameString(2);
      if (worker == null && released.containsKey(key)) {
        if (command.equals(REPLY) || command.equals(FAILED)) {
          duplicates.incrementAndGet(); // it held nothing when released, so the request has been answered
        }
        return true;
      }
      if (worker == null) {
        // a new worker, or one forgotten for silence that turns out to be alive: either way it may take work
        worker = new Worker(id, key);
        workers.put(key, worker);
      }
      worker.expiry = System.nanoTime() + liveness * intervalNanos;
      switch (command) {
        case READY, HEARTBEAT -> {
          if (worker.current == null && !worker.leaving) {
            makeReady(worker);
          }
        }
        case DISCONNECT -> {
          worker.leaving = true;
          if (worker.current == null) {
            release(worker);
          }
        }
        case REPLY, FAILED -> {
          if (message.size() < 4 || message.frame(3).length != Long.BYTES
              || command.equals(FAILED) && message.size() != 5) {
            malformed.incrementAndGet();
            return true;
          }
          long ticket = ByteBuffer.wrap(message.frame(3)).getLong();
          if (worker.current != null && worker.current.ticket == ticket) {
            worker.current = null;
          }
          if (worker.current == null) {
            if (worker.leaving) {
              release(worker);
            } else {
              makeReady(worker);
            }
          }
          Request request = outstanding.get(ticket);
          if (request == null) {
            duplicates.incrementAndGet(); // answered already: by another worker, or by the deadline
          } else if (command.equals(REPLY)) {
            Message reply = Message.of(request.client, EMPTY, request.requestId, OK_BYTES)
                .append(message.dropFirst(4));
            answer(request, reply, true);
          } else {
            fail(request, HANDLER_FAILED + message.frameString(4));
          }
        }
        default -> malformed.incrementAndGet();
      }
      return true;
    }

    /** Forgets a leaving worker that holds nothing and tells it so; it may close. */
    private void release(Worker worker) {
      workers.remove(worker.key, worker);
      worker.gone = true;
      workersLeft.incrementAndGet();
      released.put(worker.key, System.nanoTime() + liveness * intervalNanos);
      try {
        backend.trySend(Message.of(worker.id, EMPTY, DISCONNECT_BYTES));
      } catch (RoutingException gone) {
        // it has closed already
      }
    }

    private void makeReady(Worker worker) {
      if (!worker.inReadyList) {
        worker.inReadyList = true;
        ready.addLast(worker);
      }
    }

    /** Takes one request from a client, unless the broker holds as many as it may. */
    private boolean fromClients() {
      if (outstanding.size() >= maxOutstanding) {
        return false;
      }
      Message message = frontend.tryReceive();
      if (message == null) {
        return false;
      }
      // [clientId, options, requestId, body...]; options "" for the defaults
      if (message.size() < 3) {
        malformed.incrementAndGet();
        return true;
      }
      long timeout = timeoutNanos;
      boolean own = message.frame(1).length != 0;
      if (own) {
        String problem = null;
        try {
          timeout = deadlineOption(message.frameString(1));
        } catch (IllegalArgumentException e) {
          problem = e.getMessage();
        }
        if (problem != null) {
          reject(message.frame(0), message.frame(2), problem);
          return true;
        }
      }
      long now = System.nanoTime();
      Request request = new Request(nextTicket++, message.frame(0), message.frame(2), message.dropFirst(3),
          now + timeout, own);
      outstanding.put(request.ticket, request);
      queue.addLast(request);
      if (own) {
        ownDeadlines.add(request);
      } else {
        byDeadline.addLast(request);
      }
      return true;
    }

    /** The timeout a request's options frame asks for, in nanoseconds. */
    private long deadlineOption(String options) {
      String prefix = DEADLINE_OPTION + "=";
      if (!options.startsWith(prefix)) {
        throw new IllegalArgumentException("options: " + options + " (expected: \"\" or \"" + prefix + "MILLIS\")");
      }
      String value = options.substring(prefix.length());
      long maxMillis = TimeUnit.NANOSECONDS.toMillis(maxTimeoutNanos);
      long millis;
      try {
        millis = value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')
            ? -1 : Long.parseLong(value);
      } catch (NumberFormatException e) {
        millis = -1;
      }
      if (millis < 1 || millis > maxMillis) {
        throw new IllegalArgumentException(prefix + value + " (expected: 1.." + maxMillis + " ms)");
      }
      return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** Hands queued requests to free workers, least recently used first. */
    private boolean dispatch() {
      boolean moved = false;
      while (!queue.isEmpty() && !ready.isEmpty()) {
        Request request = queue.peekFirst();
        if (request.answered) {
          queue.pollFirst();
          continue;
        }
        Worker worker = ready.pollFirst();
        worker.inReadyList = false;
        if (worker.gone || worker.leaving || worker.current != null) {
          continue;
        }
        byte[] ticket = ByteBuffer.allocate(Long.BYTES).putLong(request.ticket).array();
        Message out = request.body.prepend(ticket).prepend(REQUEST_BYTES).prepend(EMPTY).prepend(worker.id);
        boolean sent;
        try {
          sent = backend.trySend(out);
        } catch (RoutingException unreachable) {
          lose(worker);
          continue;
        }
        if (!sent) {
          continue; // its queue is full, which a live worker never causes; it becomes free again when heard from
        }
        queue.pollFirst();
        request.attempts++;
        worker.current = request;
        requests.incrementAndGet();
        moved = true;
      }
      return moved;
    }

    /** Heartbeats every worker and forgets the silent ones. */
    private void heartbeat(long now) {
      for (Iterator<Long> it = released.values().iterator(); it.hasNext(); ) {
        if (now - it.next() < 0) {
          break;
        }
        it.remove();
      }
      for (Iterator<Worker> it = workers.values().iterator(); it.hasNext(); ) {
        Worker worker = it.next();
        boolean reachable = true;
        if (now - worker.expiry < 0) {
          try {
            backend.trySend(Message.of(worker.id, EMPTY, HEARTBEAT_BYTES));
          } catch (RoutingException unreachable) {
            reachable = false;
          }
        } else {
          reachable = false;
        }
        if (!reachable) {
          it.remove();
          forget(worker);
        }
      }
    }

    private void lose(Worker worker) {
      workers.remove(worker.key, worker);
      forget(worker);
    }

    /** Drops a worker already removed from the map; its request goes back to the queue, or fails. */
    private void forget(Worker worker) {
      worker.gone = true;
      workersLost.incrementAndGet();
      Request request = worker.current;
      worker.current = null;
      if (request == null || request.answered) {
        return;
      }
      if (request.attempts >= maxAttempts) {
        fail(request, ATTEMPTS_EXHAUSTED);
      } else {
        redispatched.incrementAndGet();
        queue.addFirst(request);
      }
    }

    private boolean expireDeadlines(long now) {
      boolean moved = false;
      while (!ownDeadlines.isEmpty() && now - ownDeadlines.first().deadline >= 0) {
        fail(ownDeadlines.first(), DEADLINE_EXCEEDED); // removes it
        moved = true;
      }
      while (!byDeadline.isEmpty()) {
        Request request = byDeadline.peekFirst();
        if (!request.answered) {
          if (now - request.deadline < 0) {
            break;
          }
          fail(request, DEADLINE_EXCEEDED);
          moved = true;
        }
        byDeadline.pollFirst();
      }
      return moved;
    }

    /**
     * While answers wait for room at the frontend, nothing else moves ({@link #flush}): only the frontend's room is
     * waited on. Otherwise workers are read, and clients while fewer than the maximum of requests are held.
     */
    @Override
    public void watch(Poller poller) {
      boolean blocked = !toClients.isEmpty();
      DeviceRunner.watch(poller, frontend, !blocked && outstanding.size() < maxOutstanding, blocked);
      DeviceRunner.watch(poller, backend, !blocked, false);
    }

    /** The next heartbeat or request deadline. */
    @Override
    public long nanosToNextTimer() {
      long now = System.nanoTime();
      long until = nextHeartbeat - now;
      Request first = byDeadline.peekFirst();
      if (first != null) {
        until = Math.min(until, first.deadline - now);
      }
      if (!ownDeadlines.isEmpty()) {
        until = Math.min(until, ownDeadlines.first().deadline - now);
      }
      return Math.max(0, until); // the heartbeat timer always exists: never "none"
    }

    @Override
    public void stopped() {
      workerCount = 0;
      readyCount = 0;
    }
  }

  /** Builds and starts a {@link ReliableBroker}; not thread-safe. */
  public static final class Builder {
    private final Socket frontend;
    private final Socket backend;
    private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
    private int liveness = DEFAULT_LIVENESS;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private Duration maxRequestTimeout;
    private int maxOutstanding = DEFAULT_MAX_OUTSTANDING;

    private Builder(Socket frontend, Socket backend) {
      this.frontend = Objects.requireNonNull(frontend, "frontend");
      this.backend = Objects.requireNonNull(backend, "backend");
    }

    /** How often the broker heartbeats workers and looks for silent ones; default 1 s. */
    public Builder heartbeatInterval(Duration interval) {
      this.heartbeatInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /** How many heartbeat intervals of silence make a worker lost; default 3. */
    public Builder liveness(int liveness) {
      this.liveness = liveness;
      return this;
    }

    /** How many times, in all, a request may be dispatched before it fails; default 3. */
    public Builder maxAttempts(int attempts) {
      this.maxAttempts = attempts;
      return this;
    }

    /**
     * How long after reaching the broker a request fails with {@code "deadline exceeded"}, unless it gives a deadline
     * of its own; default 30 s.
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * The longest deadline a request may ask for ({@code deadline=MILLIS}); a longer one is answered {@code "bad
     * request: …"}. Default: the request timeout, so clients may shorten their deadlines but not lengthen them.
     */
    public Builder maxRequestTimeout(Duration timeout) {
      this.maxRequestTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * How many requests the broker holds at most (queued or at a worker); beyond that it stops reading the
     * frontend, so requests wait in the socket and then clients block. Default 10 000.
     */
    public Builder maxOutstanding(int requests) {
      this.maxOutstanding = requests;
      return this;
    }

    /**
     * Checks the settings and starts the broker.
     *
     * @throws IllegalArgumentException if a socket is not a ROUTER, they are the same socket, or a setting is out of
     *     range
     */
    public ReliableBroker start() {
      checkRouter("frontend", frontend);
      checkRouter("backend", backend);
      if (frontend == backend) {
        throw new IllegalArgumentException("backend: the frontend socket (expected: a different socket)");
      }
      checkPositive("heartbeatInterval", heartbeatInterval);
      checkPositive("requestTimeout", requestTimeout);
      if (maxRequestTimeout != null) {
        checkPositive("maxRequestTimeout", maxRequestTimeout);
        if (maxRequestTimeout.toMillis() < 1) {
          throw new IllegalArgumentException("maxRequestTimeout: " + maxRequestTimeout + " (expected: >= 1 ms)");
        }
      }
      if (liveness < 1) {
        throw new IllegalArgumentException("liveness: " + liveness + " (expected: >= 1)");
      }
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " (expected: >= 1)");
      }
      if (maxOutstanding < 1) {
        throw new IllegalArgumentException("maxOutstanding: " + maxOutstanding + " (expected: >= 1)");
      }
      ReliableBroker broker = new ReliableBroker(this);
      broker.runner.start();
      return broker;
    }

    private static void checkRouter(String name, Socket socket) {
      if (socket.type() != SocketType.ROUTER) {
        throw new IllegalArgumentException(name + ": " + socket.type() + " (expected: ROUTER)");
      }
    }

    private static void checkPositive(String name, Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
      }
    }
  }
}
