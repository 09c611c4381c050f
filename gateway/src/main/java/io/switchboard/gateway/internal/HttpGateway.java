package io.switchboard.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.EventExecutor;
import io.switchboard.bus.BusClient;
import io.switchboard.gateway.GatewayConfig;
import io.switchboard.gateway.Route;
import io.switchboard.gateway.Service;
import io.switchboard.gateway.ServiceClient;
import io.switchboard.gateway.ServiceException;
import io.switchboard.gateway.ServiceException.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's HTTP side: routes each request to a service command and answers in JSON. Requests on one connection
 * are answered in the order they came (HTTP/1.1 pipelining), whatever order the services answer in.
 *
 * <p>The path of a routed request, which should stay this short: the connection's event loop decodes the request
 * and gives the bus request, encoded once ({@link Json#request}), to the bus client, whose I/O thread writes it to
 * the node with everything else queued; the reply's callback, on that I/O thread, finds the result in the reply's
 * bytes ({@link ServiceCall}) and writes the response: a status line and headers mostly encoded in advance, and the
 * result's bytes as they came. No tree is built or written for a result and no future stage is chained. By default
 * the connections run on the bus client's I/O thread itself, so that nothing crosses threads; with HTTP threads of
 * their own ({@link GatewayConfig#ioThreads()}), the request and the answer are each handed over once.
 */
public final class HttpGateway {
  private static final Logger LOG = LoggerFactory.getLogger("io.switchboard.gateway");
  /** The largest request line and header block, as Netty's defaults. */
  private static final int MAX_INITIAL_LINE = 4096;
  private static final int MAX_HEADER_SIZE = 8192;
  /** Flushes consolidated while a read is in progress (pipelined requests answered at once), at most. */
  private static final int MAX_CONSOLIDATED_FLUSHES = 256;
  private static final String ENCODER = "encoder";

  private static final byte[] CRLF = ascii("\r\n");
  private static final byte[] STATUS_200 = statusLine(HttpResponseStatus.OK);
  private static final byte[] CONTENT_HEADERS = ascii(HttpHeaderNames.CONTENT_TYPE + ": "
      + HttpHeaderValues.APPLICATION_JSON + "; charset=utf-8\r\n" + HttpHeaderNames.CONTENT_LENGTH + ": ");
  private static final byte[] CONNECTION_CLOSE = ascii(HttpHeaderNames.CONNECTION + ": " + HttpHeaderValues.CLOSE
      + "\r\n");
  /** What an HTTP/1.0 client that asked for keep-alive needs to hear to keep the connection. */
  private static final byte[] CONNECTION_KEEP_ALIVE = ascii(HttpHeaderNames.CONNECTION + ": "
      + HttpHeaderValues.KEEP_ALIVE + "\r\n");
  private static final byte[] NO_HEADER = new byte[0];
  /** Prometheus' text format, version 0.0.4, for {@code /metrics}. */
  private static final byte[] METRICS_HEADERS = ascii(HttpHeaderNames.CONTENT_TYPE + ": "
      + "text/plain; version=0.0.4; charset=utf-8\r\n" + HttpHeaderNames.CONTENT_LENGTH + ": ");

  private final GatewayConfig config;
  private final ServiceClient services;
  private final BusClient bus;
  /** Each route's request prefix {@code {"cmd":…,"payload":}, and its whole request with an empty payload. */
  private final Map<Route, byte[]> prefixes = new IdentityHashMap<>();
  private final Map<Route, byte[]> emptyRequests = new IdentityHashMap<>();
  private final RequestMetrics metrics;
  private final Map<Route, RequestMetrics.Label> labels = new IdentityHashMap<>();
  /** Where {@code /metrics} reads from; {@code null} if the registry is not Prometheus' (then no such route). */
  private final PrometheusMeterRegistry prometheus;

  /**
   * The gateway's logic for {@code config}, calling services through {@code services}, with its meters in {@code
   * registry} (served at {@code /metrics} if it is a Prometheus registry).
   */
  public HttpGateway(GatewayConfig config, ServiceClient services, MeterRegistry registry) {
    this.config = config;
    this.services = services;
    this.bus = services.busClient();
    this.metrics = new RequestMetrics(registry);
    this.prometheus = registry instanceof PrometheusMeterRegistry p ? p : null;
    for (Route r : config.routes()) {
      byte[] prefix = Json.requestPrefix(r.cmd());
      prefixes.put(r, prefix);
      emptyRequests.put(r, Json.request(prefix, null));
      labels.put(r, metrics.route(r));
    }
  }

  /**
   * The handlers of one HTTP connection. Answers are written as bytes straight to the pipeline below the response
   * encoder, which only the aggregator's own answers (100 Continue, 413) go through.
   */
  public ChannelHandler initializer() {
    return new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ch.pipeline()
            .addLast(new FlushConsolidationHandler(MAX_CONSOLIDATED_FLUSHES, false))
            .addLast(ENCODER, new HttpResponseEncoder())
            .addLast(new HttpRequestDecoder(MAX_INITIAL_LINE, MAX_HEADER_SIZE, 8192))
            .addLast(new Aggregator(config.maxBodySize()))
            .addLast(new Connection());
      }
    };
  }

  /** An aggregator whose 413 is JSON, like every other answer; the connection closes after it. */
  private static final class Aggregator extends HttpObjectAggregator {
    Aggregator(int maxBody) {
      super(maxBody);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
      byte[] body = Json.bytes(Json.error("request body larger than " + maxContentLength() + " octets (the limit)",
          "invalid"));
      FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, ctx.alloc().buffer(body.length).writeBytes(body));
      r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON + "; charset=utf-8");
      r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
      HttpUtil.setKeepAlive(r, false);
      ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** One connection: answers in order. Runs on the connection's event loop. */
  private final class Connection extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final ArrayDeque<Answer> pending = new ArrayDeque<>();
    /** Where answers are written: below the response encoder, as the bytes it would have made. */
    private ChannelHandlerContext out;
    private boolean closing;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      out = ctx.pipeline().context(ENCODER);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      metrics.connections.incrementAndGet();
      super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      if (closing) {
        return;
      }
      boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
      // HTTP/1.1 keeps the connection unless told otherwise; HTTP/1.0 only when both sides say keep-alive
      byte[] connectionHeader = !keepAlive ? CONNECTION_CLOSE
          : request.protocolVersion().equals(HttpVersion.HTTP_1_0) ? CONNECTION_KEEP_ALIVE : NO_HEADER;
      Answer answer = new Answer(this, ctx.executor(), keepAlive, connectionHeader,
          request.method().equals(HttpMethod.HEAD));
      pending.add(answer);
      try {
        answer(request, answer);
      } catch (RuntimeException e) {
        LOG.warn("gateway: cannot answer " + request.method() + " " + request.uri(), e);
        answer.fail(new ServiceException(Kind.FAILED, "internal error: " + e));
      }
    }

    /** Writes the answers that are ready, in order, and flushes once. */
    void drain() {
      if (closing) {
        return;
      }
      boolean wrote = false;
      while (!pending.isEmpty() && pending.peek().ready) {
        Answer a = pending.poll();
        ByteBuf response = a.encode(out.alloc());
        a.label.record(a.status.code(), System.nanoTime() - a.arrived);
        if (a.keepAlive) {
          out.write(response, out.voidPromise());
          wrote = true;
        } else {
          closing = true;
          pending.clear();
          out.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
          return;
        }
      }
      if (wrote) {
        out.flush();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      metrics.connections.decrementAndGet();
      closing = true;
      pending.clear();
      super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("gateway: connection " + ctx.channel().remoteAddress() + " failed", cause);
      ctx.close();
    }
  }

  /**
   * The answer to one request: filled in by whichever thread has it (the event loop, or the bus client's I/O thread
   * for a service's reply), then written, in its turn, on the connection's event loop.
   */
  private final class Answer implements Runnable, ServiceCall.Reply {
    final Connection connection;
    final EventExecutor loop;
    final boolean keepAlive;
    /** {@code Connection: close}, {@code Connection: keep-alive} (for HTTP/1.0), or nothing. */
    final byte[] connectionHeader;
    final boolean head;
    final long arrived = System.nanoTime();
    /** What the answer counts as; set on the event loop before the request is answered. */
    RequestMetrics.Label label;
    byte[] contentHeaders = CONTENT_HEADERS;
    /** Set on the event loop, once the fields below are. */
    boolean ready;
    HttpResponseStatus status;
    byte[] body;
    int offset;
    int length;
    CharSequence headerName;
    CharSequence headerValue;
    /** For a call: what to send again when a GET's attempt times out. */
    Route route;
    byte[] request;
    boolean retry;
    long deadline;

    Answer(Connection connection, EventExecutor loop, boolean keepAlive, byte[] connectionHeader, boolean head) {
      this.connection = connection;
      this.loop = loop;
      this.keepAlive = keepAlive;
      this.connectionHeader = connectionHeader;
      this.head = head;
    }

    /** Sets the answer; from any thread. */
    void complete(HttpResponseStatus status, byte[] body, int offset, int length) {
      this.status = status;
      this.body = body;
      this.offset = offset;
      this.length = length;
      if (loop.inEventLoop()) {
        run();
      } else {
        loop.execute(this);   // the hand-off publishes the fields
      }
    }

    void json(HttpResponseStatus status, JsonNode value) {
      byte[] bytes = Json.bytes(value);
      complete(status, bytes, 0, bytes.length);
    }

    void fail(ServiceException e) {
      if (e.kind() == Kind.UNAVAILABLE) {
        header(HttpHeaderNames.RETRY_AFTER, Integer.toString(config.retryAfterSeconds()));
      }
      json(HttpResponseStatus.valueOf(e.kind().httpStatus()), Json.error(e.getMessage(), e.kind().wireName()));
    }

    Answer header(CharSequence name, CharSequence value) {
      headerName = name;
      headerValue = value;
      return this;
    }

    @Override
    public void run() {
      ready = true;
      connection.drain();
    }

    /** Calls the route's command; a GET whose attempt timed out goes again while time is left. */
    void call() {
      long left = deadline - System.nanoTime();
      Duration attempt = Duration.ofNanos(retry ? Math.min(left, config.getAttempt().toNanos()) : left);
      ServiceCall.send(bus, config.channel(), route.service(), request, attempt, this);
    }

    @Override
    public void result(byte[] json, int offset, int length) {
      complete(HttpResponseStatus.OK, json, offset, length);
    }

    @Override
    public void failure(ServiceException e) {
      if (retry && e.kind() == Kind.TIMEOUT && deadline - System.nanoTime() > 1_000_000) {
        call();
      } else {
        fail(e);
      }
    }

    /** The response's octets: what Netty's encoder makes of it, with the constant headers encoded in advance. */
    ByteBuf encode(ByteBufAllocator alloc) {
      byte[] statusLine = status.code() == 200 ? STATUS_200 : statusLine(status);
      byte[] extra = headerName == null ? null : ascii(headerName + ": " + headerValue + "\r\n");
      ByteBuf buf = alloc.buffer(statusLine.length + contentHeaders.length + 10 + 2 + connectionHeader.length
          + (extra == null ? 0 : extra.length) + 2 + (head ? 0 : length));
      buf.writeBytes(statusLine).writeBytes(contentHeaders);
      writeDecimal(buf, length);
      buf.writeBytes(CRLF);
      buf.writeBytes(connectionHeader);
      if (extra != null) {
        buf.writeBytes(extra);
      }
      buf.writeBytes(CRLF);
      if (!head) {
        buf.writeBytes(body, offset, length);   // a response to HEAD has the headers only, as HTTP says
      }
      return buf;
    }
  }

  /** Answers one request through {@code answer}; never throws for bad input (every failure is an HTTP answer). */
  void answer(FullHttpRequest request, Answer answer) {
    String method = request.method().name();
    answer.label = metrics.unmatched(method);
    if (!request.decoderResult().isSuccess()) {
      answer.fail(ServiceException.invalid("malformed HTTP request: " + request.decoderResult().cause()));
      return;
    }
    QueryStringDecoder uri;
    List<String> segments;
    try {
      uri = new QueryStringDecoder(request.uri());
      uri.parameters();
      segments = segments(uri.rawPath());
    } catch (IllegalArgumentException e) {
      answer.fail(ServiceException.invalid("malformed URI " + request.uri() + ": " + e.getMessage()));
      return;
    }
    if (uri.path().equals("/metrics") && prometheus != null) {
      if (method.equals("GET") || method.equals("HEAD")) {
        answer.label = metrics.metrics;
        answer.contentHeaders = METRICS_HEADERS;
        byte[] text = prometheus.scrape().getBytes(StandardCharsets.UTF_8);
        answer.complete(HttpResponseStatus.OK, text, 0, text.length);
      } else {
        notAllowed(answer, uri, request, Set.of("GET"));
      }
      return;
    }
    if (uri.path().equals("/status")) {
      if (method.equals("GET")) {
        answer.label = metrics.status;
        status().whenComplete((body, e) -> {
          if (e == null) {
            answer.json(HttpResponseStatus.OK, body);
          } else {
            answer.fail(unwrap(e));
          }
        });
      } else {
        notAllowed(answer, uri, request, Set.of("GET"));
      }
      return;
    }
    Map<String, String> variables = new HashMap<>();
    Route route = null;
    Set<String> allowed = null;
    for (Route r : config.routes()) {
      variables.clear();
      if (r.matches(segments, variables)) {
        if (r.method().equals(method)) {
          route = r;
          break;
        }
        if (allowed == null) {
          allowed = new LinkedHashSet<>();
        }
        allowed.add(r.method());
      }
    }
    if (route == null) {
      if (allowed == null) {
        answer.json(HttpResponseStatus.NOT_FOUND, Json.error("no route for " + uri.path(), "not_found"));
      } else {
        notAllowed(answer, uri, request, allowed);
      }
      return;
    }
    byte[] call;
    if (variables.isEmpty() && uri.parameters().isEmpty() && isBlank(request.content())) {
      call = emptyRequests.get(route);
    } else {
      try {
        call = Json.request(prefixes.get(route), Json.bytes(payload(request, uri, variables)));
      } catch (ServiceException e) {
        answer.fail(e);
        return;
      }
    }
    answer.label = labels.get(route);
    answer.route = route;
    answer.request = call;
    answer.retry = request.method().equals(HttpMethod.GET);
    answer.deadline = System.nanoTime() + config.timeout().toNanos();
    answer.call();
  }

  /** The request body (a JSON object, if any), then the query parameters, then the path variables. */
  private static ObjectNode payload(FullHttpRequest request, QueryStringDecoder uri, Map<String, String> variables) {
    ObjectNode payload;
    ByteBuf body = request.content();
    if (body.isReadable() && !isBlank(body)) {
      JsonNode parsed;
      try {
        byte[] bytes = new byte[body.readableBytes()];
        body.getBytes(body.readerIndex(), bytes);
        parsed = Json.parse(bytes, 0, bytes.length);
      } catch (IOException e) {
        throw ServiceException.invalid("body: malformed JSON: " + Json.reason(e));
      }
      if (!(parsed instanceof ObjectNode object)) {
        throw ServiceException.invalid("body: " + abbreviate(parsed.toString()) + " (expected: a JSON object)");
      }
      payload = object;
    } else {
      payload = Json.MAPPER.createObjectNode();
    }
    uri.parameters().forEach((name, values) -> {
      if (values.size() == 1) {
        payload.put(name, values.get(0));
      } else {
        ArrayNode array = payload.putArray(name);
        values.forEach(array::add);
      }
    });
    variables.forEach(payload::put);
    return payload;
  }

  /** {@code /status}: every service's state, instance count and latency, asked in parallel. */
  private CompletableFuture<ObjectNode> status() {
    return serviceStates().thenApply(states -> {
      ObjectNode body = Json.MAPPER.createObjectNode();
      ArrayNode list = body.putArray("services");
      boolean allOk = true;
      for (ObjectNode s : states) {
        JsonNode ids = s.remove("handlers");
        if (ids == null || ids.isNull()) {
          s.putNull("instances");
        } else {
          s.put("instances", ids.size());
        }
        allOk &= s.get("state").asText().equals("ok");
        list.add(s);
      }
      body.put("status", allOk ? "ok" : "degraded");
      body.set("services", list);
      return body;
    });
  }

  /**
   * The dashboard's {@code services} section: each service's state and latency, its instances (the ids of the bus
   * clients that handle it, healthy while the service answers {@code status}) and the requests its routes answered.
   */
  public CompletableFuture<ObjectNode> services() {
    return serviceStates().thenApply(states -> {
      ObjectNode body = Json.MAPPER.createObjectNode();
      ArrayNode list = body.putArray("services");
      for (ObjectNode s : states) {
        JsonNode ids = s.remove("handlers");
        boolean healthy = s.get("state").asText().equals("ok");
        ArrayNode instances = s.putArray("instances");
        if (ids != null) {
          ids.forEach(id -> instances.addObject().put("id", id.asText()).put("healthy", healthy));
        }
        s.put("requests", metrics.requestsTo(s.get("name").asText()));
        list.add(s);
      }
      return body;
    });
  }

  /**
   * Every configured service, asked {@code status} in parallel: name, state, latency, a reason when not ok, and the
   * ids of its handlers on the bus ({@code handlers}, null if the node did not say).
   */
  private CompletableFuture<List<ObjectNode>> serviceStates() {
    CompletableFuture<JsonNode> handlers = services.busClient()
        .control(config.statusTimeout(), "showchannel", config.channel())
        .exceptionally(e -> null);
    List<CompletableFuture<ObjectNode>> each = new ArrayList<>();
    for (String name : config.services()) {
      long start = System.nanoTime();
      each.add(services.call(name, Service.STATUS, null, config.statusTimeout()).handle((res, e) -> {
        ObjectNode s = Json.MAPPER.createObjectNode();
        s.put("name", name);
        if (e == null) {
          s.put("state", "ok");
          s.put("latencyMs", Math.round((System.nanoTime() - start) / 10_000.0) / 100.0);
        } else {
          ServiceException f = unwrap(e);
          s.put("state", f.kind() == Kind.UNAVAILABLE || f.kind() == Kind.TIMEOUT ? "unreachable" : "failing");
          s.putNull("latencyMs");
          s.put("reason", f.getMessage());
        }
        return s;
      }));
    }
    return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenCombine(handlers, (v, shown) -> {
      List<ObjectNode> states = new ArrayList<>();
      for (CompletableFuture<ObjectNode> f : each) {
        ObjectNode s = f.join();
        if (shown == null) {
          s.putNull("handlers");
        } else {
          JsonNode ids = shown.path("handlers").get(s.get("name").asText());
          s.set("handlers", ids == null ? Json.MAPPER.createArrayNode() : ids);
        }
        states.add(s);
      }
      return states;
    });
  }

  private void notAllowed(Answer answer, QueryStringDecoder uri, FullHttpRequest request, Set<String> allowed) {
    String list = String.join(", ", allowed);
    answer.header(HttpHeaderNames.ALLOW, list).json(HttpResponseStatus.METHOD_NOT_ALLOWED, Json.error("method "
        + request.method() + " not allowed on " + uri.path() + " (allowed: " + list + ")", "invalid"));
  }

  private static ServiceException unwrap(Throwable e) {
    Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    return t instanceof ServiceException s ? s : new ServiceException(Kind.FAILED, String.valueOf(t.getMessage()));
  }

  private static byte[] statusLine(HttpResponseStatus status) {
    return ascii(HttpVersion.HTTP_1_1 + " " + status.codeAsText() + " " + status.reasonPhrase() + "\r\n");
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static void writeDecimal(ByteBuf buf, int n) {
    if (n >= 10) {
      writeDecimal(buf, n / 10);
    }
    buf.writeByte('0' + n % 10);
  }

  /** The decoded segments of a path ({@code /a/b} → [a, b]). */
  private static List<String> segments(String path) {
    if (path.isEmpty() || path.equals("/")) {
      return List.of();
    }
    String[] parts = path.substring(path.startsWith("/") ? 1 : 0).split("/", -1);
    List<String> out = new ArrayList<>(parts.length);
    for (String p : parts) {
      out.add(QueryStringDecoder.decodeComponent(p));
    }
    return out;
  }

  private static boolean isBlank(ByteBuf body) {
    for (int i = body.readerIndex(); i < body.writerIndex(); i++) {
      byte b = body.getByte(i);
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return false;
      }
    }
    return true;
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
