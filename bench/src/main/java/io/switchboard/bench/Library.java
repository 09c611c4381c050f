package io.switchboard.bench;

import java.util.Locale;

/** The libraries compared: Switchboard, and JeroMQ and libzmq as references. */
enum Library {
  SWITCHBOARD("Switchboard") {
    @Override
    BenchContext open(int highWaterMark) {
      return new SwitchboardContext(highWaterMark);
    }
  },
  JEROMQ("JeroMQ") {
    @Override
    BenchContext open(int highWaterMark) {
      return new JeromqContext(highWaterMark);
    }
  },
  /** libzmq through its native peer ({@link ZmqPeer}); it has no context in a JVM. */
  LIBZMQ("libzmq") {
    @Override
    BenchContext open(int highWaterMark) {
      throw new UnsupportedOperationException("libzmq runs in its native peer (ZmqPeer), not in a JVM");
    }
  };

  private final String displayName;

  Library(String displayName) {
    this.displayName = displayName;
  }

  /** Opens a context with one I/O thread whose sockets use {@code highWaterMark} both ways and a 1 s linger. */
  abstract BenchContext open(int highWaterMark);

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
