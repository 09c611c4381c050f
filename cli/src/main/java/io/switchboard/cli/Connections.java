package io.switchboard.cli;

import io.switchboard.socket.MonitorEvent;
import io.switchboard.socket.MonitorListener;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a command's socket knows about its connections, from its monitor events: whether a peer is connected, the
 * last failure and its cause in the user's words (for messages such as {@code no message within 2s
 * (tcp://127.0.0.1:5599: connection refused)}), and a wait for the next peer. Failures print once each as warnings
 * (a retrying connection does not repeat itself); with {@code -v} every event prints.
 *
 * <p>A peer that answers our handshake with ERROR has refused us (its authenticator, most often): when every
 * endpoint a command only connects to has refused it, waiting for a peer is over (see {@link #awaitPeer}).
 */
final class Connections implements MonitorListener {
  private static final Pattern HOST = Pattern.compile("tcp://\\[?([^\\]/]+?)\\]?:[0-9*]+");

  /** How the handshake says that the peer refused us. */
  private static final String PEER_REFUSED = "peer sent ERROR";

  private final Consumer<String> warn;
  private final boolean verbose;
  private final Set<String> dialled;
  /** The dialled endpoints whose peer refused us since they last connected. Guarded by {@code this}. */
  private final Set<String> refused = new HashSet<>();
  /** Guarded by {@code this}. */
  private int peers;
  /** Guarded by {@code this}. */
  private long arrivals;
  /** Guarded by {@code this}. */
  private String lastFailure;
  /** Guarded by {@code this}. */
  private String lastWarning;

  /**
   * @param dialled the endpoints the command connects to, as {@link io.switchboard.socket.Endpoint} prints them, if
   *     it binds none; empty if it binds one (a refusal from one connecting peer does not end the wait for others)
   */
  Connections(Consumer<String> warn, boolean verbose, Set<String> dialled) {
    this.warn = warn;
    this.verbose = verbose;
    this.dialled = Set.copyOf(dialled);
  }

  @Override
  public void onEvent(MonitorEvent event) {
    String line = null;
    synchronized (this) {
      switch (event.type()) {
        case CONNECTED:
        case ACCEPTED:
          peers++;
          arrivals++;
          refused.remove(event.endpoint());
          lastFailure = null;
          lastWarning = null;
          notifyAll();
          line = verbose ? (event.type() == MonitorEvent.Type.CONNECTED ? "connected to " : "accepted ")
              + event.endpoint() : null;
          break;
        case DISCONNECTED:
          peers = Math.max(0, peers - 1);
          line = verbose ? "disconnected: " + event.endpoint() + (event.detail().isEmpty() ? "" : " ("
              + event.detail() + ")") : null;
          break;
        case CONNECT_FAILED:
        case HANDSHAKE_FAILED:
        case PROTOCOL_ERROR:
          lastFailure = describe(event);
          if (event.type() == MonitorEvent.Type.HANDSHAKE_FAILED && event.detail().contains(PEER_REFUSED)
              && dialled.contains(event.endpoint())) {
            refused.add(event.endpoint());
            notifyAll();
          }
          // once per cause: a retrying client, or a refused one that comes back from a new port, says it once
          String cause = event.type() + " " + event.detail();
          if (verbose || !cause.equals(lastWarning)) {
            lastWarning = cause;
            line = lastFailure + (event.type() == MonitorEvent.Type.CONNECT_FAILED ? " (retrying)" : "");
          }
          break;
        case RECONNECT_SCHEDULED:
          line = verbose ? "reconnecting to " + event.endpoint() + " in " + Durations.format(event.delay()) : null;
          break;
        case LISTENING:
        case CLOSED:
        default:
          break;
      }
    }
    if (line != null) {
      warn.accept(line);
    }
  }

  /** Whether a peer is connected now. */
  synchronized boolean hasPeer() {
    return peers > 0;
  }

  /** How many connections have completed their handshake so far. */
  synchronized long arrivals() {
    return arrivals;
  }

  /**
   * Waits until a peer is connected, at most {@code timeout} ({@code null}: no limit), or until every dialled peer
   * has refused us ({@link #refusedByAll()}); returns whether a peer is connected.
   */
  synchronized boolean awaitPeer(Duration timeout) throws InterruptedException {
    long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
    while (peers == 0 && !refusedByAll()) {
      if (timeout == null) {
        wait();
      } else {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        wait(Math.max(1, left / 1_000_000));
      }
    }
    return peers > 0;
  }

  /** Whether every endpoint the command only dials has refused our handshake; false for a command that binds. */
  synchronized boolean refusedByAll() {
    return !dialled.isEmpty() && refused.containsAll(dialled);
  }

  /**
   * Waits until more than {@code seen} connections have arrived, at most {@code timeout}; returns the number now.
   */
  synchronized long awaitArrival(long seen, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (long left = timeout.toNanos(); arrivals <= seen && left > 0; left = deadline - System.nanoTime()) {
      wait(Math.max(1, left / 1_000_000));
    }
    return arrivals;
  }

  /** Why nothing arrived: the last failure, or that no peer is connected; empty if a peer is. */
  synchronized String cause() {
    if (lastFailure != null) {
      return lastFailure;
    }
    return peers == 0 ? "no peer connected" : "";
  }

  /** The last connection failure in the user's words, or null since a peer connected. */
  synchronized String lastFailure() {
    return lastFailure;
  }

  /** A message with the cause appended in brackets, if there is one. */
  String withCause(String message) {
    String cause = cause();
    return cause.isEmpty() ? message : message + " (" + cause + ")";
  }

  /** A failure event as {@code ENDPOINT: WHAT}, in the user's words. */
  static String describe(MonitorEvent event) {
    String detail = event.detail() == null ? "" : event.detail();
    String lower = detail.toLowerCase(Locale.ROOT);
    Matcher host = HOST.matcher(event.endpoint());
    String hostName = host.find() ? host.group(1) : null;
    String what;
    if (lower.contains("connection refused")) {
      what = "connection refused (nothing listens there)";
    } else if (lower.contains("name or service not known") || lower.contains("nodename nor servname")
        || lower.contains("no address associated") || lower.contains("unknownhost")
        || lower.contains("temporary failure in name resolution") || lower.contains("unknown host")) {
      what = "unknown host" + (hostName == null ? "" : " " + hostName);
    } else if (lower.contains("no route to host") || lower.contains("network is unreachable")) {
      what = "unreachable (" + lower.replaceFirst(".*(no route to host|network is unreachable).*", "$1") + ")";
    } else if (lower.contains("timed out")) {
      what = "connection timed out";
    } else if (event.type() == MonitorEvent.Type.HANDSHAKE_FAILED) {
      what = "handshake failed: " + detail.replaceFirst("^handshake: ", "");
    } else {
      what = detail.isEmpty() ? event.type().name().toLowerCase(Locale.ROOT).replace('_', ' ') : detail;
    }
    return event.endpoint() + ": " + what;
  }
}
