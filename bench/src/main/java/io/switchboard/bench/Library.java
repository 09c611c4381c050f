package io.switchboard.bench;

import java.util.Locale;

/** The two libraries compared. */
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
