package io.switchboard.devices;

import io.switchboard.socket.DirectMessage;
import io.switchboard.socket.Message;
import io.switchboard.socket.Poller;
import io.switchboard.socket.RoutingException;
import io.switchboard.socket.Socket;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Forwards whole messages between a frontend and a backend socket on a thread of its own, like libzmq's {@code
 * zmq_proxy_steerable}: ROUTER↔DEALER (a request-reply queue), XSUB↔XPUB (a pub-sub forwarder; subscriptions flow
 * upstream from the XPUB side to the XSUB side), PULL→PUSH (a pipeline streamer). A direction exists where one side
 * can receive and the other can send, so PULL→PUSH forwards one way and the others both ways.
 *
 * <pre>{@code
 * Socket frontend = context.socket(SocketType.ROUTER);
 * Socket backend = context.socket(SocketType.DEALER);
 * frontend.bind("tcp://*:5559");
 * backend.bind("tcp://*:5560");
 * try (Proxy proxy = Proxy.start(frontend, backend)) {
 *   ...                                  // clients connect REQ to 5559, workers REP to 5560
 * }
 * }</pre>
 *
 * <p><b>Zero copy.</b> A direction whose input was made with {@code zeroCopyReceive} and whose output can send
 * {@link DirectMessage}s (PUSH, DEALER, PAIR, ROUTER, PUB, XPUB) forwards messages as the input read them, without
 * copying their payload: a ROUTER/DEALER queue of two such sockets copies nothing but small frames into its writes.
 *
 * <p><b>Capture.</b> With a capture socket (usually PUB or PUSH), every forwarded message is also sent there, as
 * forwarded (ROUTER envelopes included), without waiting: a capture that has no room drops the copy, so a slow
 * observer never slows the proxy.
 *
 * <p><b>Steering.</b> {@link #pause()} stops reading (messages wait in the sockets' queues, up to their high-water
 * marks, then peers block or drop as their type does); {@link #resume()} carries on; {@link #statistics()} counts
 * what went each way; {@link #terminate()} stops the thread. When an output is full, the proxy holds that one message
 * and stops reading its input until there is room; the other direction keeps flowing.
 *
 * <p><b>Threads and ownership.</b> The steering methods may be called from any thread. While the proxy runs, it alone
 * receives on and sends to its sockets. It does not close them: their owner does, after {@link #terminate()}. If a
 * socket is closed under it, the proxy stops and {@link #failure()} says why.
 */
public final class Proxy implements AutoCloseable {
  /** How long {@link #close()} waits for the proxy thread to stop. */
  public static final Duration DEFAULT_TERMINATE_TIMEOUT = Duration.ofSeconds(5);

  private final Direction forward;
  private final Direction backward;
  private final Socket capture;
  private final DeviceRunner runner;

  private Proxy(Socket frontend, Socket backend, Socket capture) {
    Objects.requireNonNull(frontend, "frontend");
    Objects.requireNonNull(backend, "backend");
    if (frontend == backend) {
      throw new IllegalArgumentException("backend: the frontend socket (expected: a different socket)");
    }
    if (capture != null && !capture.type().canSend()) {
      throw new IllegalArgumentException("capture: " + capture.type() + " (expected: a type that can send, "
          + "usually PUB or PUSH)");
    }
    this.runner = new DeviceRunner("proxy", new Loop());
    this.forward = canForward(frontend, backend) ? new Direction(frontend, backend) : null;
    this.backward = canForward(backend, frontend) ? new Direction(backend, frontend) : null;
    if (forward == null && backward == null) {
      throw new IllegalArgumentException("frontend/backend: " + frontend.type() + "/" + backend.type()
          + " (expected: a pair where one side receives what the other sends, as ROUTER/DEALER, XSUB/XPUB, "
          + "PULL/PUSH)");
    }
    this.capture = capture;
  }

  private static boolean canForward(Socket from, Socket to) {
    return from.type().canReceive() && to.type().canSend();
  }

  /**
   * Starts forwarding between {@code frontend} and {@code backend}.
   *
   * @throws IllegalArgumentException if no message can flow between the two types, or they are the same socket
   */
  public static Proxy start(Socket frontend, Socket backend) {
    return start(frontend, backend, null);
  }

  /**
   * Starts forwarding between {@code frontend} and {@code backend}, copying every forwarded message to {@code
   * capture} (which may be null).
   *
   * @throws IllegalArgumentException if no message can flow between the two types, they are the same socket, or the
   *     capture socket cannot send
   */
  public static Proxy start(Socket frontend, Socket backend, Socket capture) {
    Proxy proxy = new Proxy(frontend, backend, capture);
    proxy.runner.start();
    return proxy;
  }

  /** Stops reading from both sides; what arrives waits in the sockets' queues. Idempotent. */
  public void pause() {
    runner.pause();
  }

  /** Resumes forwarding after {@link #pause()}. Idempotent. */
  public void resume() {
    runner.resume();
  }

  /** Whether the proxy is paused. */
  public boolean isPaused() {
    return runner.isPaused();
  }

  /** Whether the proxy thread still runs (it stops on {@link #terminate()} or when a socket is closed). */
  public boolean isRunning() {
    return runner.isRunning();
  }

  /** What the proxy has forwarded so far. */
  public Statistics statistics() {
    return new Statistics(
        forward == null ? 0 : forward.messages.get(),
        forward == null ? 0 : forward.bytes.get(),
        backward == null ? 0 : backward.messages.get(),
        backward == null ? 0 : backward.bytes.get());
  }

  /** Why the proxy thread stopped on its own (a socket closed under it, a bug), if it did. */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(runner.failure());
  }

  /**
   * Stops the proxy thread and waits for it, at most {@code timeout}. A message already taken from an input but not
   * yet accepted by its output (at most one per direction) is dropped. Idempotent.
   *
   * @return whether the thread has stopped
   */
  public boolean terminate(Duration timeout) {
    return runner.terminate(timeout);
  }

  /** Stops the proxy thread, waiting at most {@link #DEFAULT_TERMINATE_TIMEOUT}. Idempotent. */
  public void terminate() {
    terminate(DEFAULT_TERMINATE_TIMEOUT);
  }

  /** Waits at most {@code timeout} for the proxy thread to stop; returns whether it has. */
  public boolean awaitTermination(Duration timeout) {
    return runner.awaitTermination(timeout);
  }

  /** The same as {@link #terminate()}; the sockets stay open. */
  @Override
  public void close() {
    terminate();
  }

  /**
   * Counts of forwarded messages and their bytes (all frames, routing ids included), each way.
   *
   * @param frontendToBackendMessages messages read from the frontend and sent to the backend
   * @param frontendToBackendBytes their bytes
   * @param backendToFrontendMessages messages read from the backend and sent to the frontend
   * @param backendToFrontendBytes their bytes
   */
  public record Statistics(
      long frontendToBackendMessages,
      long frontendToBackendBytes,
      long backendToFrontendMessages,
      long backendToFrontendBytes) {}

  /** One way through the proxy; used by the proxy thread only, except the counters. */
  private final class Direction {
    final Socket input;
    final Socket output;
    /** Whether messages go through as the input read them ({@link DirectMessage}s); see "Zero copy" above. */
    final boolean direct;
    final AtomicLong messages = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    /**
     * A message taken from the input that the output had no room for yet: a {@link Message} or, when direct, a
     * {@link DirectMessage} the proxy owns.
     */
    Object held;

    Direction(Socket input, Socket output) {
      this.input = input;
      this.output = output;
      this.direct = input.options().zeroCopyReceive() && output.type().canSendDirect();
    }

    /** Forwards what it can, at most a batch, so the other direction gets its turn. */
    boolean step() {
      boolean moved = false;
      for (int i = 0; i < 256; i++) {
        Object message = held != null ? held : direct ? input.tryReceiveDirect() : input.tryReceive();
        if (message == null) {
          return moved;
        }
        DirectMessage d = message instanceof DirectMessage m ? m : null;
        long size = d != null ? d.byteSize() : ((Message) message).byteSize();
        if (d != null && capture != null) {
          d.retain(); // the capture's reference, taken before the send gives ours away
        }
        if (!send(message)) {
          if (d != null && capture != null) {
            d.release();
          }
          held = message;
          return moved;
        }
        held = null;
        moved = true;
        messages.incrementAndGet();
        bytes.addAndGet(size);
        if (capture != null) {
          capture(message);
        }
      }
      return moved;
    }

    /** Sends on the output; false if it has no room. A direct message sent, or dropped, is no longer ours. */
    private boolean send(Object message) {
      if (!(message instanceof DirectMessage d)) {
        try {
          return output.trySend((Message) message);
        } catch (RoutingException unroutable) {
          return true; // a ROUTER with routerMandatory and an unknown peer: dropped, as a plain ROUTER does
        }
      }
      try {
        return output.trySend(d);
      } catch (RoutingException unroutable) {
        d.release();
        return true;
      }
    }

    /**
     * A copy to the capture socket, if it has room: the direct message itself (the reference {@link #step} took for
     * it), or a simple message.
     */
    private void capture(Object message) {
      if (!(message instanceof DirectMessage d)) {
        capture.trySend((Message) message);
      } else if (!capture.type().canSendDirect()) {
        capture.trySend(d.toMessage());
        d.release();
      } else if (!capture.trySend(d)) {
        d.release();
      }
    }

    /** Drops a held direct message when the proxy stops. */
    void releaseHeld() {
      if (held instanceof DirectMessage d) {
        d.release();
      }
      held = null;
    }
  }

  private final class Loop implements DeviceRunner.Loop {
    @Override
    public boolean step() {
      boolean moved = false;
      if (forward != null) {
        moved |= forward.step();
      }
      if (backward != null) {
        moved |= backward.step();
      }
      return moved;
    }

    /** Reads an input whose message would have somewhere to go; waits for room where a message is held. */
    @Override
    public void watch(Poller poller) {
      boolean frontendRead = forward != null && forward.held == null;
      boolean backendWrite = forward != null && forward.held != null;
      boolean backendRead = backward != null && backward.held == null;
      boolean frontendWrite = backward != null && backward.held != null;
      Socket frontend = forward != null ? forward.input : backward.output;
      Socket backend = forward != null ? forward.output : backward.input;
      DeviceRunner.watch(poller, frontend, frontendRead, frontendWrite);
      DeviceRunner.watch(poller, backend, backendRead, backendWrite);
    }

    @Override
    public void stopped() {
      // The device reads with tryReceive only, so nothing is outstanding but a held message: a direct one is ours.
      if (forward != null) {
        forward.releaseHeld();
      }
      if (backward != null) {
        backward.releaseHeld();
      }
    }
  }
}
