package io.switchboard.bus;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.EventLoop;
import io.switchboard.bus.internal.DataCodec;
import io.switchboard.bus.internal.EmitBatcher;
import io.switchboard.bus.internal.Fields;
import io.switchboard.bus.internal.InboundLoop;
import io.switchboard.bus.internal.Protocol;
import io.switchboard.bus.internal.Protocol.Verb;
import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import io.switchboard.socket.MonitorEvent;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to a bus node, over which any number of channels are joined (multiplexed on one ZMTP connection).
 *
 * <pre>{@code
 * try (BusClient client = BusClient.connect()) {          // the local node, at BusNode.defaultEndpoint()
 *   BusChannel a = client.join("A");
 *   a.on("log", event -> System.out.println(event.data(String.class)));
 *   a.handle("echo", request -> request.json());
 *   a.emit("log", "TESTE");
 *   BusEvent reply = a.request("echo", Map.of("n", 1), Duration.ofSeconds(2)).join();
 * }
 * }</pre>
 *
 * <p><b>Reconnection.</b> The client connects in the background and reconnects after any loss, with a growing
 * backoff and jitter; after each connection it joins its channels and registers its handlers again, so listeners
 * and handlers carry on. Events emitted while disconnected wait in a queue of {@link Builder#queue} events.
 *
 * <p><b>Threads.</b> Every method is thread-safe. Listeners and handlers run on the client's one I/O thread, the one
 * that reads from the node, one at a time and in order; futures complete there too. They must not block: waiting
 * there for a reply (a {@code join()} on a request) waits forever, since that thread would read the reply. Use the
 * {@code *Async} stages of the futures, or hand slow work to an executor. Emitting from a listener never blocks: with
 * the queue to the node full, {@code emit} returns {@code false}.
 */
public final class BusClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BusClient.class);
  /** Events queued for the node before {@link BusChannel#emit} waits. */
  public static final int DEFAULT_QUEUE = 10_000;
  /** How long {@link BusChannel#emit} waits for room in a full queue. */
  public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(5);

  /**
   * Times out requests made off the I/O thread; one daemon thread for every client of the JVM, its tasks removed
   * when cancelled.
   */
  private static final ScheduledThreadPoolExecutor TIMEOUTS = timeouts();
  private static final byte[] NO_HANDLER_CODE = Protocol.utf8(RequestFailedException.Reason.NO_HANDLER.wireName());

  private final Options options;
  private final String id;
  private final Context context;
  private final Socket socket;
  private final Map<String, BusChannel> channels = new ConcurrentHashMap<>();
  /** The names of channels this client emits on without joining them. */
  private final Map<String, byte[]> channelNames = new ConcurrentHashMap<>();
  private final Map<String, Pending<BusEvent>> requests = new ConcurrentHashMap<>();
  private final Map<String, Pending<JsonNode>> controls = new ConcurrentHashMap<>();
  private final Queue<CompletableFuture<Void>> flushes = new ConcurrentLinkedQueue<>();
  private final AtomicLong nextId = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile String nodeId = "";
  /** The I/O thread that reads from the node and runs listeners and handlers; set when it first does. */
  private volatile Thread dispatchThread;
  /** Dispatch state, touched by the I/O thread only: the parsed header, the last channel and event seen. */
  private final Fields fields = new Fields();
  private BusChannel lastChannel;
  /** Gathers emits from the application's threads into batches. */
  private final EmitBatcher batcher;
  private volatile EmitHeader lastEmitHeader;
  private byte[] lastEventBytes;
  private String lastEvent;

  /** A request awaiting its answer: what to call it in failures, its future, and the timer that fails it. */
  private static final class Pending<T> {
    final Supplier<String> what;
    final CompletableFuture<T> future;
    /** Set once scheduled, before anything can remove the request from its map (a reply, on the I/O thread). */
    volatile ScheduledFuture<?> timer;

    Pending(Supplier<String> what, CompletableFuture<T> future) {
      this.what = what;
      this.future = future;
    }

    /** Removed from its map by an answer: the timer has nothing left to do. */
    Pending<T> answered() {
      ScheduledFuture<?> t = timer;
      if (t != null) {
        t.cancel(false);
      }
      return this;
    }
  }

  /** An EMIT header, kept for the next emit of the same event on the same channel in the same format. */
  private record EmitHeader(byte[] channel, String event, DataFormat format, byte[] header) {}

  private record Options(String node, String name, DataFormat format, int queue, Duration sendTimeout,
      Duration reconnectInterval, Duration reconnectIntervalMax, String controlToken,
      Consumer<BusException> onError) {}

  private BusClient(Options options) {
    this.options = options;
    this.id = options.name != null ? options.name
        : String.format("c-%010x", ThreadLocalRandom.current().nextLong() >>> 24);
    this.context = new Context(1);   // one I/O thread: it reads, and runs listeners in order
    try {
      this.socket = context.socket(SocketType.DEALER, SocketOptions.builder()
          .identity(Protocol.utf8(id))
          .highWaterMark(options.queue)
          .reconnectInterval(options.reconnectInterval)
          .reconnectIntervalMax(options.reconnectIntervalMax)
          .heartbeatInterval(Duration.ofSeconds(2))
          .heartbeatTimeout(Duration.ofSeconds(6))
          .build());
      batcher = new EmitBatcher(socket, context, options.sendTimeout, lost -> options.onError.accept(
          new BusException(lost + " events were not sent: the queue to the node at " + options.node
              + " stayed full for " + options.sendTimeout.toMillis() + " ms")));
      socket.addMonitor(this::monitor);
      socket.connect(options.node);
    } catch (RuntimeException e) {
      context.close();
      throw e;
    }
    // the I/O thread is known from the start, so that code running there (a listener, or channels that share it)
    // never waits for room in the queue to the node, which only that thread makes
    context.execute(() -> dispatchThread = Thread.currentThread());
    InboundLoop.start(socket, this::dispatchSafely);
    send(Message.of(Protocol.header(Verb.HELLO, id, Protocol.VERSION)));
  }

  private static ScheduledThreadPoolExecutor timeouts() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "switchboard-bus-timeouts");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  /** A client of the local node, at {@link BusNode#defaultEndpoint()}. */
  public static BusClient connect() {
    return builder().build();
  }

  /**
   * A client of the node at {@code endpoint} ({@code ipc://…} or {@code tcp://host:port}).
   *
   * @throws io.switchboard.socket.EndpointException if the endpoint is malformed
   */
  public static BusClient connect(String endpoint) {
    return builder().node(endpoint).build();
  }

  /** A builder with the defaults: the local node, JSON data. */
  public static Builder builder() {
    return new Builder();
  }

  /** This client's id, as other clients see it in {@link BusEvent#from()}. */
  public String id() {
    return id;
  }

  /** The id of the node this client last greeted, or empty before the first greeting. */
  public String nodeId() {
    return nodeId;
  }

  /**
   * The client's one I/O thread, as a Netty event loop: the thread that reads from the node, runs listeners and
   * handlers and completes the futures of requests. For components that run their own Netty channels on the same
   * thread, so that nothing is handed between threads from them to the bus and back: the gateway's HTTP connections
   * can run there. Tasks there must not block, as listeners must not. The client owns the loop: do not shut it down;
   * it stops when the client closes.
   */
  public EventLoop eventLoop() {
    return context.eventLoopGroup().next();
  }

  /** The format {@link BusChannel#emit} encodes data in. */
  public DataFormat format() {
    return options.format;
  }

  /**
   * Joins a channel (or returns the channel already joined). Returns at once; {@link BusChannel#joined()} completes
   * when the node confirms.
   */
  public BusChannel join(String channel) {
    ensureOpen();
    BusChannel[] made = new BusChannel[1];
    BusChannel ch = channels.computeIfAbsent(Objects.requireNonNull(channel, "channel"), name -> {
      made[0] = new BusChannel(this, name);
      return made[0];
    });
    if (made[0] != null) {
      send(Message.of(Protocol.header(Verb.JOIN, ch.nameBytes)));
    }
    return ch;
  }

  /**
   * Completes when the node has handled everything this client sent before: events routed to their listeners'
   * queues, joins and handlers registered, errors reported.
   */
  public CompletableFuture<Void> flush() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    flushes.add(done);
    send(Message.of(Protocol.header(Verb.PING)));
    return done;
  }

  /**
   * Runs a control command on the node ({@code stats}, {@code channels}, {@code showchannel A}, …); see
   * docs/bus.md.
   *
   * @return the reply's JSON, or a future failed with {@link BusException} carrying the node's error
   */
  public CompletableFuture<JsonNode> control(Duration timeout, String... words) {
    String requestId = Long.toString(nextId.incrementAndGet());
    String what = "control " + String.join(" ", words);
    CompletableFuture<JsonNode> future = pending(controls, requestId, () -> what, timeout);
    List<String> fields = new ArrayList<>(List.of(requestId,
        options.controlToken == null ? "" : options.controlToken));
    fields.addAll(List.of(words));
    send(Message.of(Protocol.header(Verb.CTL, fields.toArray(String[]::new))));
    return future;
  }

  /**
   * Emits an event on a channel, joined or not: listeners of the channel (and of the channels its rules copy to) get
   * it; this client gets it back only if it joined the channel. As {@link BusChannel#emit}.
   *
   * @return whether the event was queued; {@code false} if the queue to the node stayed full for the send timeout
   */
  public boolean emit(String channel, String event, Object data) {
    return emit(nameBytes(channel), event, options.format.encode(data), options.format);
  }

  /**
   * Sends a request on a channel, joined or not, as {@link BusChannel#request}.
   */
  public CompletableFuture<BusEvent> request(String channel, String event, Object data, Duration timeout) {
    return request(nameBytes(channel), channel, event, options.format, options.format.encode(data), timeout);
  }

  /**
   * Sends a request whose data is already encoded in {@code format}, as {@link #request(String, String, Object,
   * Duration)}: for callers that encode once and send many times, or write their JSON themselves. The array is sent
   * as it is; do not change it afterwards.
   */
  public CompletableFuture<BusEvent> requestEncoded(String channel, String event, DataFormat format, byte[] data,
      Duration timeout) {
    return request(nameBytes(channel), channel, event, Objects.requireNonNull(format, "format"),
        Objects.requireNonNull(data, "data"), timeout);
  }

  private byte[] nameBytes(String channel) {
    BusChannel joined = channels.get(channel);
    if (joined != null) {
      return joined.nameBytes;
    }
    checkName("channel", channel);
    return channelNames.computeIfAbsent(channel, Protocol::utf8);
  }

  private static void checkName(String what, String name) {
    if (!Protocol.isValidName(name)) {
      throw new IllegalArgumentException(what + ": \"" + name + "\" (expected: not empty, no NUL)");
    }
  }

  boolean emit(byte[] channel, String event, byte[] data, DataFormat format) {
    ensureOpen();
    EmitHeader h = lastEmitHeader;
    if (h == null || h.channel != channel || h.format != format || !h.event.equals(event)) {
      checkName("event", event);
      h = new EmitHeader(channel, event, format,
          Protocol.header(Verb.EMIT, channel, Protocol.utf8(event), format.wireNameBytes()));
      lastEmitHeader = h;
    }
    if (Thread.currentThread() == dispatchThread) {
      return socket.trySend(Message.of(h.header, data));
    }
    return batcher.add(h.header, data);
  }

  CompletableFuture<BusEvent> request(byte[] channel, String channelName, String event, DataFormat format,
      byte[] data, Duration timeout) {
    checkName("event", event);
    String requestId = Long.toString(nextId.incrementAndGet());
    CompletableFuture<BusEvent> future = pending(requests, requestId,
        () -> "request \"" + event + "\" on channel \"" + channelName + "\"", timeout);
    send(Message.of(Protocol.header(Verb.REQUEST, channel, Protocol.utf8(event), format.wireNameBytes(),
        Protocol.utf8(requestId)), data));
    return future;
  }

  /**
   * Registers a request awaiting its answer, failed after {@code timeout}. {@code what} names it in failures; it is
   * only called when one happens, so that a request that succeeds builds no message.
   */
  private <T> CompletableFuture<T> pending(Map<String, Pending<T>> map, String requestId, Supplier<String> what,
      Duration timeout) {
    ensureOpen();
    CompletableFuture<T> future = new CompletableFuture<>();
    Pending<T> pending = new Pending<>(what, future);
    Runnable expire = () -> {
      if (map.remove(requestId) != null) {
        future.completeExceptionally(new RequestFailedException(RequestFailedException.Reason.TIMEOUT,
            "no reply to " + what.get() + " within " + timeout.toMillis() + " ms"));
      }
    };
    // in the map before the timer starts (so that it finds it), and with its timer before the request is sent (so
    // that the answer cancels it): the answer removes the request and cancels its timer (answered()), with no stage
    // on the future for that. A future the caller completes or cancels itself stays until its timer, which then
    // finds it done
    map.put(requestId, pending);
    // on the I/O thread (the gateway's requests, a handler's calls), its own timer: no lock and no other thread, and
    // the reply that cancels the timer comes on that thread too; elsewhere the shared timer thread
    pending.timer = Thread.currentThread() == dispatchThread
        ? context.eventLoopGroup().next().schedule(expire, timeout.toNanos(), TimeUnit.NANOSECONDS)
        : TIMEOUTS.schedule(expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
    return future;
  }

  void sendHandle(BusChannel ch, String event, boolean handle) {
    checkName("event", event);
    send(Message.of(Protocol.header(handle ? Verb.HANDLE : Verb.UNHANDLE, ch.nameBytes, Protocol.utf8(event))));
  }

  void leave(BusChannel ch) {
    if (channels.remove(ch.name(), ch)) {
      send(Message.of(Protocol.header(Verb.LEAVE, ch.nameBytes)));
      ch.closed.complete("left");
    }
  }

  /** Sends a command; on the I/O thread without waiting, since waiting there would wait for itself. */
  private void send(Message m) {
    ensureOpen();
    boolean sent = Thread.currentThread() == dispatchThread ? socket.trySend(m) : batcher.send(m);
    if (!sent) {
      throw new BusException("the queue to the node at " + options.node + " stayed full for "
          + options.sendTimeout.toMillis() + " ms");
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new BusException("the bus client is closed");
    }
  }

  /** After every (re)connection: greet the node, join the channels and register the handlers again. */
  private void monitor(MonitorEvent event) {
    if (event.type() == MonitorEvent.Type.CONNECTED) {
      CompletableFuture.runAsync(this::resync).exceptionally(e -> {
        LOG.debug("bus client: could not rejoin after a reconnection", e);
        return null;
      });
    }
  }

  private void resync() {
    if (closed.get()) {
      return;
    }
    send(Message.of(Protocol.header(Verb.HELLO, id, Protocol.VERSION)));
    for (BusChannel ch : channels.values()) {
      send(Message.of(Protocol.header(Verb.JOIN, ch.nameBytes)));
      for (String event : ch.handlers.keySet()) {
        sendHandle(ch, event, true);
      }
    }
  }

  private void dispatchSafely(Message m) {
    dispatchThread = Thread.currentThread();
    try {
      dispatch(m);
    } catch (RuntimeException e) {
      LOG.warn("bus client: cannot handle {} from the node", m, e);
    }
  }

  private void dispatch(Message m) {
    Fields f = fields;
    Verb verb = m.isEmpty() ? null : f.parse(m.frame(0));
    if (verb == null) {
      LOG.warn("bus client: the node sent an unknown message {}", m);
      return;
    }
    switch (verb) {
      case EVENT -> events(f, m);
      case REQUEST -> answer(f, m);
      case REPLY -> {
        Pending<BusEvent> p = requests.remove(f.string(1));
        if (p != null) {
          p.answered().future.complete(new BusEvent("", "", DataCodec.format(f, 2), m.frame(1), null, 0, 0));
        }
      }
      case FAIL -> {
        Pending<BusEvent> p = requests.remove(f.string(1));
        if (p != null) {
          // the node adds a code to the failures it makes itself (no handler, no channel); a handler's has none
          RequestFailedException.Reason reason = f.count() > 3 ? RequestFailedException.Reason.fromWire(f.string(3))
              : RequestFailedException.Reason.HANDLER_FAILED;
          p.answered().future.completeExceptionally(new RequestFailedException(reason,
              p.what.get() + ": " + f.string(2)));
        }
      }
      case CTL -> {
        Pending<JsonNode> p = controls.remove(f.string(1));
        if (p != null) {
          p.answered();
          JsonNode body = DataCodec.decode(DataCodec.JSON_NAME, m.frame(1), JsonNode.class);
          if (f.is(2, Protocol.OK)) {
            p.future.complete(body);
          } else {
            p.future.completeExceptionally(new BusException(body.path("error").asText(body.toString())));
          }
        }
      }
      case JOINED -> {
        BusChannel ch = channel(f, 1);
        if (ch != null) {
          ch.joined.complete(null);
        }
      }
      case HANDLING -> {
        BusChannel ch = channel(f, 1);
        CompletableFuture<Void> ready = ch == null ? null : ch.handling.get(f.string(2));
        if (ready != null) {
          ready.complete(null);
        }
      }
      case CLOSED -> {
        String name = f.string(1);
        BusChannel ch = channels.remove(name);
        String reason = f.string(2);
        if (ch != null) {
          ch.joined.completeExceptionally(new BusException(reason));
          ch.closed.complete(reason);
        }
        options.onError.accept(new BusException("channel \"" + name + "\" closed: " + reason));
      }
      case ERROR -> error(f.string(1), f.string(2), f.string(3));
      case WELCOME -> nodeId = f.string(1);
      case PONG -> {
        CompletableFuture<Void> done = flushes.poll();
        if (done != null) {
          done.complete(null);
        }
      }
      case PING -> socket.trySend(Message.of(Protocol.header(Verb.PONG)));
      default -> { }
    }
  }

  /**
   * An EVENT message: one or more events, each a header ({@code EVENT channel event format from}) and a data frame.
   * The first header is already parsed into {@code f}.
   */
  private void events(Fields f, Message m) {
    BusChannel ch = null;
    String event = null;
    byte[] format = null;
    for (int i = 0; i + 1 < m.size(); i += 2) {
      // a run of one event from one sender repeats its header, or sends it empty after the first: parsed once
      byte[] header = m.frame(i);
      if (i == 0 || header.length != 0 && !Arrays.equals(header, m.frame(i - 2))) {
        if (i > 0 && f.parse(m.frame(i)) != Verb.EVENT || f.count() != 5) {
          LOG.warn("bus client: the node sent a malformed EVENT message {}", m);
          return;
        }
        ch = channel(f, 1);
        event = ch == null ? null : eventName(f);
        format = DataCodec.format(f, 3);
      }
      if (ch != null) {
        ch.dispatch(new BusEvent(ch.name(), event, format, m.frame(i + 1), f.bytes(), f.start(4), f.end(4)));
      }
    }
  }

  /** The joined channel a header field names; the last one is remembered, as events come in runs. */
  private BusChannel channel(Fields f, int i) {
    BusChannel last = lastChannel;
    if (last != null && f.is(i, last.nameBytes) && channels.get(last.name()) == last) {
      return last;
    }
    BusChannel ch = channels.get(f.string(i));
    if (ch != null) {
      lastChannel = ch;
    }
    return ch;
  }

  private String eventName(Fields f) {
    if (!f.is(2, lastEventBytes)) {
      lastEventBytes = f.copy(2);
      lastEvent = f.string(2);
    }
    return lastEvent;
  }

  private void error(String verb, String channel, String message) {
    BusException e = new BusException(message);
    BusChannel ch = channels.get(channel);
    if (ch != null && verb.equals("JOIN")) {
      channels.remove(channel, ch);
      ch.joined.completeExceptionally(e);
    } else if (ch != null && verb.equals("HANDLE")) {
      ch.handling.values().forEach(done -> done.completeExceptionally(e));
    }
    options.onError.accept(e);
  }

  /** REQUEST channel event format from request-id | route | data: runs the handler and sends its answer. */
  private void answer(Fields f, Message m) {
    if (f.count() != 6 || m.size() != 3) {
      return;
    }
    byte[] route = m.frame(1);
    byte[] requestId = f.copy(5);
    BusChannel ch = channel(f, 1);
    String event = f.string(2);
    RequestHandler handler = ch == null ? null : ch.handlers.get(event);
    if (handler == null) {
      socket.trySend(Message.of(Protocol.header(Verb.FAIL, requestId, Protocol.utf8("no handler for \"" + event
          + "\" in client " + id), NO_HANDLER_CODE), route));
      return;
    }
    Object result;
    try {
      result = handler.handle(new BusEvent(ch.name(), event, DataCodec.format(f, 3), m.frame(2), f.bytes(),
          f.start(4), f.end(4)));
    } catch (Exception e) {
      socket.trySend(failure(requestId, route, e));
      return;
    }
    if (result instanceof CompletionStage<?> later) {
      // answered later, from whichever thread completes the stage
      later.whenComplete((value, e) -> {
        Message reply = e != null ? failure(requestId, route, e instanceof CompletionException && e.getCause() != null
            ? e.getCause() : e) : success(requestId, route, value);
        boolean sent = closed.get() || (Thread.currentThread() == dispatchThread ? socket.trySend(reply)
            : socket.send(reply, options.sendTimeout));
        if (!sent) {
          LOG.warn("bus client: the queue to the node stayed full; a reply to \"{}\" was dropped", event);
        }
      });
      return;
    }
    socket.trySend(success(requestId, route, result));
  }

  private Message success(byte[] requestId, byte[] route, Object result) {
    try {
      return Message.of(Protocol.header(Verb.REPLY, requestId, options.format.wireNameBytes()), route,
          options.format.encode(result));
    } catch (RuntimeException e) {
      return failure(requestId, route, e);
    }
  }

  private static Message failure(byte[] requestId, byte[] route, Throwable e) {
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return Message.of(Protocol.header(Verb.FAIL, requestId, Protocol.utf8(reason)), route);
  }

  /**
   * Closes the client: tells the node, waits up to a second for queued events to be written, fails pending requests.
   * Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (Thread.currentThread() == dispatchThread) {
      // closing waits for the I/O thread, which is this one: let another thread do it
      Thread closer = new Thread(this::finishClose, "switchboard-bus-client-close");
      closer.setDaemon(true);
      closer.start();
      return;
    }
    finishClose();
  }

  private void finishClose() {
    batcher.close(Message.of(Protocol.header(Verb.BYE)));
    context.close();
    RequestFailedException gone = new RequestFailedException(RequestFailedException.Reason.CLOSED,
        "the bus client was closed");
    requests.values().forEach(p -> p.answered().future.completeExceptionally(gone));
    controls.values().forEach(p -> p.answered().future.completeExceptionally(gone));
    requests.clear();
    controls.clear();
    flushes.forEach(f -> f.completeExceptionally(gone));
    channels.values().forEach(ch -> ch.closed.complete("client closed"));
  }

  @Override
  public String toString() {
    return "BusClient[" + id + " → " + options.node + "]";
  }

  /** Builds a {@link BusClient}. */
  public static final class Builder {
    private String node;
    private String name;
    private DataFormat format = DataFormat.JSON;
    private int queue = DEFAULT_QUEUE;
    private Duration sendTimeout = DEFAULT_SEND_TIMEOUT;
    private Duration reconnectInterval = Duration.ofMillis(100);
    private Duration reconnectIntervalMax = Duration.ofSeconds(5);
    private String controlToken;
    private Consumer<BusException> onError = e -> LOG.warn("bus client: {}", e.getMessage());

    private Builder() {}

    /** The node's endpoint; by default {@link BusNode#defaultEndpoint()}. */
    public Builder node(String endpoint) {
      this.node = Objects.requireNonNull(endpoint, "endpoint");
      return this;
    }

    /** This client's id (printable ASCII, at most 255 characters); by default a random one. */
    public Builder name(String name) {
      if (name.isEmpty() || name.length() > 255 || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        throw new IllegalArgumentException("name: \"" + name + "\" (expected: 1 to 255 printable ASCII characters)");
      }
      this.name = name;
      return this;
    }

    /** The format data is encoded in; JSON by default. */
    public Builder format(DataFormat format) {
      this.format = Objects.requireNonNull(format, "format");
      return this;
    }

    /** Events queued for the node (and received from it) before emit waits; {@link #DEFAULT_QUEUE} by default. */
    public Builder queue(int events) {
      if (events < 1) {
        throw new IllegalArgumentException("queue: " + events + " (expected: at least 1)");
      }
      this.queue = events;
      return this;
    }

    /** How long emit waits for room; {@link #DEFAULT_SEND_TIMEOUT} by default. */
    public Builder sendTimeout(Duration timeout) {
      this.sendTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** The first and the largest delay between reconnection attempts (doubling, with jitter). */
    public Builder reconnect(Duration first, Duration max) {
      this.reconnectInterval = first;
      this.reconnectIntervalMax = max;
      return this;
    }

    /** The token control commands need over tcp. */
    public Builder controlToken(String token) {
      this.controlToken = token;
      return this;
    }

    /** Where errors the node reports go (refused emits, closed channels); logged by default. */
    public Builder onError(Consumer<BusException> listener) {
      this.onError = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Makes the client; it connects in the background.
     *
     * @throws io.switchboard.socket.EndpointException if the endpoint is malformed
     */
    public BusClient build() {
      return new BusClient(new Options(node == null ? BusNode.defaultEndpoint() : node, name, format, queue,
          sendTimeout, reconnectInterval, reconnectIntervalMax, controlToken, onError));
    }
  }
}
