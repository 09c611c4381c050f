package io.switchboard.dashboard.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpContent;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open server-sent event streams: a bound on how many, and the state streams that every update goes to. A
 * stream whose connection cannot take more now (a slow or stalled browser) misses updates rather than queueing
 * them: each update is a whole state, so the next one catches it up.
 */
final class Streams {
  private final int max;
  private final AtomicInteger open = new AtomicInteger();
  private final Set<Channel> stateStreams = ConcurrentHashMap.newKeySet();
  private final Set<Channel> all = ConcurrentHashMap.newKeySet();

  Streams(int max) {
    this.max = max;
  }

  int max() {
    return max;
  }

  /** Claims a place for a new stream on {@code ch}; false if {@link #max} are open. Released when it closes. */
  boolean tryOpen(Channel ch) {
    int n;
    do {
      n = open.get();
      if (n >= max) {
        return false;
      }
    } while (!open.compareAndSet(n, n + 1));
    all.add(ch);
    ch.closeFuture().addListener(f -> {
      all.remove(ch);
      stateStreams.remove(ch);
      open.decrementAndGet();
    });
    return true;
  }

  /** Adds a stream that gets every state, starting with {@code current}. */
  void addStateStream(Channel ch, String current) {
    stateStreams.add(ch);
    ch.writeAndFlush(event("state", current));
  }

  void broadcastState(String json) {
    for (Channel ch : stateStreams) {
      if (ch.isWritable()) {
        ch.writeAndFlush(event("state", json));
      }
    }
  }

  void closeAll() {
    for (Channel ch : all) {
      ch.close();
    }
  }

  /** One server-sent event: {@code event: NAME}, one {@code data:} line (JSON has no line breaks), a blank line. */
  static HttpContent event(String name, String data) {
    return new DefaultHttpContent(Unpooled.copiedBuffer("event: " + name + "\ndata: " + data + "\n\n",
        StandardCharsets.UTF_8));
  }
}
