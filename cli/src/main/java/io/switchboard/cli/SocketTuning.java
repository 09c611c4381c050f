package io.switchboard.cli;

import io.switchboard.socket.SocketOptions;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The socket options a ZeroMQ user expects on the command line (zmqc's, zmq-cat's): routing id, high-water marks,
 * reconnect interval, heartbeats. Each maps to one {@link SocketOptions} setting; {@link #apply} turns the
 * builder's own checks into usage errors that name the option.
 */
final class SocketTuning {
  @Option(names = "--identity", paramLabel = "ID",
      description = "This socket's routing id, as a router peer sees it: text, or 0x and hex (1 to 255 bytes, not "
          + "starting with a zero byte).")
  String identity;

  @Option(names = "--hwm", paramLabel = "N",
      description = "High-water mark, send and receive: queue at most N messages per peer (default 1000).")
  Integer hwm;

  @Option(names = "--sndhwm", paramLabel = "N", description = "Send high-water mark only.")
  Integer sendHwm;

  @Option(names = "--rcvhwm", paramLabel = "N", description = "Receive high-water mark only.")
  Integer receiveHwm;

  @Option(names = "--reconnect-ivl", paramLabel = "DURATION",
      description = "Wait DURATION before reconnecting a lost or refused connection, doubling each time up to "
          + "--reconnect-ivl-max (defaults 100ms and 10s).")
  Duration reconnectInterval;

  @Option(names = "--reconnect-ivl-max", paramLabel = "DURATION", description = "The longest wait to reconnect.")
  Duration reconnectIntervalMax;

  @Option(names = "--heartbeat", paramLabel = "DURATION",
      description = "Send a ZMTP PING every DURATION and drop a connection silent for --heartbeat-timeout (default: "
          + "the same DURATION); off by default.")
  Duration heartbeat;

  @Option(names = "--heartbeat-timeout", paramLabel = "DURATION",
      description = "With --heartbeat: how long a connection may stay silent after a PING.")
  Duration heartbeatTimeout;

  /** Sets the chosen options on {@code options}. */
  SocketOptions.Builder apply(CommandSpec spec, SocketOptions.Builder options) {
    checkNotNegative(spec, "--hwm", hwm);
    checkNotNegative(spec, "--sndhwm", sendHwm);
    checkNotNegative(spec, "--rcvhwm", receiveHwm);
    try {
      if (identity != null) {
        options.identity(Frames.parseFrame(identity));
      }
      if (hwm != null) {
        options.highWaterMark(hwm);
      }
      if (sendHwm != null) {
        options.sendHighWaterMark(sendHwm);
      }
      if (receiveHwm != null) {
        options.receiveHighWaterMark(receiveHwm);
      }
      if (reconnectInterval != null) {
        options.reconnectInterval(reconnectInterval);
        if (reconnectIntervalMax == null && reconnectInterval.compareTo(SocketOptions.DEFAULT_RECONNECT_INTERVAL_MAX)
            > 0) {
          options.reconnectIntervalMax(reconnectInterval);
        }
      }
      if (reconnectIntervalMax != null) {
        options.reconnectIntervalMax(reconnectIntervalMax);
      }
      if (heartbeatTimeout != null && heartbeat == null) {
        throw new ParameterException(spec.commandLine(), "--heartbeat-timeout needs --heartbeat");
      }
      if (heartbeat != null) {
        options.heartbeatInterval(heartbeat);
        if (heartbeatTimeout != null) {
          options.heartbeatTimeout(heartbeatTimeout);
        }
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), option(e.getMessage()));
    }
    return options;
  }

  private static void checkNotNegative(CommandSpec spec, String option, Integer value) {
    if (value != null && value < 0) {
      throw new ParameterException(spec.commandLine(), option + ": " + value + " (expected: 0, no limit, or more)");
    }
  }

  /** A builder message ({@code identity: ... (expected: ...)}) with the option's name in front. */
  private static String option(String message) {
    return message
        .replaceFirst("^identity", "--identity")
        .replaceFirst("^reconnectIntervalMax", "--reconnect-ivl-max")
        .replaceFirst("^reconnectInterval", "--reconnect-ivl")
        .replaceFirst("^heartbeatInterval", "--heartbeat")
        .replaceFirst("^heartbeatTimeout", "--heartbeat-timeout");
  }
}
