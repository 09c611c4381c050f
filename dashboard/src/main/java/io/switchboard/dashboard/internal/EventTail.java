package io.switchboard.dashboard.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.Channel;
import io.switchboard.bus.BusChannel;
import io.switchboard.bus.BusClient;
import io.switchboard.bus.BusEvent;
import io.switchboard.dashboard.DashboardServer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live tails of channels: one bus client, named {@code dashboard}, joins a channel while at least one page watches
 * it and leaves when the last one goes; each event goes to every watcher as a server-sent event with a short
 * preview of its data. Each watcher gets at most {@link DashboardServer#TAIL_EVENTS_PER_SECOND} events a second; the
 * rest are skipped, and the next event sent says how many.
 */
final class EventTail {
  private static final Logger LOG = LoggerFactory.getLogger(EventTail.class);

  private final String endpoint;
  /** The dashboard's own thread: leaving a channel and closing the client wait on the bus, not on an event loop. */
  private final Executor executor;
  private final Map<String, Watch> watches = new HashMap<>();
  private BusClient client;
  private boolean closed;

  /** One watched channel and its watchers. */
  private final class Watch {
    final BusChannel channel;
    final Set<Viewer> viewers = ConcurrentHashMap.newKeySet();

    Watch(BusChannel channel) {
      this.channel = channel;
    }

    void onEvent(BusEvent e) {
      String json = null;
      for (Viewer v : viewers) {
        if (!v.admit()) {
          continue;
        }
        if (json == null) {
          json = describe(e);
        }
        v.send(json);
      }
    }
  }

  /** One page watching a channel, with its rate limit. */
  private static final class Viewer {
    final Channel http;
    private long windowStartMillis;
    private int inWindow;
    private long skipped;

    Viewer(Channel http) {
      this.http = http;
    }

    /** Whether this event may go to the viewer now; counts it as skipped if not. */
    synchronized boolean admit() {
      long now = System.currentTimeMillis();
      if (now - windowStartMillis >= 1000) {
        windowStartMillis = now;
        inWindow = 0;
      }
      if (inWindow >= DashboardServer.TAIL_EVENTS_PER_SECOND || !http.isWritable()) {
        skipped++;
        return false;
      }
      inWindow++;
      return true;
    }

    void send(String json) {
      long s;
      synchronized (this) {
        s = skipped;
        skipped = 0;
      }
      String data = s == 0 ? json : json.substring(0, json.length() - 1) + ",\"skipped\":" + s + "}";
      http.writeAndFlush(Streams.event("event", data));
    }
  }

  EventTail(String endpoint, Executor executor) {
    this.endpoint = endpoint;
    this.executor = executor;
  }

  /**
   * Starts sending {@code channel}'s events to the stream on {@code http}; an unknown channel, or a node that cannot
   * be reached, ends the stream with a {@code failed} event saying why.
   */
  synchronized void watch(String channelName, Channel http) {
    if (closed) {
      http.close();
      return;
    }
    try {
      join(channelName, http);
    } catch (RuntimeException e) {
      LOG.debug("dashboard tail of {} failed", channelName, e);
      fail(http, e.getMessage());
      closeClientIfIdle();
    }
  }

  private static void fail(Channel http, String why) {
    http.writeAndFlush(Streams.event("failed", DashboardCore.JSON.createObjectNode()
        .put("error", String.valueOf(why)).toString())).addListener(f -> http.close());
  }

  private void join(String channelName, Channel http) {
    if (client == null) {
      client = BusClient.builder().node(endpoint).name("dashboard").build();
    }
    Watch w = watches.get(channelName);
    Viewer viewer = new Viewer(http);
    if (w == null) {
      BusChannel ch = client.join(channelName);
      Watch made = new Watch(ch);
      ch.on("/.*/", made::onEvent);
      watches.put(channelName, made);
      w = made;
      // the viewer is there before the join can complete, or a quick JOINED would find no one to tell
      made.viewers.add(viewer);
      ch.joined().whenComplete((ok, failure) -> {
        if (failure != null) {
          String why = failure.getCause() != null ? failure.getCause().getMessage() : failure.getMessage();
          for (Viewer v : made.viewers) {
            fail(v.http, why);
          }
          forget(channelName, made);
        } else {
          for (Viewer v : made.viewers) {
            v.http.writeAndFlush(Streams.event("joined", "{\"channel\":" + quote(channelName) + "}"));
          }
        }
      });
    } else {
      w.viewers.add(viewer);
      if (w.channel.joined().isDone() && !w.channel.joined().isCompletedExceptionally()) {
        http.writeAndFlush(Streams.event("joined", "{\"channel\":" + quote(channelName) + "}"));
      }
    }
    Watch watch = w;
    // After close() the executor drops the task: close() has closed the client already.
    http.closeFuture().addListener(f -> executor.execute(() -> unwatch(channelName, watch, viewer)));
  }

  private synchronized void unwatch(String channelName, Watch w, Viewer v) {
    w.viewers.remove(v);
    if (w.viewers.isEmpty() && watches.get(channelName) == w) {
      watches.remove(channelName);
      if (!closed && w.channel.joined().isDone() && !w.channel.joined().isCompletedExceptionally()) {
        w.channel.leave();
      }
      closeClientIfIdle();
    }
  }

  /** A refused join: the client has forgotten the channel already; so does the tail. */
  private synchronized void forget(String channelName, Watch w) {
    if (watches.remove(channelName, w)) {
      closeClientIfIdle();
    }
  }

  private void closeClientIfIdle() {
    if (watches.isEmpty() && client != null) {
      client.close();
      client = null;
    }
  }

  synchronized void close() {
    closed = true;
    watches.clear();
    if (client != null) {
      try {
        client.close();
      } catch (RuntimeException e) {
        LOG.debug("dashboard tail: closing its bus client failed", e);
      }
      client = null;
    }
  }

  /** An event as the page shows it: names, sender, format, time and a preview of its data. */
  private static String describe(BusEvent e) {
    ObjectNode o = DashboardCore.JSON.createObjectNode();
    o.put("channel", e.channel());
    o.put("event", e.event());
    o.put("from", e.from());
    o.put("format", e.format());
    o.put("octets", e.rawData().length);
    o.put("time", Instant.now().toString());
    o.put("preview", preview(e));
    return o.toString();
  }

  private static String preview(BusEvent e) {
    String text;
    try {
      text = switch (e.format()) {
        case "json" -> new String(e.rawData(), StandardCharsets.UTF_8);
        case "msgpack" -> e.json().toString();
        default -> "(" + e.rawData().length + " octets of " + e.format() + ")";
      };
    } catch (RuntimeException bad) {
      text = "(undecodable " + e.format() + ": " + bad.getMessage() + ")";
    }
    int max = DashboardServer.TAIL_PREVIEW_CHARS;
    return text.length() <= max ? text : text.substring(0, max) + "…";
  }

  private static String quote(String s) {
    return DashboardCore.JSON.getNodeFactory().textNode(s).toString();
  }
}
