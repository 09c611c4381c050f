package io.switchboard.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.switchboard.gateway.GatewayConfig;
import io.switchboard.gateway.Route;
import io.switchboard.gateway.Service;
import io.switchboard.gateway.ServiceClient;
import io.switchboard.gateway.ServiceException;
import io.switchboard.gateway.ServiceException.Kind;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
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
 */
public final class HttpGateway {
  private static final Logger LOG = LoggerFactory.getLogger("io.switchboard.gateway");
  private static final CharSequence JSON_TYPE = HttpHeaderValues.APPLICATION_JSON + "; charset=utf-8";
  /** The largest request line and header block, as Netty's defaults. */
  private static final int MAX_INITIAL_LINE = 4096;
  private static final int MAX_HEADER_SIZE = 8192;

  private final GatewayConfig config;
  private final ServiceClient services;

  /** The gateway's logic for {@code config}, calling services through {@code services}. */
  public HttpGateway(GatewayConfig config, ServiceClient services) {
    this.config = config;
    this.services = services;
  }

  /** The handlers of one HTTP connection. */
  public ChannelHandler initializer() {
    return new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast(
            new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, 8192),
            new Aggregator(config.maxBodySize()),
            new Connection());
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
      FullHttpResponse r = json(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Json.error("request body larger than "
          + maxContentLength() + " octets (the limit)", "invalid"));
      HttpUtil.setKeepAlive(r, false);
      ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** One connection: answers in order. Runs on the connection's event loop. */
  private final class Connection extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final ArrayDeque<CompletableFuture<FullHttpResponse>> pending = new ArrayDeque<>();
    private final ArrayDeque<Boolean> keepAlive = new ArrayDeque<>();

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      boolean keep = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
      CompletableFuture<FullHttpResponse> answer;
      try {
        answer = answer(request);
      } catch (RuntimeException e) {
        LOG.warn("gateway: cannot answer " + request.method() + " " + request.uri(), e);
        answer = CompletableFuture.completedFuture(error(new ServiceException(Kind.FAILED, "internal error: " + e)));
      }
      pending.add(answer);
      keepAlive.add(keep);
      if (answer.isDone() && pending.size() == 1) {
        drain(ctx);
      } else {
        answer.whenComplete((r, e) -> ctx.executor().execute(() -> drain(ctx)));
      }
    }

    private void drain(ChannelHandlerContext ctx) {
      boolean wrote = false;
      while (!pending.isEmpty() && pending.peek().isDone()) {
        FullHttpResponse response = pending.poll().join();
        boolean keep = keepAlive.poll();
        HttpUtil.setKeepAlive(response, keep);
        if (keep) {
          ctx.write(response, ctx.voidPromise());
        } else {
          ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
          pending.clear();
          keepAlive.clear();
          return;
        }
        wrote = true;
      }
      if (wrote) {
        ctx.flush();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("gateway: connection " + ctx.channel().remoteAddress() + " failed", cause);
      ctx.close();
    }
  }

  /** The answer to one request; never fails (every failure is an HTTP answer). */
  CompletableFuture<FullHttpResponse> answer(FullHttpRequest request) {
    if (!request.decoderResult().isSuccess()) {
      return done(error(ServiceException.invalid("malformed HTTP request: " + request.decoderResult().cause())));
    }
    QueryStringDecoder uri;
    List<String> segments;
    try {
      uri = new QueryStringDecoder(request.uri());
      uri.parameters();
      segments = segments(uri.rawPath());
    } catch (IllegalArgumentException e) {
      return done(error(ServiceException.invalid("malformed URI " + request.uri() + ": " + e.getMessage())));
    }
    String method = request.method().name();
    if (uri.path().equals("/status")) {
      return method.equals("GET") ? status().thenApply(body -> json(HttpResponseStatus.OK, body))
          : done(notAllowed(request, Set.of("GET")));
    }
    Map<String, String> variables = new HashMap<>();
    Route route = null;
    Set<String> allowed = new LinkedHashSet<>();
    for (Route r : config.routes()) {
      variables.clear();
      if (r.matches(segments, variables)) {
        if (r.method().equals(method)) {
          route = r;
          break;
        }
        allowed.add(r.method());
      }
    }
    if (route == null) {
      return done(allowed.isEmpty()
          ? json(HttpResponseStatus.NOT_FOUND, Json.error("no route for " + uri.path(), "not_found"))
          : notAllowed(request, allowed));
    }
    ObjectNode payload;
    try {
      payload = payload(request, uri, variables);
    } catch (ServiceException e) {
      return done(error(e));
    }
    Route target = route;
    boolean retry = request.method().equals(HttpMethod.GET);
    long deadline = System.nanoTime() + config.timeout().toNanos();
    return call(target, payload, retry, deadline)
        .thenApply(result -> json(HttpResponseStatus.OK, result))
        .exceptionally(e -> error(unwrap(e)));
  }

  /** Calls the route's command; a GET whose attempt timed out goes again while time is left. */
  private CompletableFuture<JsonNode> call(Route route, ObjectNode payload, boolean retry, long deadline) {
    long left = deadline - System.nanoTime();
    Duration attempt = Duration.ofNanos(retry ? Math.min(left, config.getAttempt().toNanos()) : left);
    return services.call(route.service(), route.cmd(), payload, attempt).handle((result, e) -> {
      if (e == null) {
        return CompletableFuture.completedFuture(result);
      }
      ServiceException failure = unwrap(e);
      if (retry && failure.kind() == Kind.TIMEOUT && deadline - System.nanoTime() > 1_000_000) {
        return call(route, payload, true, deadline);
      }
      return CompletableFuture.<JsonNode>failedFuture(failure);
    }).thenCompose(f -> f);
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

  /** {@code /status}: every service's state, instances and latency, asked in parallel. */
  private CompletableFuture<ObjectNode> status() {
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
      ObjectNode body = Json.MAPPER.createObjectNode();
      ArrayNode list = Json.MAPPER.createArrayNode();
      boolean allOk = true;
      for (CompletableFuture<ObjectNode> f : each) {
        ObjectNode s = f.join();
        JsonNode ids = shown == null ? null : shown.path("handlers").get(s.get("name").asText());
        if (shown == null) {
          s.putNull("instances");
        } else {
          s.put("instances", ids == null ? 0 : ids.size());
        }
        allOk &= s.get("state").asText().equals("ok");
        list.add(s);
      }
      body.put("status", allOk ? "ok" : "degraded");
      body.set("services", list);
      return body;
    });
  }

  private FullHttpResponse notAllowed(FullHttpRequest request, Set<String> allowed) {
    FullHttpResponse r = json(HttpResponseStatus.METHOD_NOT_ALLOWED, Json.error("method " + request.method()
        + " not allowed on " + new QueryStringDecoder(request.uri()).path() + " (allowed: "
        + String.join(", ", allowed) + ")", "invalid"));
    r.headers().set(HttpHeaderNames.ALLOW, String.join(", ", allowed));
    return r;
  }

  private FullHttpResponse error(ServiceException e) {
    FullHttpResponse r = json(HttpResponseStatus.valueOf(e.kind().httpStatus()),
        Json.error(e.getMessage(), e.kind().wireName()));
    if (e.kind() == Kind.UNAVAILABLE) {
      r.headers().set(HttpHeaderNames.RETRY_AFTER, config.retryAfterSeconds());
    }
    return r;
  }

  private static ServiceException unwrap(Throwable e) {
    Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    return t instanceof ServiceException s ? s : new ServiceException(Kind.FAILED, String.valueOf(t.getMessage()));
  }

  static FullHttpResponse json(HttpResponseStatus status, JsonNode body) {
    byte[] bytes = Json.bytes(body);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, JSON_TYPE);
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    return r;
  }

  private static <T> CompletableFuture<T> done(T value) {
    return CompletableFuture.completedFuture(value);
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
