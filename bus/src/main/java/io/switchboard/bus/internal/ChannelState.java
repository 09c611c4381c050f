package io.switchboard.bus.internal;

import io.switchboard.bus.ChannelConfig;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A live channel: its rules, its members and its handlers. The arrays are copy-on-write: listener threads read them
 * without locks on every event; {@link NodeCore} replaces them under its lock when membership or rules change.
 */
final class ChannelState {
  static final Session[] NO_SESSIONS = new Session[0];
  static final ChannelState[] NO_CHANNELS = new ChannelState[0];

  final String name;
  final byte[] nameBytes;
  volatile ChannelConfig config;
  volatile Session[] members = NO_SESSIONS;
  /** The channels this one's events are copied to; never this channel itself. */
  volatile ChannelState[] propagateTo = NO_CHANNELS;
  /** The other nodes that want this channel's events (a listener on it, or on a channel it copies to). */
  volatile java.util.List<String> netPeers = java.util.List.of();
  /** The other nodes with a handler, by event. */
  volatile Map<String, java.util.List<String>> netHandlers = Map.of();
  final Map<String, HandlerGroup> handlers = new ConcurrentHashMap<>();
  /** Counters, written and read on the node's I/O thread only (control runs there too). */
  long eventsIn;
  long eventsOut;
  long dropped;
  volatile boolean closed;
  /**
   * The EVENT header made for the last event delivered, and whose it was: a run of events of one name from one
   * sender shares one header. The node's I/O thread only.
   */
  byte[] lastHeader;
  byte[] lastSender;

  ChannelState(ChannelConfig config) {
    this.name = config.name();
    this.nameBytes = Protocol.utf8(name);
    this.config = config;
  }

  static Session[] with(Session[] sessions, Session s) {
    for (Session x : sessions) {
      if (x == s) {
        return sessions;
      }
    }
    Session[] next = Arrays.copyOf(sessions, sessions.length + 1);
    next[sessions.length] = s;
    return next;
  }

  static Session[] without(Session[] sessions, Session s) {
    for (int i = 0; i < sessions.length; i++) {
      if (sessions[i] == s) {
        Session[] next = new Session[sessions.length - 1];
        System.arraycopy(sessions, 0, next, 0, i);
        System.arraycopy(sessions, i + 1, next, i, sessions.length - i - 1);
        return next;
      }
    }
    return sessions;
  }

  /** The clients that answer one event's requests, taken in turn. */
  static final class HandlerGroup {
    volatile Session[] sessions = NO_SESSIONS;
    private int next;

    /** The handler after the last one chosen, skipping none; {@code null} if there is none. */
    synchronized Session next() {
      Session[] s = sessions;
      if (s.length == 0) {
        return null;
      }
      next = (next + 1) % s.length;
      return s[next];
    }
  }
}
