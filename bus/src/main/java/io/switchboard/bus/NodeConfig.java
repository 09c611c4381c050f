package io.switchboard.bus;

import io.switchboard.bus.internal.ConfigParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A node's configuration: its channels with their rules, and its options. Immutable; build one with {@link
 * #builder()}, read one with {@link #load(Path)}, or take {@link #defaults()}.
 *
 * <p>The file format is JSON (with {@code //} and {@code /* *}{@code /} comments) or YAML (a name ending in {@code
 * .yaml} or {@code .yml}). Keys are matched without regard to case, so netcluster's own {@code config.json} runs
 * unchanged:
 *
 * <pre>{@code
 * {
 *   "channels": {
 *     "control": {"propagateToChannels": false},
 *     "A": {"propagateToChannels": "^B$", "propagateToNet": false, "trace": false},
 *     "B": {"propagateToChannels": "^A$"}
 *   },
 *   "listen": "tcp://127.0.0.1:7600",      // optional: a tcp endpoint besides the local ipc one
 *   "controlToken": "s3cret",              // needed for control over tcp
 *   "clientQueue": 100000,                 // messages queued per client (an EVENT carries up to 32 events)
 *   "clientQueueBytes": 67108864,          // and octets: whichever is reached first
 *   "maxEventSize": 1048576                // octets; larger messages close the sender's connection
 * }
 * }</pre>
 *
 * <p>Channel keys: {@code propagateToChannels} (a regular expression or {@code false}), {@code propagateToNet},
 * {@code trace} (alias {@code dumpToConsole}). Node keys: {@code listen}, {@code ipc}, {@code controlToken}, {@code
 * clientQueue}, {@code clientQueueBytes}, {@code maxEventSize}, {@code startControl}, and netcluster's network keys {@code addr}, {@code port},
 * {@code connectToNet} and {@code dumpNet}, kept for compatibility; {@code mesh} ({@link MeshConfig}) joins the node
 * to other nodes. Every error names the file, the key and what
 * was expected ({@link ConfigException}).
 */
public final class NodeConfig {
  /** Messages queued for one client before the node drops events for it. */
  public static final int DEFAULT_CLIENT_QUEUE = 100_000;
  /** Octets queued for one client before the node drops events for it: 64 MiB, nats-server's default too. */
  public static final long DEFAULT_CLIENT_QUEUE_BYTES = 64L << 20;
  /** The largest event a node accepts, in octets of all its frames. */
  public static final long DEFAULT_MAX_EVENT_SIZE = 1L << 20;
  /** netcluster's multicast group. */
  public static final String DEFAULT_MULTICAST_ADDRESS = "224.0.0.0";
  /** netcluster's multicast port. */
  public static final int DEFAULT_MULTICAST_PORT = 4454;

  private final String source;
  private final Map<String, ChannelConfig> channels;
  private final String listen;
  private final String ipc;
  private final String controlToken;
  private final boolean startControl;
  private final int clientQueue;
  private final long clientQueueBytes;
  private final long maxEventSize;
  private final String multicastAddress;
  private final int multicastPort;
  private final boolean connectToNet;
  private final boolean dumpNet;
  private final MeshConfig mesh;

  private NodeConfig(Builder b) {
    this.source = b.source;
    this.channels = Collections.unmodifiableMap(new LinkedHashMap<>(b.channels));
    this.listen = b.listen;
    this.ipc = b.ipc;
    this.controlToken = b.controlToken;
    this.startControl = b.startControl;
    this.clientQueue = b.clientQueue;
    this.clientQueueBytes = b.clientQueueBytes;
    this.maxEventSize = b.maxEventSize;
    this.multicastAddress = b.multicastAddress;
    this.multicastPort = b.multicastPort;
    this.connectToNet = b.connectToNet;
    this.dumpNet = b.dumpNet;
    this.mesh = b.mesh;
  }

  /**
   * The configuration a node runs with when given none: channels {@code control}, {@code A} and {@code B}, with A and
   * B copying their events to each other, as netcluster's sample.
   */
  public static NodeConfig defaults() {
    return builder()
        .source("(default configuration)")
        .channel(ChannelConfig.plain("control"))
        .channel(new ChannelConfig("A", Pattern.compile("^B$"), false, false))
        .channel(new ChannelConfig("B", Pattern.compile("^A$"), false, false))
        .build();
  }

  /**
   * Reads a configuration file: YAML if its name ends in {@code .yaml} or {@code .yml}, JSON otherwise.
   *
   * @throws ConfigException if the file cannot be read or is not a valid configuration
   */
  public static NodeConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(file.toString(), "cannot read the file (" + e + ")", e);
    }
    String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    return parse(text, file.toString(), name.endsWith(".yaml") || name.endsWith(".yml"));
  }

  /**
   * Parses a configuration from text.
   *
   * @param source what to call it in error messages, usually the file name
   * @param yaml whether the text is YAML rather than JSON
   * @throws ConfigException if the text is not a valid configuration
   */
  public static NodeConfig parse(String text, String source, boolean yaml) {
    return ConfigParser.parse(text, source, yaml, builder().source(source)).build();
  }

  /** A builder with the defaults and no channels. */
  public static Builder builder() {
    return new Builder();
  }

  /** Where this configuration came from: a file name, or a description. */
  public String source() {
    return source;
  }

  /** The channels by name, in the order they were given. */
  public Map<String, ChannelConfig> channels() {
    return channels;
  }

  /** The tcp endpoint to listen on besides the local ipc one, or {@code null}. */
  public String listen() {
    return listen;
  }

  /** The path of the local ipc endpoint, or {@code null} for the default ({@link BusNode#defaultIpcPath()}). */
  public String ipc() {
    return ipc;
  }

  /** The token control commands need over tcp, or {@code null} (then control works over ipc only). */
  public String controlToken() {
    return controlToken;
  }

  /** Whether the node answers control commands. */
  public boolean startControl() {
    return startControl;
  }

  /**
   * Messages queued per client before the node drops events for it; an EVENT message carries the up to 32 events
   * that one read of the node routed to the client.
   */
  public int clientQueue() {
    return clientQueue;
  }

  /**
   * Octets queued per client (the frames of the messages waiting to be written to it) before the node drops events
   * for it, beside {@link #clientQueue()}: whichever is reached first applies.
   */
  public long clientQueueBytes() {
    return clientQueueBytes;
  }

  /** The largest event accepted, in octets; a larger one closes the sender's connection. */
  public long maxEventSize() {
    return maxEventSize;
  }

  /** netcluster's {@code addr}: the multicast group of the mesh's discovery. */
  public String multicastAddress() {
    return multicastAddress;
  }

  /** netcluster's {@code port}: the multicast port of the mesh's discovery. */
  public int multicastPort() {
    return multicastPort;
  }

  /** netcluster's {@code connecttonet}: whether this node joins the mesh. */
  public boolean connectToNet() {
    return connectToNet;
  }

  /** netcluster's {@code dumpnet}: whether events from the network are printed. */
  public boolean dumpNet() {
    return dumpNet;
  }

  /** How this node joins the mesh, or {@code null} if it does not (then it is a node of one machine). */
  public MeshConfig mesh() {
    return mesh;
  }

  /** This configuration as pretty-printed JSON, in the canonical camel-case keys. */
  public String toJson() {
    return ConfigParser.toJson(this);
  }

  /** A builder that starts from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.source = source;
    b.channels.putAll(channels);
    b.listen = listen;
    b.ipc = ipc;
    b.controlToken = controlToken;
    b.startControl = startControl;
    b.clientQueue = clientQueue;
    b.clientQueueBytes = clientQueueBytes;
    b.maxEventSize = maxEventSize;
    b.multicastAddress = multicastAddress;
    b.multicastPort = multicastPort;
    b.connectToNet = connectToNet;
    b.dumpNet = dumpNet;
    b.mesh = mesh;
    return b;
  }

  @Override
  public String toString() {
    return "NodeConfig[" + source + ", channels=" + channels.keySet() + "]";
  }

  /** Builds a {@link NodeConfig}; {@link #build()} checks it. */
  public static final class Builder {
    private String source = "(built in code)";
    private final Map<String, ChannelConfig> channels = new LinkedHashMap<>();
    private String listen;
    private String ipc;
    private String controlToken;
    private boolean startControl = true;
    private int clientQueue = DEFAULT_CLIENT_QUEUE;
    private long clientQueueBytes = DEFAULT_CLIENT_QUEUE_BYTES;
    private long maxEventSize = DEFAULT_MAX_EVENT_SIZE;
    private String multicastAddress = DEFAULT_MULTICAST_ADDRESS;
    private int multicastPort = DEFAULT_MULTICAST_PORT;
    private boolean connectToNet;
    private boolean dumpNet;
    private MeshConfig mesh;

    private Builder() {}

    /** What to call this configuration in messages. */
    public Builder source(String source) {
      this.source = Objects.requireNonNull(source, "source");
      return this;
    }

    /** Adds or replaces a channel. */
    public Builder channel(ChannelConfig channel) {
      channels.put(channel.name(), channel);
      return this;
    }

    /** Removes every channel. */
    public Builder clearChannels() {
      channels.clear();
      return this;
    }

    /** A tcp endpoint to listen on besides the ipc one, or {@code null}. */
    public Builder listen(String endpoint) {
      this.listen = endpoint;
      return this;
    }

    /** The ipc socket's path, or {@code null} for the default. */
    public Builder ipc(String path) {
      this.ipc = path;
      return this;
    }

    /** The token control commands need over tcp. */
    public Builder controlToken(String token) {
      this.controlToken = token;
      return this;
    }

    /** Whether the node answers control commands. */
    public Builder startControl(boolean start) {
      this.startControl = start;
      return this;
    }

    /** Messages queued per client before events for it are dropped (an EVENT message carries up to 32). */
    public Builder clientQueue(int messages) {
      this.clientQueue = messages;
      return this;
    }

    /** Octets queued per client before events for it are dropped. */
    public Builder clientQueueBytes(long octets) {
      this.clientQueueBytes = octets;
      return this;
    }

    /** The largest event accepted, in octets. */
    public Builder maxEventSize(long octets) {
      this.maxEventSize = octets;
      return this;
    }

    /** netcluster's {@code addr}: the multicast group. */
    public Builder multicastAddress(String address) {
      this.multicastAddress = Objects.requireNonNull(address, "address");
      return this;
    }

    /** netcluster's {@code port}: the multicast port. */
    public Builder multicastPort(int port) {
      this.multicastPort = port;
      return this;
    }

    /** netcluster's {@code connecttonet}. */
    public Builder connectToNet(boolean connect) {
      this.connectToNet = connect;
      return this;
    }

    /** netcluster's {@code dumpnet}. */
    public Builder dumpNet(boolean dump) {
      this.dumpNet = dump;
      return this;
    }

    /** How the node joins the mesh, or {@code null} for none. */
    public Builder mesh(MeshConfig mesh) {
      this.mesh = mesh;
      return this;
    }

    /**
     * Checks the values and builds the configuration.
     *
     * @throws ConfigException if a value is out of range
     */
    public NodeConfig build() {
      if (clientQueue < 1) {
        throw new ConfigException(source, "clientQueue", clientQueue + " (expected: at least 1)");
      }
      if (clientQueueBytes < 1) {
        throw new ConfigException(source, "clientQueueBytes", clientQueueBytes + " (expected: at least 1)");
      }
      if (maxEventSize < 64) {
        throw new ConfigException(source, "maxEventSize", maxEventSize + " (expected: at least 64)");
      }
      if (multicastPort < 1 || multicastPort > 65535) {
        throw new ConfigException(source, "port", multicastPort + " (expected: a port from 1 to 65535)");
      }
      if (mesh != null) {
        try {
          mesh.toPeerConfig();
        } catch (IllegalArgumentException e) {
          throw new ConfigException(source, "mesh", e.getMessage());
        }
      }
      if (listen != null && !listen.startsWith("tcp://")) {
        throw new ConfigException(source, "listen", "\"" + listen + "\" (expected: a tcp:// endpoint)");
      }
      return new NodeConfig(this);
    }
  }
}
