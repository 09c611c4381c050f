package io.switchboard.socket;

import io.switchboard.socket.internal.SocketCore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A ZeroMQ-compatible socket: one routing strategy ({@link SocketType}) over any number of connections, made by
 * {@link Context#socket(SocketType)}.
 *
 * <p>A socket binds and connects to any number of endpoints, in any order, before or after its peers exist.
 * Connections made with {@link #connect} come back by themselves after any loss, with a growing backoff; messages
 * for a connection that is not up yet wait in its queue up to the high-water mark.
 *
 * <p><b>Threads.</b> Every method may be called from any thread. Blocking calls take a timeout; interrupting a
 * blocked thread throws {@link InterruptedOperationException} and leaves the socket usable.
 *
 * <p><b>Errors.</b> "Would block" is a return value ({@code false} or {@code null}); a closed socket throws {@link
 * SocketClosedException}; calling {@code send} or {@code receive} on a type that cannot, or out of turn on REQ/REP,
 * throws {@link IllegalStateException} or {@link RoutingException}.
 *
 * <pre>{@code
 * try (Context context = new Context();
 *      Socket pull = context.socket(SocketType.PULL);
 *      Socket push = context.socket(SocketType.PUSH)) {
 *   String endpoint = pull.bind("tcp://127.0.0.1:*");
 *   push.connect(endpoint);
 *   push.send(Message.of("hello"));
 *   Message m = pull.receive(Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class Socket implements AutoCloseable {
  private final SocketCore core;
  private LibzmqMonitor libzmqMonitor;

  Socket(SocketCore core) {
    this.core = core;
  }

  /** The implementation, for {@link Poller}. */
  SocketCore core() {
    return core;
  }

  /** This socket's type. */
  public SocketType type() {
    return core.type();
  }

  /** This socket's options. */
  public SocketOptions options() {
    return core.options();
  }

  /**
   * Binds to an endpoint and returns the endpoint actually bound, with an ephemeral port or ipc path filled in.
   *
   * @throws EndpointException if the endpoint is malformed or cannot be bound
   */
  public String bind(String endpoint) {
    return core.bind(Endpoint.parse(endpoint));
  }

  /**
   * Connects to an endpoint. Returns at once: the connection is made, and remade after any loss, in the background.
   *
   * @throws EndpointException if the endpoint is malformed
   */
  public void connect(String endpoint) {
    core.connect(Endpoint.parse(endpoint));
  }

  /** Stops listening on a bound endpoint (as returned by {@link #bind}) and closes its connections. */
  public void unbind(String endpoint) {
    core.unbind(Endpoint.parse(endpoint));
  }

  /** Stops connecting to an endpoint and closes its connection; what was queued for it is dropped. */
  public void disconnect(String endpoint) {
    core.disconnect(Endpoint.parse(endpoint));
  }

  /** The endpoints this socket is bound to, as {@link #bind} returned them. */
  public List<String> boundEndpoints() {
    return core.boundEndpoints();
  }

  /**
   * Sends a message, blocking while every eligible queue is at its high-water mark. PUB and XPUB never block: they
   * drop for subscribers whose queue is full.
   *
   * @throws SocketClosedException if the socket is closed
   * @throws InterruptedOperationException if the thread is interrupted while blocked
   */
  public void send(Message message) {
    core.send(message, -1);
  }

  /** Sends a one-frame message of UTF-8 text, as {@link #send(Message)}. */
  public void send(String text) {
    send(Message.of(text.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Sends a message, waiting at most {@code timeout} for room.
   *
   * @return whether the message was queued
   */
  public boolean send(Message message, Duration timeout) {
    return core.send(message, timeout.toNanos());
  }

  /**
   * Sends a message if there is room now.
   *
   * @return whether the message was queued; {@code false} means "would block"
   */
  public boolean trySend(Message message) {
    return core.send(message, 0);
  }

  /**
   * Sends a message of buffers without copying it, blocking as {@link #send(Message)} does: over tcp and ipc, small
   * frames are copied into the batch being written (as any message's are) and frames of 16 KiB or more are written
   * by reference; over inproc the message goes by reference to a peer made with {@code zeroCopyReceive} (as a {@link
   * DirectMessage#retainedDuplicate()} if the caller still shares it) and as a copy to any other. For PUSH, DEALER,
   * PAIR, ROUTER (routed by the first frame, as {@link #send(Message)}), PUB and XPUB sockets.
   *
   * <p>The socket takes the caller's reference over and releases it once the message is written or dropped (PUB
   * keeps one per subscriber meanwhile); the caller must not touch the message afterwards, unless it {@link
   * DirectMessage#retain() retained} it first (to send it again, say). A received {@link DirectMessage} can be passed
   * on this way, from one socket to another, without a copy of its payload.
   *
   * @throws IllegalStateException on another socket type (the caller keeps the message then)
   * @throws SocketClosedException if the socket is closed (the caller keeps the message)
   * @throws InterruptedOperationException if the thread is interrupted while blocked (the caller keeps the message)
   */
  public void send(DirectMessage message) {
    core.send(message, -1);
  }

  /**
   * As {@link #send(DirectMessage)}, waiting at most {@code timeout} for room.
   *
   * @return whether the message was queued (then the socket owns it; else the caller still does)
   */
  public boolean send(DirectMessage message, Duration timeout) {
    return core.send(message, timeout.toNanos());
  }

  /**
   * As {@link #send(DirectMessage)}, if there is room now.
   *
   * @return whether the message was queued (then the socket owns it; else the caller still does)
   */
  public boolean trySend(DirectMessage message) {
    return core.send(message, 0);
  }

  /**
   * Receives the next message, blocking until one arrives.
   *
   * @throws SocketClosedException if the socket is closed while waiting
   * @throws InterruptedOperationException if the thread is interrupted while blocked
   */
  public Message receive() {
    return core.receive(-1);
  }

  /**
   * Receives the next message, waiting at most {@code timeout}.
   *
   * @return the message, or {@code null} if none arrived in time
   */
  public Message receive(Duration timeout) {
    return core.receive(timeout.toNanos());
  }

  /** Receives a message if one is waiting, or returns {@code null}. */
  public Message tryReceive() {
    return core.receive(0);
  }

  /**
   * Receives the next message without copying it, blocking until one arrives: on a socket made with {@link
   * SocketOptions.Builder#zeroCopyReceive(boolean)}, a message from a tcp or ipc peer comes as its connection read it,
   * in pooled direct buffers; any other message comes over its arrays. The caller owns the message and must release
   * it ({@link DirectMessage#close()}); see {@link DirectMessage} for the rules.
   *
   * @throws SocketClosedException if the socket is closed while waiting
   * @throws InterruptedOperationException if the thread is interrupted while blocked
   */
  public DirectMessage receiveDirect() {
    return core.receiveDirect(-1);
  }

  /**
   * As {@link #receiveDirect()}, waiting at most {@code timeout}.
   *
   * @return the message, to be released, or {@code null} if none arrived in time
   */
  public DirectMessage receiveDirect(Duration timeout) {
    return core.receiveDirect(timeout.toNanos());
  }

  /** As {@link #receiveDirect()}, if a message is waiting; else {@code null}. */
  public DirectMessage tryReceiveDirect() {
    return core.receiveDirect(0);
  }

  /**
   * Receives the next message asynchronously. The future completes on an I/O thread (use the {@code *Async} stages of
   * {@link CompletableFuture} for slow work), or exceptionally with {@link SocketClosedException} when the socket
   * closes. Cancelling the future gives up its claim; no message is lost.
   */
  public CompletableFuture<Message> receiveAsync() {
    return core.receiveAsync();
  }

  /**
   * Subscribes a SUB socket to messages whose first frame starts with {@code prefix}; an empty prefix means
   * everything. Subscriptions are counted: subscribing twice needs two unsubscribes.
   *
   * @throws IllegalStateException if this is not a SUB socket (XSUB sends subscriptions as messages)
   */
  public void subscribe(byte[] prefix) {
    core.subscribe(prefix, true);
  }

  /** Subscribes to a UTF-8 prefix, as {@link #subscribe(byte[])}. */
  public void subscribe(String prefix) {
    subscribe(prefix.getBytes(StandardCharsets.UTF_8));
  }

  /** Removes one subscription made by {@link #subscribe(byte[])}. */
  public void unsubscribe(byte[] prefix) {
    core.subscribe(prefix, false);
  }

  /** Removes one subscription to a UTF-8 prefix. */
  public void unsubscribe(String prefix) {
    unsubscribe(prefix.getBytes(StandardCharsets.UTF_8));
  }

  /** Adds a listener for connection events. */
  public void addMonitor(MonitorListener listener) {
    core.addMonitor(listener);
  }

  /** Removes a listener added by {@link #addMonitor}. */
  public void removeMonitor(MonitorListener listener) {
    core.removeMonitor(listener);
  }

  /**
   * A snapshot of this socket's counters (messages, octets, drops, reconnects, handshake failures) and queue depths.
   * Cheap enough to call every second; the counters are kept whether or not anyone reads them. {@link
   * io.switchboard.socket.metrics.SocketMetrics} publishes them to Micrometer.
   */
  public SocketStatistics statistics() {
    return core.statistics();
  }

  /** This socket's name as it appears in messages and metrics: its type and a number, such as {@code PUB#3}. */
  public String name() {
    return core.name();
  }

  /**
   * Publishes this socket's monitor events the way libzmq's {@code zmq_socket_monitor} does: on a PAIR socket bound
   * to {@code endpoint} (inproc only), two frames per event, a 16-bit event number and a 32-bit value, then the
   * endpoint. Connect a PAIR of the same context to read them; code written for libzmq's monitor decodes them
   * unchanged. {@code types} picks the events (none: all). Events map to libzmq's as follows: LISTENING, ACCEPTED,
   * CONNECTED (each connection event followed by HANDSHAKE_SUCCEEDED, since ours fire after the handshake),
   * DISCONNECTED, HANDSHAKE_FAILED (HANDSHAKE_FAILED_AUTH for a refusal by the authenticator, _PROTOCOL otherwise),
   * RECONNECT_SCHEDULED as CONNECT_RETRIED with the delay in ms, CLOSED, then MONITOR_STOPPED when the socket closes
   * or {@link #stopMonitor()} is called. Events the reader has not taken past the PAIR's high-water mark are
   * dropped, as in libzmq. Calling this again replaces the previous monitor.
   *
   * @throws EndpointException if {@code endpoint} is not {@code inproc://} or is taken
   */
  public void monitor(String endpoint, MonitorEvent.Type... types) {
    Endpoint parsed = Endpoint.parse(endpoint);
    if (parsed.transport() != Endpoint.Transport.INPROC) {
      throw new EndpointException("monitor endpoint: " + endpoint + " (expected: inproc://NAME, as libzmq)");
    }
    Socket pair = new Socket(core.context().newSocket(SocketType.PAIR, SocketOptions.DEFAULTS));
    try {
      pair.bind(endpoint);
    } catch (RuntimeException e) {
      pair.close();
      throw e;
    }
    LibzmqMonitor next = new LibzmqMonitor(pair, java.util.List.of(types));
    replaceMonitor(next);
    core.addMonitor(next);
  }

  /** Stops the monitor started by {@link #monitor(String, MonitorEvent.Type...)}, if any: sends MONITOR_STOPPED. */
  public void stopMonitor() {
    replaceMonitor(null);
  }

  /** Puts {@code next} (or none) in place of the libzmq-format monitor, and stops the one it replaces. */
  private void replaceMonitor(LibzmqMonitor next) {
    LibzmqMonitor previous;
    synchronized (this) {
      previous = libzmqMonitor;
      libzmqMonitor = next;
    }
    if (previous != null) {
      core.removeMonitor(previous);
      previous.stop();
    }
  }

  /** Whether {@link #close()} has been called, on this socket or its context. */
  public boolean isClosed() {
    return core.isClosed();
  }

  /**
   * Closes the socket: waits up to the linger time for queued messages to be written, then closes every connection
   * and listener. Idempotent; never waits longer than the linger time plus a short bound for the I/O threads.
   */
  @Override
  public void close() {
    core.close();
  }

  @Override
  public String toString() {
    return core.toString();
  }
}
