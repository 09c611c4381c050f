package io.switchboard.socket;

import io.switchboard.socket.security.Authenticator;
import io.switchboard.socket.security.CurveKeyPair;
import io.switchboard.socket.security.Security;
import io.switchboard.socket.security.ZapHandler;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings of one socket, immutable; make them with {@link #builder()}.
 *
 * <p>Every limit is explicit. Defaults follow libzmq where libzmq's default is finite, and are finite where it is not:
 * linger is one second, not forever, and the largest message is {@value #DEFAULT_MAX_MESSAGE_SIZE} octets, not
 * unlimited.
 *
 * <p>Security is one {@link Security} value, NULL unless {@link Builder#security} or one of its shorthands ({@link
 * Builder#plainClient}, {@link Builder#plainServer}, {@link Builder#curveClient}, {@link Builder#curveServer}) is
 * called; the last one called wins. See docs/security.md.
 */
public final class SocketOptions {
  /** Messages queued per connection and direction before the socket drops (PUB) or blocks (the rest). */
  public static final int DEFAULT_HIGH_WATER_MARK = 1000;
  /** How long {@link Socket#close()} waits to deliver what is queued. */
  public static final Duration DEFAULT_LINGER = Duration.ofSeconds(1);
  /** The first reconnection delay. */
  public static final Duration DEFAULT_RECONNECT_INTERVAL = Duration.ofMillis(100);
  /** The longest reconnection delay that the backoff grows to. */
  public static final Duration DEFAULT_RECONNECT_INTERVAL_MAX = Duration.ofSeconds(10);
  /** How long a new connection has to complete the ZMTP handshake. */
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
  /** The largest message accepted from a peer, all frames together: 64 MiB. */
  public static final long DEFAULT_MAX_MESSAGE_SIZE = 64L << 20;

  /** The options every socket gets unless told otherwise. */
  public static final SocketOptions DEFAULTS = builder().build();

  private final int sendHighWaterMark;
  private final long sendHighWaterBytes;
  private final int receiveHighWaterMark;
  private final Duration linger;
  private final byte[] identity;
  private final Duration reconnectInterval;
  private final Duration reconnectIntervalMax;
  private final Duration handshakeTimeout;
  private final Duration heartbeatInterval;
  private final Duration heartbeatTimeout;
  private final Duration heartbeatTtl;
  private final long maxMessageSize;
  private final boolean routerMandatory;
  private final boolean xpubVerbose;
  private final boolean spinReceive;
  private final boolean zeroCopyReceive;
  private final Security security;
  private final String zapDomain;

  private SocketOptions(Builder b) {
    sendHighWaterMark = b.sendHighWaterMark;
    sendHighWaterBytes = b.sendHighWaterBytes;
    receiveHighWaterMark = b.receiveHighWaterMark;
    linger = b.linger;
    identity = b.identity.clone();
    reconnectInterval = b.reconnectInterval;
    reconnectIntervalMax = b.reconnectIntervalMax;
    handshakeTimeout = b.handshakeTimeout;
    heartbeatInterval = b.heartbeatInterval;
    heartbeatTimeout = b.heartbeatTimeout == null ? b.heartbeatInterval : b.heartbeatTimeout;
    heartbeatTtl = b.heartbeatTtl;
    maxMessageSize = b.maxMessageSize;
    routerMandatory = b.routerMandatory;
    xpubVerbose = b.xpubVerbose;
    spinReceive = b.spinReceive;
    zeroCopyReceive = b.zeroCopyReceive;
    security = b.security;
    zapDomain = b.zapDomain;
  }

  /** A builder with every default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.sendHighWaterMark = sendHighWaterMark;
    b.sendHighWaterBytes = sendHighWaterBytes;
    b.receiveHighWaterMark = receiveHighWaterMark;
    b.linger = linger;
    b.identity = identity.clone();
    b.reconnectInterval = reconnectInterval;
    b.reconnectIntervalMax = reconnectIntervalMax;
    b.handshakeTimeout = handshakeTimeout;
    b.heartbeatInterval = heartbeatInterval;
    b.heartbeatTimeout = heartbeatTimeout;
    b.heartbeatTtl = heartbeatTtl;
    b.maxMessageSize = maxMessageSize;
    b.routerMandatory = routerMandatory;
    b.xpubVerbose = xpubVerbose;
    b.spinReceive = spinReceive;
    b.zeroCopyReceive = zeroCopyReceive;
    b.security = security;
    b.authenticator = security.authenticator();
    b.zapDomain = zapDomain;
    return b;
  }

  /** Outbound messages queued per connection; 0 means no limit. */
  public int sendHighWaterMark() {
    return sendHighWaterMark;
  }

  /**
   * Outbound octets queued per tcp or ipc connection (the frames that go on the wire), a second limit beside {@link
   * #sendHighWaterMark()}; 0, the default, means none. See {@link Builder#sendHighWaterBytes}.
   */
  public long sendHighWaterBytes() {
    return sendHighWaterBytes;
  }

  /** Inbound messages queued per connection before reading from it pauses; 0 means no limit. */
  public int receiveHighWaterMark() {
    return receiveHighWaterMark;
  }

  /** How long {@code close()} waits for queued messages to be written. */
  public Duration linger() {
    return linger;
  }

  /** The identity (routing id) announced to peers; empty means "let the peer choose". */
  public byte[] identity() {
    return identity.clone();
  }

  /** The first delay before reconnecting. */
  public Duration reconnectInterval() {
    return reconnectInterval;
  }

  /** The delay the reconnection backoff grows to. */
  public Duration reconnectIntervalMax() {
    return reconnectIntervalMax;
  }

  /** How long a peer has to complete the handshake. */
  public Duration handshakeTimeout() {
    return handshakeTimeout;
  }

  /** How often to send PING; zero turns heartbeats off. */
  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  /** How long to wait for any traffic after a PING before closing the connection. */
  public Duration heartbeatTimeout() {
    return heartbeatTimeout;
  }

  /** The time-to-live announced in PING: the peer closes the connection if it hears nothing for that long. */
  public Duration heartbeatTtl() {
    return heartbeatTtl;
  }

  /** The largest inbound message, all frames together, in octets. */
  public long maxMessageSize() {
    return maxMessageSize;
  }

  /** Whether a ROUTER fails loudly, with a {@link RoutingException}, on an unknown routing id. */
  public boolean routerMandatory() {
    return routerMandatory;
  }

  /** Whether an XPUB hands every subscription to its user, not only the first per topic. */
  public boolean xpubVerbose() {
    return xpubVerbose;
  }

  /**
   * Whether a blocking {@code receive} busy-spins until a message arrives (or its timeout passes) instead of parking
   * the thread; see {@link Builder#spinReceive}.
   */
  public boolean spinReceive() {
    return spinReceive;
  }

  /**
   * Whether messages from tcp and ipc connections are queued as the connection read them, without a copy, for
   * {@link Socket#receiveDirect()}; see {@link Builder#zeroCopyReceive}.
   */
  public boolean zeroCopyReceive() {
    return zeroCopyReceive;
  }

  /** The socket's security: its mechanism, its role and what that role needs. */
  public Security security() {
    return security;
  }

  /** The ZAP domain passed to the authenticator with every request, or empty (the default). */
  public String zapDomain() {
    return zapDomain;
  }

  /** Builds {@link SocketOptions}; not thread-safe. */
  public static final class Builder {
    private int sendHighWaterMark = DEFAULT_HIGH_WATER_MARK;
    private long sendHighWaterBytes;
    private int receiveHighWaterMark = DEFAULT_HIGH_WATER_MARK;
    private Duration linger = DEFAULT_LINGER;
    private byte[] identity = new byte[0];
    private Duration reconnectInterval = DEFAULT_RECONNECT_INTERVAL;
    private Duration reconnectIntervalMax = DEFAULT_RECONNECT_INTERVAL_MAX;
    private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
    private Duration heartbeatInterval = Duration.ZERO;
    private Duration heartbeatTimeout;
    private Duration heartbeatTtl = Duration.ZERO;
    private long maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
    private boolean routerMandatory;
    private boolean xpubVerbose;
    private boolean spinReceive;
    private boolean zeroCopyReceive;
    private Security security = Security.NULL;
    /** Set by {@link #authenticator}; put into {@link #security} by {@link #build}. */
    private ZapHandler authenticator;
    private String zapDomain = "";

    private Builder() {}

    /**
     * Makes this socket a PLAIN client that logs in with a user name and password (each at most 255 octets of UTF-8).
     * PLAIN sends them in clear text: use it on trusted networks only, or prefer CURVE.
     */
    public Builder plainClient(String username, String password) {
      return security(new Security.PlainClient(username, password));
    }

    /** Makes this socket a PLAIN server that admits the users {@code authenticator} knows. */
    public Builder plainServer(ZapHandler authenticator) {
      return security(new Security.PlainServer(authenticator));
    }

    /**
     * Makes this socket a CURVE server with this long-term key pair. Without {@link #authenticator} it admits any
     * client that completes the handshake, as libzmq does without a ZAP handler; clients still need the server's
     * public key.
     */
    public Builder curveServer(CurveKeyPair serverKeyPair) {
      ZapHandler keep = authenticator;
      security(new Security.CurveServer(serverKeyPair, null));
      authenticator = keep;
      return this;
    }

    /** Makes this socket a CURVE client with its own long-term key pair, trusting only this server public key. */
    public Builder curveClient(CurveKeyPair clientKeyPair, byte[] serverPublicKey) {
      return security(new Security.CurveClient(clientKeyPair, serverPublicKey));
    }

    /** As {@link #curveClient(CurveKeyPair, byte[])}, with the server key in Z85 (40 characters). */
    public Builder curveClient(CurveKeyPair clientKeyPair, String serverPublicKeyZ85) {
      return curveClient(clientKeyPair, CurveKeyPair.decodeKey("serverPublicKey", serverPublicKeyZ85));
    }

    /** Sets the socket's security, its authenticator included. */
    public Builder security(Security security) {
      this.security = Objects.requireNonNull(security, "security");
      this.authenticator = security.authenticator();
      return this;
    }

    /**
     * Sets the handler that admits peers: for a CURVE server (client keys and addresses), a PLAIN server (set by
     * {@link #plainServer} already), or a NULL socket (addresses only). Null removes it. {@link Authenticator} is
     * the one Switchboard ships; any {@link ZapHandler} will do.
     */
    public Builder authenticator(ZapHandler authenticator) {
      this.authenticator = authenticator;
      return this;
    }

    /**
     * Sets the ZAP domain (RFC 27), as libzmq's {@code ZMQ_ZAP_DOMAIN} does: the authenticator sees it in every
     * request from this socket ({@link ZapHandler.Request#domain()}), so one authenticator shared by several
     * sockets can tell them apart, and {@link Authenticator.Builder#domains} can limit it to some. Empty, the
     * default, means none. At most 255 octets of UTF-8; it is not sent to peers.
     */
    public Builder zapDomain(String domain) {
      Objects.requireNonNull(domain, "zapDomain");
      int octets = domain.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      if (octets > 255) {
        throw new IllegalArgumentException("zapDomain: " + octets + " octets (expected: at most 255)");
      }
      this.zapDomain = domain;
      return this;
    }

    /** Goes back to NULL security with no authenticator. */
    public Builder nullSecurity() {
      return security(Security.NULL);
    }

    /** Sets both high-water marks. */
    public Builder highWaterMark(int messages) {
      return sendHighWaterMark(messages).receiveHighWaterMark(messages);
    }

    /** Sets the outbound high-water mark; 0 means no limit. */
    public Builder sendHighWaterMark(int messages) {
      this.sendHighWaterMark = checkNotNegative("sendHighWaterMark", messages);
      return this;
    }

    /**
     * Sets a limit in octets on what waits to be written to each tcp or ipc connection, beside the limit in messages
     * (whichever is reached first applies): once {@code octets} are queued, a PUB drops and the other sockets block,
     * as at the high-water mark. A message that fits under the limit is taken whole, so a queue may exceed it by one
     * message (one per sending thread). For a socket whose messages vary in size, such as one that batches many small
     * ones. Inproc pipes count messages only. 0, the default, means no limit in octets.
     */
    public Builder sendHighWaterBytes(long octets) {
      if (octets < 0) {
        throw new IllegalArgumentException("sendHighWaterBytes: " + octets + " (expected: >= 0)");
      }
      this.sendHighWaterBytes = octets;
      return this;
    }

    /** Sets the inbound high-water mark; 0 means no limit. */
    public Builder receiveHighWaterMark(int messages) {
      this.receiveHighWaterMark = checkNotNegative("receiveHighWaterMark", messages);
      return this;
    }

    /** Sets how long {@code close()} waits for queued messages. */
    public Builder linger(Duration linger) {
      this.linger = checkNotNegative("linger", linger);
      return this;
    }

    /** Sets the identity announced to peers: 1 to 255 octets, the first not zero, or empty. */
    public Builder identity(byte[] identity) {
      Objects.requireNonNull(identity, "identity");
      if (identity.length > 255 || (identity.length > 0 && identity[0] == 0)) {
        throw new IllegalArgumentException("identity: " + identity.length
            + " octets (expected: at most 255, not starting with a zero octet)");
      }
      this.identity = identity.clone();
      return this;
    }

    /** Sets the first delay before reconnecting. */
    public Builder reconnectInterval(Duration interval) {
      this.reconnectInterval = checkPositive("reconnectInterval", interval);
      return this;
    }

    /** Sets the delay the reconnection backoff grows to. */
    public Builder reconnectIntervalMax(Duration interval) {
      this.reconnectIntervalMax = checkPositive("reconnectIntervalMax", interval);
      return this;
    }

    /** Sets how long a peer has to complete the handshake. */
    public Builder handshakeTimeout(Duration timeout) {
      this.handshakeTimeout = checkPositive("handshakeTimeout", timeout);
      return this;
    }

    /** Sets how often to send PING; zero turns heartbeats off. */
    public Builder heartbeatInterval(Duration interval) {
      this.heartbeatInterval = checkNotNegative("heartbeatInterval", interval);
      return this;
    }

    /** Sets how long to wait for traffic after a PING; defaults to the interval. */
    public Builder heartbeatTimeout(Duration timeout) {
      this.heartbeatTimeout = checkPositive("heartbeatTimeout", timeout);
      return this;
    }

    /** Sets the time-to-live announced in PING (at most 6553.5 s); zero announces none. */
    public Builder heartbeatTtl(Duration ttl) {
      checkNotNegative("heartbeatTtl", ttl);
      if (ttl.toMillis() / 100 > 0xFFFF) {
        throw new IllegalArgumentException("heartbeatTtl: " + ttl + " (expected: at most 6553.5 s)");
      }
      this.heartbeatTtl = ttl;
      return this;
    }

    /** Sets the largest inbound message, all frames together, in octets. */
    public Builder maxMessageSize(long octets) {
      if (octets <= 0) {
        throw new IllegalArgumentException("maxMessageSize: " + octets + " (expected: > 0)");
      }
      this.maxMessageSize = octets;
      return this;
    }

    /** Makes a ROUTER throw {@link RoutingException} on an unknown routing id instead of dropping. */
    public Builder routerMandatory(boolean mandatory) {
      this.routerMandatory = mandatory;
      return this;
    }

    /** Makes an XPUB hand every subscription to its user, duplicates included. */
    public Builder xpubVerbose(boolean verbose) {
      this.xpubVerbose = verbose;
      return this;
    }

    /**
     * Makes a blocking {@code receive} busy-spin (with {@link Thread#onSpinWait()}, and a {@link Thread#yield()}
     * every 64 polls) until a message arrives or its timeout passes, instead of spinning briefly and then parking the
     * thread. For latency-critical receivers: it saves the cost of parking and waking a thread on every message, and
     * keeps one CPU core fully busy for as long as the thread waits, so give it a core of its own (with fewer free
     * cores than busy threads, the yields keep it working, but it gains nothing). Closing the socket or interrupting the thread still ends
     * the wait, as for a parked receive. Off by default; {@code tryReceive} and {@code receiveAsync} are unchanged.
     */
    public Builder spinReceive(boolean spin) {
      this.spinReceive = spin;
      return this;
    }

    /**
     * Queues each message from a tcp or ipc connection as its frames were read, slices of the I/O thread's pooled
     * direct buffers, instead of copying every frame into an array: {@link Socket#receiveDirect()} then hands it over
     * as a {@link DirectMessage}, which the receiver must release. A plain {@code receive} still works, and copies
     * (as it would have) and releases. Messages from inproc peers are not affected.
     *
     * <p>For PULL, SUB, XSUB, DEALER, ROUTER and PAIR sockets, whose receive does not look into the messages beyond a
     * SUB's topic; the other types refuse it when made. Off by default. The cost: until released, a message holds the
     * buffer it was read into (up to 64 KiB, shared with the messages of the same read), so keep the receive
     * high-water mark in mind when holding many.
     */
    public Builder zeroCopyReceive(boolean zeroCopy) {
      this.zeroCopyReceive = zeroCopy;
      return this;
    }

    /** Builds the options. */
    public SocketOptions build() {
      if (reconnectIntervalMax.compareTo(reconnectInterval) < 0) {
        throw new IllegalArgumentException("reconnectIntervalMax: " + reconnectIntervalMax
            + " (expected: at least reconnectInterval " + reconnectInterval + ")");
      }
      security = withAuthenticator(security, authenticator);
      return new SocketOptions(this);
    }

    private static Security withAuthenticator(Security security, ZapHandler authenticator) {
      if (security instanceof Security.Null) {
        return new Security.Null(authenticator);
      } else if (security instanceof Security.PlainServer) {
        if (authenticator == null) {
          throw new IllegalArgumentException("authenticator: none on a PLAIN server (expected: one that knows the "
              + "users)");
        }
        return new Security.PlainServer(authenticator);
      } else if (security instanceof Security.CurveServer curve) {
        return new Security.CurveServer(curve.keyPair(), authenticator);
      } else if (authenticator != null) {
        throw new IllegalArgumentException("authenticator: " + authenticator.getClass().getSimpleName() + " on a "
            + security.mechanism() + " client (expected: only on a server, plainServer or curveServer, or with NULL)");
      }
      return security;
    }

    private static int checkNotNegative(String name, int value) {
      if (value < 0) {
        throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
      }
      return value;
    }

    private static Duration checkNotNegative(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative()) {
        throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
      }
      return value;
    }

    private static Duration checkPositive(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
      }
      return value;
    }
  }
}
