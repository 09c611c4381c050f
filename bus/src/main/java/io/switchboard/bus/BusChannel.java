package io.switchboard.bus;

import io.switchboard.bus.internal.EventPattern;
import io.switchboard.bus.internal.Protocol;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A channel a {@link BusClient} joined: emit on it, listen to it, make and answer requests on it. Made by {@link
 * BusClient#join}; every method is thread-safe and none blocks (except {@link #emit} while the queue to the node is
 * full). Listeners and handlers stay in place across reconnections.
 */
public final class BusChannel {
  private static final Logger LOG = LoggerFactory.getLogger(BusChannel.class);

  private final BusClient client;
  private final String name;
  final byte[] nameBytes;
  private final CopyOnWriteArrayList<Registration> listeners = new CopyOnWriteArrayList<>();
  final Map<String, RequestHandler> handlers = new ConcurrentHashMap<>();
  final Map<String, CompletableFuture<Void>> handling = new ConcurrentHashMap<>();
  final CompletableFuture<Void> joined = new CompletableFuture<>();
  final CompletableFuture<String> closed = new CompletableFuture<>();

  private record Registration(EventPattern pattern, EventListener listener, boolean once) {}

  BusChannel(BusClient client, String name) {
    this.client = client;
    this.name = name;
    this.nameBytes = Protocol.utf8(name);
  }

  /** The channel's name. */
  public String name() {
    return name;
  }

  /**
   * Completes when the node has confirmed the join, or exceptionally with a {@link BusException} if it refused (no
   * such channel). Events emitted on the channel before then may not reach this client's listeners.
   */
  public CompletableFuture<Void> joined() {
    return joined;
  }

  /**
   * Completes with the reason when the node closes the channel (it was removed from the node's configuration) or the
   * client leaves it.
   */
  public CompletableFuture<String> closed() {
    return closed;
  }

  /**
   * Emits an event to every listener of this channel (and of the channels its rules copy to), encoded once in the
   * client's data format. Waits while the queue to the node is full, up to the client's send timeout.
   *
   * @return whether the event was queued; {@code false} if the queue stayed full for the send timeout
   * @throws BusException if the data cannot be encoded, or the client is closed
   */
  public boolean emit(String event, Object data) {
    return client.emit(nameBytes, event, client.format().encode(data), client.format());
  }

  /** Emits an event whose data is already encoded in {@code format}, as {@link #emit(String, Object)}. */
  public boolean emitEncoded(String event, DataFormat format, byte[] data) {
    return client.emit(nameBytes, event, data, format);
  }

  /**
   * Adds a listener for events whose name matches {@code pattern}: an exact name, NATS-style wildcards on
   * dot-separated tokens ({@code order.*}, {@code order.>}), or a regular expression between slashes ({@code
   * /^log/}). Adding the same listener twice makes two registrations.
   *
   * @throws IllegalArgumentException if the pattern is invalid
   */
  public BusChannel on(String pattern, EventListener listener) {
    listeners.add(new Registration(EventPattern.compile(pattern), Objects.requireNonNull(listener), false));
    return this;
  }

  /** Adds a listener that is removed after the first event it gets, as {@link #on}. */
  public BusChannel once(String pattern, EventListener listener) {
    listeners.add(new Registration(EventPattern.compile(pattern), Objects.requireNonNull(listener), true));
    return this;
  }

  /**
   * Removes one registration of exactly this listener with exactly this pattern; every other listener stays.
   *
   * @return whether one was removed
   */
  public boolean off(String pattern, EventListener listener) {
    for (Registration r : listeners) {
      if (r.listener == listener && r.pattern.toString().equals(pattern)) {
        return listeners.remove(r);
      }
    }
    return false;
  }

  /**
   * Sends a request to one handler of {@code event} on this channel (the node takes handlers in turn).
   *
   * @return the reply, or a future failed with {@link RequestFailedException} when there is no handler, the handler
   *     failed, or no reply came within {@code timeout}
   */
  public CompletableFuture<BusEvent> request(String event, Object data, Duration timeout) {
    return client.request(nameBytes, name, event, client.format(), client.format().encode(data), timeout);
  }

  /**
   * Answers requests for {@code event} on this channel, replacing this client's earlier handler of it. Handlers of
   * one event in several clients share its requests.
   *
   * @return completes when the node has registered the handler
   */
  public CompletableFuture<Void> handle(String event, RequestHandler handler) {
    handlers.put(event, Objects.requireNonNull(handler));
    CompletableFuture<Void> ready = handling.computeIfAbsent(event, e -> new CompletableFuture<>());
    client.sendHandle(this, event, true);
    return ready;
  }

  /** Stops answering requests for {@code event}. */
  public void unhandle(String event) {
    handlers.remove(event);
    handling.remove(event);
    client.sendHandle(this, event, false);
  }

  /** Leaves the channel: its listeners get nothing more. */
  public void leave() {
    client.leave(this);
  }

  void dispatch(BusEvent event) {
    String eventName = event.event();
    for (Registration r : listeners) {
      if (r.pattern.matches(eventName) && (!r.once || listeners.remove(r))) {
        try {
          r.listener.onEvent(event);
        } catch (RuntimeException e) {
          LOG.warn("bus client: a listener of {} threw on {}", name, eventName, e);
        }
      }
    }
  }

  @Override
  public String toString() {
    return "BusChannel[" + name + "]";
  }
}
