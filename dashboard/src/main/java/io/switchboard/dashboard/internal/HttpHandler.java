package io.switchboard.dashboard.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one HTTP connection's requests: the page and its assets, {@code /metrics}, the JSON state and the
 * server-sent event streams. Only GET and HEAD; anything else is 405, an unknown path 404, a malformed request 400.
 */
final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(HttpHandler.class);
  /** The page may load only what this server serves: no CDN, no inline script. */
  private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; "
      + "script-src 'self'; connect-src 'self'; frame-ancestors 'none'";
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String OPENMETRICS = "application/openmetrics-text";
  /** The longest channel name a tail accepts, as the node does. */
  private static final int MAX_CHANNEL_CHARS = 256;

  private final DashboardCore core;

  HttpHandler(DashboardCore core) {
    this.core = core;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (request.decoderResult().isFailure()) {
      send(ctx, request, text(HttpResponseStatus.BAD_REQUEST, "malformed request: "
          + request.decoderResult().cause().getMessage()), false);
      return;
    }
    boolean head = request.method().equals(HttpMethod.HEAD);
    if (!head && !request.method().equals(HttpMethod.GET)) {
      FullHttpResponse r = text(HttpResponseStatus.METHOD_NOT_ALLOWED, request.method() + " " + request.uri()
          + ": only GET and HEAD");
      r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
      send(ctx, request, r, head);
      return;
    }
    QueryStringDecoder query = new QueryStringDecoder(request.uri());
    String path = query.path();
    switch (path) {
      case "/", "/index.html" -> send(ctx, request, asset("index.html"), head);
      case "/metrics" -> send(ctx, request, metrics(request), head);
      case "/api/state" -> send(ctx, request, json(core.state()), head);
      case "/api/events" -> stream(ctx, request, null);
      case "/api/tail" -> tail(ctx, request, query);
      default -> {
        if (path.startsWith("/assets/") && Assets.exists(path.substring("/assets/".length()))) {
          send(ctx, request, asset(path.substring("/assets/".length())), head);
        } else {
          send(ctx, request, text(HttpResponseStatus.NOT_FOUND, "no such page: " + path
              + " (try /, /metrics, /api/state or /api/events)"), head);
        }
      }
    }
  }

  private FullHttpResponse metrics(FullHttpRequest request) {
    String accept = request.headers().get(HttpHeaderNames.ACCEPT, "");
    String type = accept.contains(OPENMETRICS) ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
        : PROMETHEUS_TEXT;
    String body = core.registry().scrape(type);
    FullHttpResponse r = response(HttpResponseStatus.OK, body.getBytes(StandardCharsets.UTF_8), type);
    r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    return r;
  }

  private void tail(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder query) {
    if (core.tail() == null) {
      send(ctx, request, text(HttpResponseStatus.NOT_FOUND, "this server shows no bus node, so no tail"), false);
      return;
    }
    List<String> names = query.parameters().get("channel");
    if (names == null || names.size() != 1 || names.get(0).isEmpty() || names.get(0).length() > MAX_CHANNEL_CHARS) {
      send(ctx, request, text(HttpResponseStatus.BAD_REQUEST, "channel: " + names
          + " (expected: one channel name of 1 to " + MAX_CHANNEL_CHARS + " characters, as ?channel=NAME)"), false);
      return;
    }
    stream(ctx, request, names.get(0));
  }

  /** Opens a server-sent event stream: of states ({@code channel} null) or of one channel's events. */
  private void stream(ChannelHandlerContext ctx, FullHttpRequest request, String channel) {
    if (!core.streams().tryOpen(ctx.channel())) {
      FullHttpResponse r = text(HttpResponseStatus.SERVICE_UNAVAILABLE, "too many open streams (the limit is "
          + core.streams().max() + "); close a dashboard tab");
      r.headers().set(HttpHeaderNames.RETRY_AFTER, "5");
      send(ctx, request, r, false);
      return;
    }
    HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
    r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    HttpUtil.setTransferEncodingChunked(r, true);
    ctx.write(r);
    // Reconnect after 2 s if the stream breaks (EventSource does so by itself).
    ctx.writeAndFlush(new io.netty.handler.codec.http.DefaultHttpContent(
        Unpooled.copiedBuffer("retry: 2000\n\n", StandardCharsets.UTF_8)));
    if (channel == null) {
      core.streams().addStateStream(ctx.channel(), core.state());
    } else {
      // Joining may wait for the bus (a client to connect, a full queue): not on this event loop.
      io.netty.channel.Channel http = ctx.channel();
      core.runLater(() -> core.tail().watch(channel, http));
    }
  }

  private static FullHttpResponse asset(String name) {
    Assets.Asset a = Assets.get(name);
    FullHttpResponse r = response(HttpResponseStatus.OK, a.body(), a.contentType());
    if (name.equals("index.html")) {
      r.headers().set("Content-Security-Policy", CSP);
    }
    r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
    return r;
  }

  private static FullHttpResponse json(String body) {
    FullHttpResponse r = response(HttpResponseStatus.OK, body.getBytes(StandardCharsets.UTF_8),
        "application/json; charset=utf-8");
    r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    return r;
  }

  private static FullHttpResponse text(HttpResponseStatus status, String message) {
    return response(status, (message + "\n").getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
  }

  private static FullHttpResponse response(HttpResponseStatus status, byte[] body, String type) {
    ByteBuf content = Unpooled.wrappedBuffer(body);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    r.headers().set("X-Content-Type-Options", "nosniff");
    HttpUtil.setContentLength(r, body.length);
    return r;
  }

  /** Sends a whole response; HEAD gets the headers only. Closes unless the client keeps the connection alive. */
  private static void send(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response,
      boolean head) {
    if (head) {
      response.content().clear();
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request) && response.status().code() < 400;
    HttpUtil.setKeepAlive(response, keepAlive);
    var f = ctx.writeAndFlush(response);
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("dashboard HTTP connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
