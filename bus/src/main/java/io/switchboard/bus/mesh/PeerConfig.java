package io.switchboard.bus.mesh;

import io.switchboard.bus.mesh.spi.Discovery;
import io.switchboard.socket.security.CurveKeyPair;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link Peer}'s options. Immutable; make one with {@link #builder()}, whose {@link Builder#build()} checks every
 * value and names the one that is wrong.
 */
public final class PeerConfig {
  /** How often a link sends a heartbeat (a ZMTP PING) when it has nothing else to send. */
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
  /** How long a link may stay silent before the peer at its other end is taken for dead. */
  public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(5);
  /** Messages that wait for one peer (unsent, or sent and not yet acknowledged) before sends to it are refused. */
  public static final int DEFAULT_HIGH_WATER_MARK = 100_000;
  /**
   * Octets of those messages' frames that wait for one peer before sends to it are refused: 256 MiB. They wait until
   * the peer acknowledges them, so a burst to a node that is busy fills this faster than a client's queue; at 64 MiB
   * a burst of 1 KiB events from one node to another lost a third of them (docs/bench.md, "Across nodes").
   */
  public static final long DEFAULT_HIGH_WATER_BYTES = 256L << 20;
  /** The first redial delay of a kept peer; it doubles per failure. */
  public static final Duration DEFAULT_RECONNECT_INTERVAL = Duration.ofMillis(100);
  /** The longest redial delay. */
  public static final Duration DEFAULT_RECONNECT_INTERVAL_MAX = Duration.ofSeconds(10);
  /** How long a new link has for the ZMTP handshake and the peers' HELLO. */
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
  /** The largest message a link accepts, in octets of all its frames. */
  public static final long DEFAULT_MAX_MESSAGE_SIZE = 16L << 20;

  private final String id;
  private final Path dataDirectory;
  private final String listen;
  private final String advertise;
  private final Duration heartbeatInterval;
  private final Duration heartbeatTimeout;
  private final int highWaterMark;
  private final long highWaterBytes;
  private final Duration reconnectInterval;
  private final Duration reconnectIntervalMax;
  private final int reconnectLimit;
  private final Duration handshakeTimeout;
  private final long maxMessageSize;
  private final CurveKeyPair curveKeys;
  private final List<Discovery> discoveries;

  private PeerConfig(Builder b) {
    id = b.id;
    dataDirectory = b.dataDirectory;
    listen = b.listen;
    advertise = b.advertise;
    heartbeatInterval = b.heartbeatInterval;
    heartbeatTimeout = b.heartbeatTimeout;
    highWaterMark = b.highWaterMark;
    highWaterBytes = b.highWaterBytes;
    reconnectInterval = b.reconnectInterval;
    reconnectIntervalMax = b.reconnectIntervalMax;
    reconnectLimit = b.reconnectLimit;
    handshakeTimeout = b.handshakeTimeout;
    maxMessageSize = b.maxMessageSize;
    curveKeys = b.curveKeys;
    discoveries = List.copyOf(b.discoveries);
  }

  /** A builder with the defaults: listen on {@code tcp://127.0.0.1:*}, an id kept in {@link #defaultDataDirectory()}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Where a peer keeps its generated id: {@code $XDG_DATA_HOME/switchboard/}, or {@code ~/.local/share/switchboard/}
   * when {@code XDG_DATA_HOME} is unset.
   */
  public static Path defaultDataDirectory() {
    String data = System.getenv("XDG_DATA_HOME");
    return data == null || data.isEmpty()
        ? Path.of(System.getProperty("user.home"), ".local", "share", "switchboard")
        : Path.of(data, "switchboard");
  }

  /** The configured id, or {@code null}: then the peer reads (or makes once) the one in its data directory. */
  public String id() {
    return id;
  }

  /** Where a generated id is kept. */
  public Path dataDirectory() {
    return dataDirectory;
  }

  /** The tcp endpoint the peer listens on; a {@code *} port takes one the system picks. */
  public String listen() {
    return listen;
  }

  /** The endpoint other peers are told to dial, or {@code null} to derive it from {@link #listen()}. */
  public String advertise() {
    return advertise;
  }

  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  public Duration heartbeatTimeout() {
    return heartbeatTimeout;
  }

  public int highWaterMark() {
    return highWaterMark;
  }

  /** The bound in octets beside {@link #highWaterMark()}: whichever is reached first refuses sends to the peer. */
  public long highWaterBytes() {
    return highWaterBytes;
  }

  public Duration reconnectInterval() {
    return reconnectInterval;
  }

  public Duration reconnectIntervalMax() {
    return reconnectIntervalMax;
  }

  /** How many redials in a row a kept peer gets before it is given up; 0 for no limit. */
  public int reconnectLimit() {
    return reconnectLimit;
  }

  public Duration handshakeTimeout() {
    return handshakeTimeout;
  }

  public long maxMessageSize() {
    return maxMessageSize;
  }

  /** The mesh's CURVE key pair, which every peer of the mesh holds, or {@code null} for links without CURVE. */
  public CurveKeyPair curveKeys() {
    return curveKeys;
  }

  /** The discovery mechanisms the peer runs, in order. */
  public List<Discovery> discoveries() {
    return discoveries;
  }

  /** A builder that starts from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.id = id;
    b.dataDirectory = dataDirectory;
    b.listen = listen;
    b.advertise = advertise;
    b.heartbeatInterval = heartbeatInterval;
    b.heartbeatTimeout = heartbeatTimeout;
    b.highWaterMark = highWaterMark;
    b.highWaterBytes = highWaterBytes;
    b.reconnectInterval = reconnectInterval;
    b.reconnectIntervalMax = reconnectIntervalMax;
    b.reconnectLimit = reconnectLimit;
    b.handshakeTimeout = handshakeTimeout;
    b.maxMessageSize = maxMessageSize;
    b.curveKeys = curveKeys;
    b.discoveries.addAll(discoveries);
    return b;
  }

  /** Builds a {@link PeerConfig}. */
  public static final class Builder {
    private String id;
    private Path dataDirectory = defaultDataDirectory();
    private String listen = "tcp://127.0.0.1:*";
    private String advertise;
    private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
    private Duration heartbeatTimeout = DEFAULT_HEARTBEAT_TIMEOUT;
    private int highWaterMark = DEFAULT_HIGH_WATER_MARK;
    private long highWaterBytes = DEFAULT_HIGH_WATER_BYTES;
    private Duration reconnectInterval = DEFAULT_RECONNECT_INTERVAL;
    private Duration reconnectIntervalMax = DEFAULT_RECONNECT_INTERVAL_MAX;
    private int reconnectLimit;
    private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
    private long maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
    private CurveKeyPair curveKeys;
    private final List<Discovery> discoveries = new ArrayList<>();

    private Builder() {}

    /** The peer's id: 1 to 64 printable ASCII characters; {@code null} to use the one kept in the data directory. */
    public Builder id(String id) {
      this.id = id;
      return this;
    }

    /** Where a generated id is kept (the file {@code peer-id}). */
    public Builder dataDirectory(Path directory) {
      this.dataDirectory = Objects.requireNonNull(directory, "dataDirectory");
      return this;
    }

    /** The tcp endpoint to listen on, e.g. {@code tcp://0.0.0.0:5670} or {@code tcp://127.0.0.1:*}. */
    public Builder listen(String endpoint) {
      this.listen = Objects.requireNonNull(endpoint, "listen");
      return this;
    }

    /** The endpoint other peers should dial, when it differs from the listening one (behind NAT, in a pod). */
    public Builder advertise(String endpoint) {
      this.advertise = endpoint;
      return this;
    }

    public Builder heartbeatInterval(Duration interval) {
      this.heartbeatInterval = Objects.requireNonNull(interval, "heartbeatInterval");
      return this;
    }

    public Builder heartbeatTimeout(Duration timeout) {
      this.heartbeatTimeout = Objects.requireNonNull(timeout, "heartbeatTimeout");
      return this;
    }

    public Builder highWaterMark(int messages) {
      this.highWaterMark = messages;
      return this;
    }

    public Builder highWaterBytes(long octets) {
      this.highWaterBytes = octets;
      return this;
    }

    public Builder reconnectInterval(Duration interval) {
      this.reconnectInterval = Objects.requireNonNull(interval, "reconnectInterval");
      return this;
    }

    public Builder reconnectIntervalMax(Duration interval) {
      this.reconnectIntervalMax = Objects.requireNonNull(interval, "reconnectIntervalMax");
      return this;
    }

    /** Redials in a row before a kept peer is given up; 0 (the default) for no limit. */
    public Builder reconnectLimit(int attempts) {
      this.reconnectLimit = attempts;
      return this;
    }

    public Builder handshakeTimeout(Duration timeout) {
      this.handshakeTimeout = Objects.requireNonNull(timeout, "handshakeTimeout");
      return this;
    }

    public Builder maxMessageSize(long octets) {
      this.maxMessageSize = octets;
      return this;
    }

    /**
     * Secures every link with CURVE under the mesh's key pair: each peer serves with it and dials with it, and
     * accepts only dialers that hold it, so only holders of the secret key join the mesh.
     */
    public Builder curveKeys(CurveKeyPair keys) {
      this.curveKeys = keys;
      return this;
    }

    /** Adds a discovery mechanism. */
    public Builder discovery(Discovery discovery) {
      discoveries.add(Objects.requireNonNull(discovery, "discovery"));
      return this;
    }

    /**
     * Checks the values and builds the configuration.
     *
     * @throws IllegalArgumentException naming the value that is out of range
     */
    public PeerConfig build() {
      if (id != null && !validId(id)) {
        throw new IllegalArgumentException("id: \"" + id + "\" (expected: 1 to 64 printable ASCII characters, "
            + "no spaces)");
      }
      if (!listen.startsWith("tcp://")) {
        throw new IllegalArgumentException("listen: " + listen + " (expected: a tcp:// endpoint)");
      }
      if (advertise != null && (!advertise.startsWith("tcp://") || isWildcard(advertise))) {
        throw new IllegalArgumentException("advertise: " + advertise + " (expected: a tcp:// endpoint with a host "
            + "others can dial, not a wildcard)");
      }
      positive("heartbeatInterval", heartbeatInterval);
      positive("heartbeatTimeout", heartbeatTimeout);
      if (heartbeatTimeout.compareTo(heartbeatInterval) <= 0) {
        throw new IllegalArgumentException("heartbeatTimeout: " + heartbeatTimeout + " (expected: longer than "
            + "heartbeatInterval " + heartbeatInterval + ")");
      }
      if (highWaterMark < 1) {
        throw new IllegalArgumentException("highWaterMark: " + highWaterMark + " (expected: at least 1)");
      }
      if (highWaterBytes < 1) {
        throw new IllegalArgumentException("highWaterBytes: " + highWaterBytes + " (expected: at least 1)");
      }
      positive("reconnectInterval", reconnectInterval);
      if (reconnectIntervalMax.compareTo(reconnectInterval) < 0) {
        throw new IllegalArgumentException("reconnectIntervalMax: " + reconnectIntervalMax + " (expected: at least "
            + "reconnectInterval " + reconnectInterval + ")");
      }
      if (reconnectLimit < 0) {
        throw new IllegalArgumentException("reconnectLimit: " + reconnectLimit + " (expected: 0 for none, or more)");
      }
      positive("handshakeTimeout", handshakeTimeout);
      if (maxMessageSize < 64) {
        throw new IllegalArgumentException("maxMessageSize: " + maxMessageSize + " (expected: at least 64)");
      }
      return new PeerConfig(this);
    }

  }

  /** Checks that a duration is positive, naming it. */
  static Duration positive(String name, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
    }
    return d;
  }

  /** Checks that a port is one, naming it. */
  static int port(String name, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(name + ": " + port + " (expected: 1 to 65535)");
    }
    return port;
  }

  /** Whether a string can be a peer id: 1 to 64 printable ASCII characters. */
  public static boolean validId(String id) {
    return !id.isEmpty() && id.length() <= 64 && id.chars().allMatch(c -> c >= 0x21 && c < 0x7f);
  }

  static boolean isWildcard(String endpoint) {
    String rest = endpoint.substring("tcp://".length());
    return rest.startsWith("*:") || rest.startsWith("0.0.0.0:") || rest.startsWith("[::]:");
  }
}
