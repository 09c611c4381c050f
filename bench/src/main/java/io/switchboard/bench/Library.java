package io.switchboard.bench;

import java.util.Locale;

/** The libraries compared: Switchboard, and JeroMQ and libzmq as references. */
enum Library {
  SWITCHBOARD("Switchboard") {
    @Override
    BenchContext open(int highWaterMark, boolean spin) {
      return new SwitchboardContext(highWaterMark, spin);
    }
  },
  JEROMQ("JeroMQ") {
    @Override
    BenchContext open(int highWaterMark, boolean spin) {
      if (spin) {
        throw new IllegalArgumentException("spin: true (expected: false; JeroMQ has no busy-spin receive)");
      }
      return new JeromqContext(highWaterMark);
    }
  },
  /** libzmq through its native peer ({@link ZmqPeer}); it has no context in a JVM. */
  LIBZMQ("libzmq") {
    @Override
    BenchContext open(int highWaterMark, boolean spin) {
      throw new UnsupportedOperationException("libzmq runs in its native peer (ZmqPeer), not in a JVM");
    }
  };

  private final String displayName;

  Library(String displayName) {
    this.displayName = displayName;
  }

  /** Opens a context with one I/O thread whose sockets use {@code highWaterMark} both ways and a 1 s linger. */
  BenchContext open(int highWaterMark) {
    return open(highWaterMark, false);
  }

  /**
   * As {@link #open(int)}; with {@code spin}, receiving busy-spins instead of blocking: Switchboard's
   * {@code SocketOptions.spinReceive}. JeroMQ has no such mode and refuses it.
   */
  abstract BenchContext open(int highWaterMark, boolean spin);

  /** The name shown in tables. */
  String displayName() {
    return displayName;
  }

  /** The name used on peer command lines. */
  String argument() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Library fromArgument(String argument) {
    return valueOf(argument.toUpperCase(Locale.ROOT));
  }
}
