package io.switchboard.devices;

import io.switchboard.socket.Message;
import io.switchboard.socket.Poller;
import io.switchboard.socket.RoutingException;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A broker that hands each client request to the least recently used ready worker, on a thread of its own: the
 * ZeroMQ guide's load-balancing ("LRU queue") pattern. Unlike a ROUTER↔DEALER {@link Proxy}, which deals requests
 * round-robin whether a worker is busy or not, a request here goes only to a worker that has said it is free.
 *
 * <p><b>Protocol.</b> Clients are REQ (or DEALER sending an empty delimiter first) sockets connected to the
 * frontend ROUTER. Workers are REQ sockets connected to the backend ROUTER:
 *
 * <pre>
 *  worker → broker   ["READY"]                         once, at start
 *  broker → worker   [clientId, "", request frames...]
 *  worker → broker   [clientId, "", reply frames...]   the reply is also the worker's next "ready"
 * </pre>
 *
 * (as the worker's REQ socket sees them; on the wire each has the REQ's empty delimiter in front). Requests that
 * arrive while no worker is ready stay in the frontend's queue, up to its high-water mark.
 *
 * <p><b>Failures.</b> A worker that dies holding a request loses it; the client should retry ({@link
 * LazyPirateClient}). If the backend socket has {@link io.switchboard.socket.SocketOptions#routerMandatory()} set, a
 * request for a worker that disconnected while it waited in the ready list goes to the next ready worker instead of
 * being dropped. Malformed messages from workers are dropped and counted.
 *
 * <p><b>Threads and ownership.</b> As {@link Proxy}: the steering methods may be called from any thread, the broker
 * alone uses its sockets while it runs, and their owner closes them after {@link #terminate()}.
 */
public final class LoadBalancingBroker implements AutoCloseable {
  /** The message a worker sends when it starts, to say it is ready. */
  public static final String READY = "READY";

  private static final byte[] READY_BYTES = READY.getBytes(StandardCharsets.UTF_8);
  private static final byte[] EMPTY = new byte[0];

  private final Socket frontend;
  private final Socket backend;
  private final DeviceRunner runner;
  /** Ready workers' routing ids, least recently used first; used by the broker thread only. */
  private final ArrayDeque<byte[]> ready = new ArrayDeque<>();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong replies = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private volatile int readyCount;
  /** A request taken from the frontend whose worker turned out to be gone; goes to the next ready worker. */
  private Message heldRequest;
  /** A reply the frontend had no room for yet. */
  private Message heldReply;

  private LoadBalancingBroker(Socket frontend, Socket backend) {
    this.frontend = Objects.requireNonNull(frontend, "frontend");
    this.backend = Objects.requireNonNull(backend, "backend");
    checkRouter("frontend", frontend);
    checkRouter("backend", backend);
    if (frontend == backend) {
      throw new IllegalArgumentException("backend: the frontend socket (expected: a different socket)");
    }
    this.runner = new DeviceRunner("broker", new Loop());
  }

  private static void checkRouter(String name, Socket socket) {
    if (socket.type() != SocketType.ROUTER) {
      throw new IllegalArgumentException(name + ": " + socket.type() + " (expected: ROUTER)");
    }
  }

  /**
   * Starts the broker between a frontend ROUTER for clients and a backend ROUTER for workers.
   *
   * @throws IllegalArgumentException if either socket is not a ROUTER, or they are the same socket
   */
  public static LoadBalancingBroker start(Socket frontend, Socket backend) {
    LoadBalancingBroker broker = new LoadBalancingBroker(frontend, backend);
    broker.runner.start();
    return broker;
  }

  /** How many workers are ready for a request now. */
  public int readyWorkers() {
    return readyCount;
  }

  /** How many requests have been handed to workers. */
  public long requests() {
    return requests.get();
  }

  /** How many replies have been handed to the frontend. */
  public long replies() {
    return replies.get();
  }

  /** How many messages from workers were dropped for not following the protocol. */
  public long malformedMessages() {
    return malformed.get();
  }

  /** Stops handing out requests; workers' replies and READYs wait too. Idempotent. */
  public void pause() {
    runner.pause();
  }

  /** Resumes after {@link #pause()}. Idempotent. */
  public void resume() {
    runner.resume();
  }

  /** Whether the broker thread still runs. */
  public boolean isRunning() {
    return runner.isRunning();
  }

  /** Why the broker thread stopped on its own, if it did. */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(runner.failure());
  }

  /** Stops the broker thread, waiting at most {@code timeout}; returns whether it stopped. Idempotent. */
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

  private final class Loop implements DeviceRunner.Loop {
    @Override
    public boolean step() {
      boolean moved = false;
      for (int i = 0; i < 256; i++) {
        boolean any = fromWorkers() | toWorkers();
        if (!any) {
          break;
        }
        moved = true;
      }
      readyCount = ready.size();
      return moved;
    }

    /** Takes one message from the workers: a READY or a reply. */
    private boolean fromWorkers() {
      if (heldReply != null) {
        if (!frontend.trySend(heldReply)) {
          return false;
        }
        heldReply = null;
        replies.incrementAndGet();
      }
      Message message = backend.tryReceive();
      if (message == null) {
        return false;
      }
      // [workerId, "", READY] or [workerId, "", clientId, "", reply...]
      byte[] worker = message.frame(0);
      if (message.size() == 3 && message.frame(1).length == 0 && Arrays.equals(message.frame(2), READY_BYTES)) {
        ready.addLast(worker);
      } else if (message.size() >= 5 && message.frame(1).length == 0 && message.frame(3).length == 0) {
        ready.addLast(worker);
        Message reply = message.dropFirst(2);
        if (frontend.trySend(reply)) {
          replies.incrementAndGet();
        } else {
          heldReply = reply;
        }
      } else {
        malformed.incrementAndGet();
      }
      return true;
    }

    /** Hands one request to the least recently used ready worker, if there is one. */
    private boolean toWorkers() {
      if (ready.isEmpty()) {
        return false;
      }
      Message request = heldRequest != null ? heldRequest : frontend.tryReceive();
      if (request == null) {
        return false;
      }
      heldRequest = null;
      if (request.size() < 3 || request.frame(1).length != 0) {
        return true; // not [clientId, "", body...]: a REQ-style client is required; dropped
      }
      byte[] worker = ready.pollFirst();
      try {
        if (!backend.trySend(request.prepend(EMPTY).prepend(worker))) {
          // that worker's queue is full, which a worker following the protocol never causes: try the next one
          heldRequest = request;
          return true;
        }
      } catch (RoutingException gone) {
        heldRequest = request;
        return true;
      }
      requests.incrementAndGet();
      return true;
    }

    /**
     * Workers are read unless a reply waits for room at the frontend (then the frontend is waited on for that);
     * clients only while a worker is ready.
     */
    @Override
    public void watch(Poller poller) {
      DeviceRunner.watch(poller, frontend, !ready.isEmpty(), heldReply != null);
      DeviceRunner.watch(poller, backend, heldReply == null, false);
    }

    @Override
    public void stopped() {
      readyCount = 0;
    }
  }
}
