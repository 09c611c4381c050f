package io.switchboard.bench;

/** The systems the bus benchmark compares: Switchboard's bus, and NATS with its Go client and with jnats. */
enum BusSystem {
  /** A {@link io.switchboard.bus.BusNode} process and {@link io.switchboard.bus.BusClient} processes. */
  SWITCHBOARD("Switchboard", "switchboard"),
  /** nats-server and the Go client's peer ({@link NatsGoPeer}), NATS's fastest client. */
  NATS_GO("NATS+Go", "nats_go"),
  /** nats-server and jnats peers ({@link JnatsPeer}). */
  NATS_JNATS("NATS+jnats", "nats_jnats");

  private final String displayName;
  private final String csvName;

  BusSystem(String displayName, String csvName) {
    this.displayName = displayName;
    this.csvName = csvName;
  }

  /** The name in tables. */
  String displayName() {
    return displayName;
  }

  /** The prefix of this system's CSV columns. */
  String csvName() {
    return csvName;
  }
}
