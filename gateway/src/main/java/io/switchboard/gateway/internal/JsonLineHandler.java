package io.switchboard.gateway.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection of a service: answers each request of {@link JsonLineDecoder} with one line, in the order the
 * requests came (so a client may send many before reading), each answer carrying its request's {@code id} if it had
 * one. With {@link #MAX_PENDING} answers outstanding it stops reading until they are written. Runs on the
 * connection's event loop.
 */
public final class JsonLineHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger("io.switchboard.gateway");
  /** Requests read but not answered before the connection stops reading. */
  static final int MAX_PENDING = 1024;

  private final Dispatcher dispatcher;
  private final int maxLength;
  private final ArrayDeque<CompletableFuture<ObjectNode>> pending = new ArrayDeque<>();
  private boolean inputClosed;

  /** A handler for one connection. */
  public JsonLineHandler(Dispatcher dispatcher, int maxLength) {
    this.dispatcher = dispatcher;
    this.maxLength = maxLength;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    CompletableFuture<ObjectNode> answer;
    if (msg == JsonLineDecoder.TOO_LONG) {
      answer = CompletableFuture.completedFuture(Json.error("request longer than " + maxLength
          + " octets (the limit); skipped up to the next line feed", "invalid"));
    } else {
      byte[] request = (byte[]) msg;
      answer = dispatcher.dispatch(request, 0, request.length);
    }
    pending.add(answer);
    if (answer.isDone() && pending.size() == 1) {
      drain(ctx);
    } else {
      answer.whenComplete((r, e) -> ctx.executor().execute(() -> drain(ctx)));
      if (pending.size() >= MAX_PENDING) {
        ctx.channel().config().setAutoRead(false);
      }
    }
  }

  /** Writes the answers at the head of the queue that are ready, in order. */
  private void drain(ChannelHandlerContext ctx) {
    boolean wrote = false;
    while (!pending.isEmpty() && pending.peek().isDone()) {
      ObjectNode reply = pending.poll().getNow(null);
      byte[] bytes;
      try {
        bytes = Json.bytes(reply);
      } catch (IllegalStateException e) {
        // an inline command's result that Jackson cannot write
        ObjectNode failed = Json.error("the answer could not be written: " + e.getMessage(), "failed");
        if (reply.has("id")) {
          failed.set("id", reply.get("id"));
        }
        bytes = Json.bytes(failed);
      }
      ByteBuf buf = ctx.alloc().buffer(bytes.length + 1);
      buf.writeBytes(bytes).writeByte('\n');
      ctx.write(buf, ctx.voidPromise());
      wrote = true;
    }
    if (wrote) {
      ctx.flush();
    }
    if (pending.size() < MAX_PENDING / 4 && !ctx.channel().config().isAutoRead() && !inputClosed) {
      ctx.channel().config().setAutoRead(true);
    }
    if (pending.isEmpty() && inputClosed) {
      ctx.close();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof ChannelInputShutdownEvent) {
      // the client sent all it will (nc after its input ends): answer what came, then close
      inputClosed = true;
      if (pending.isEmpty()) {
        ctx.close();
      }
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("json-line connection " + ctx.channel().remoteAddress() + " failed", cause);
    ctx.close();
  }
}
