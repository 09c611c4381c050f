package io.switchboard.bus.mesh.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.switchboard.bus.BusException;
import io.switchboard.bus.mesh.PeerConfig;
import io.switchboard.bus.mesh.PeerInfo;
import io.switchboard.bus.mesh.PeerListener;
import io.switchboard.bus.mesh.spi.Discovery;
import io.switchboard.bus.mesh.spi.DiscoveryContext;
import io.switchboard.socket.Endpoint;
import io.switchboard.socket.EndpointException;
import io.switchboard.socket.Message;
import io.switchboard.zmtp.ZmtpAuthenticator;
import io.switchboard.zmtp.ZmtpHandshakeHandler;
import io.switchboard.zmtp.ZmtpHandshakeOptions;
import io.switchboard.zmtp.ZmtpSecurity;
import io.switchboard.zmtp.ZmtpSocketType;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine of a {@link io.switchboard.bus.mesh.Peer}: its listening channel, its links, dialers and the streams to
 * and from each other peer. Links, dialers and inbound streams run on one I/O thread ({@link #loop}); sends may come
 * from any thread.
 *
 * <p>One link per pair: when two links join the same two peers (both dialled at once, or a dial while a link was
 * up), both sides keep the link dialled by the peer with the smaller id and close the other. Nothing is lost or
 * doubled meanwhile, because every message carries its stream's session and sequence number and waits until
 * acknowledged (see {@link Remote}).
 */
public final class PeerCore implements AutoCloseable {
  static final Logger LOG = LoggerFactory.getLogger("io.switchboard.bus.mesh");
  private static final SecureRandom RANDOM = new SecureRandom();

  final PeerConfig config;
  final String id;
  final byte[] idBytes;
  final UUID uuid;
  /** This incarnation: a random number, new at every start, so that others notice a restart. */
  final long epoch;
  final EventLoop loop;
  private final EventLoopGroup ownGroup;
  private final boolean epoll;
  private Channel server;
  private volatile String endpoint;
  final Set<Channel> channels = ConcurrentHashMap.newKeySet();
  private final Map<String, Remote> remotes = new ConcurrentHashMap<>();
  private final Map<String, Dialer> dialers = new ConcurrentHashMap<>();
  private final Set<String> selfEndpoints = ConcurrentHashMap.newKeySet();
  /** The inbound stream state of forgotten peers (epoch, next expected, session), the last 1024; the I/O thread's. */
  private final Map<String, long[]> tombstones = new java.util.LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
      return size() > 1024;
    }
  };
  private final List<PeerListener> listeners = new CopyOnWriteArrayList<>();
  private final List<Discovery> started = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  /** The last session begun, of a stream to some peer: sessions are numbered in the order they begin. */
  private final AtomicInteger sessions = new AtomicInteger();

  private PeerCore(PeerConfig config, String id, EventLoopGroup group, boolean own) {
    this.config = config;
    this.id = id;
    this.idBytes = id.getBytes(StandardCharsets.US_ASCII);
    this.uuid = uuidOf(id);
    long e;
    do {
      e = RANDOM.nextLong();
    } while (e == 0);
    this.epoch = e;
    this.ownGroup = own ? group : null;
    this.epoll = group instanceof EpollEventLoopGroup;
    this.loop = group.next();
  }

  /**
   * Starts a peer: resolves its id, binds its endpoint, starts its discoveries.
   *
   * @param group the I/O threads to run on, or {@code null} for a thread of its own
   * @param listeners told from the start, so that none misses {@code onListening}
   * @throws BusException if the id cannot be read or kept, or the endpoint cannot be bound
   */
  public static PeerCore start(PeerConfig config, EventLoopGroup group, List<PeerListener> listeners) {
    String id = config.id() != null ? config.id() : storedId(config.dataDirectory());
    boolean own = group == null;
    if (own) {
      DefaultThreadFactory threads = new DefaultThreadFactory("switchboard-mesh", true);
      group = Epoll.isAvailable() ? new EpollEventLoopGroup(1, threads) : new NioEventLoopGroup(1, threads);
    }
    PeerCore core = new PeerCore(config, id, group, own);
    core.listeners.addAll(listeners);
    try {
      core.bind();
      for (Discovery d : config.discoveries()) {
        d.start(core.new Context(d));
        core.started.add(d);
      }
      return core;
    } catch (RuntimeException e) {
      core.close();
      throw e;
    }
  }

  /** The id in {@code peer-id} under the data directory, made (a random UUID) and kept there the first time. */
  static String storedId(Path directory) {
    Path file = directory.resolve("peer-id");
    try {
      if (Files.exists(file)) {
        String stored = Files.readString(file, StandardCharsets.US_ASCII).trim();
        if (!PeerConfig.validId(stored)) {
          throw new BusException("the peer id in " + file + " is not valid (\"" + stored + "\"; expected: 1 to 64 "
              + "printable ASCII characters); fix or delete the file");
        }
        return stored;
      }
      Files.createDirectories(directory);
      String fresh = UUID.randomUUID().toString();
      Path temp = Files.createTempFile(directory, "peer-id", ".tmp");
      Files.writeString(temp, fresh + "\n", StandardCharsets.US_ASCII);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        Files.deleteIfExists(temp);
        throw e;
      }
      return fresh;
    } catch (IOException e) {
      throw new BusException("cannot keep the peer id in " + file + ": " + e, e);
    }
  }

  /** The id as a UUID: itself if it is one, else the first 16 octets of its SHA-256 (version 8, RFC 9562). */
  static UUID uuidOf(String id) {
    try {
      UUID parsed = UUID.fromString(id);
      if (parsed.toString().equalsIgnoreCase(id)) {
        return parsed;
      }
    } catch (IllegalArgumentException notOne) {
      // derive one
    }
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.US_ASCII));
      h[6] = (byte) ((h[6] & 0x0f) | 0x80);
      h[8] = (byte) ((h[8] & 0x3f) | 0x80);
      long msb = 0;
      long lsb = 0;
      for (int i = 0; i < 8; i++) {
        msb = (msb << 8) | (h[i] & 0xff);
        lsb = (lsb << 8) | (h[8 + i] & 0xff);
      }
      return new UUID(msb, lsb);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void bind() {
    Endpoint ep = parse("listen", config.listen());
    InetSocketAddress address = ep.isWildcardHost() ? new InetSocketAddress(ep.port())
        : new InetSocketAddress(ep.host(), ep.port());
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(loop, loop)
        .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            install(ch, null);
          }
        });
    ChannelFuture f = bootstrap.bind(address).awaitUninterruptibly();
    if (!f.isSuccess()) {
      throw new BusException("mesh: cannot listen on " + config.listen() + ": " + f.cause().getMessage(), f.cause());
    }
    server = f.channel();
    int port = ((InetSocketAddress) server.localAddress()).getPort();
    endpoint = config.advertise() != null ? config.advertise()
        : "tcp://" + hostForOthers(ep) + ":" + port;
    for (PeerListener l : listeners) {
      safely(() -> l.onListening(endpoint));
    }
  }

  /** The host others should dial: the listening one, or for a wildcard this machine's first non-loopback IPv4. */
  private static String hostForOthers(Endpoint ep) {
    if (!ep.isWildcardHost() && !"0.0.0.0".equals(ep.host())) {
      return ep.host();
    }
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nif.isUp() || nif.isLoopback()) {
          continue;
        }
        for (InetAddress a : Collections.list(nif.getInetAddresses())) {
          if (a instanceof Inet4Address && !a.isLinkLocalAddress()) {
            return a.getHostAddress();
          }
        }
      }
    } catch (SocketException e) {
      LOG.debug("mesh: cannot list the network interfaces", e);
    }
    return "127.0.0.1";
  }

  private static Endpoint parse(String what, String uri) {
    Endpoint ep;
    try {
      ep = Endpoint.parse(uri);
    } catch (EndpointException e) {
      throw new BusException(what + ": " + e.getMessage(), e);
    }
    if (ep.transport() != Endpoint.Transport.TCP) {
      throw new BusException(what + ": " + uri + " (expected: tcp://HOST:PORT)");
    }
    return ep;
  }

  private void install(Channel ch, Dialer dialer) {
    Link link = new Link(this, dialer);
    ZmtpHandshakeOptions options = new ZmtpHandshakeOptions(ZmtpSocketType.DEALER, idBytes, config.maxMessageSize(),
        ZmtpHandshakeOptions.DEFAULT_MAX_METADATA_SIZE, config.handshakeTimeout(), security(dialer == null));
    ch.pipeline().addLast("zmtp-handshake", new ZmtpHandshakeHandler(options, link::onHandshake));
    ch.pipeline().addLast("mesh-link", link);
  }

  private ZmtpSecurity security(boolean server) {
    var keys = config.curveKeys();
    if (keys == null) {
      return ZmtpSecurity.NULL;
    }
    if (!server) {
      return new ZmtpSecurity.CurveClient(keys.publicKey(), keys.secretKey(), keys.publicKey());
    }
    byte[] mesh = keys.publicKey();
    ZmtpAuthenticator onlyTheMesh = request -> {
      if (request.clientKey() == null || !MessageDigest.isEqual(request.clientKey(), mesh)) {
        throw new io.switchboard.zmtp.ZmtpAuthenticationException("not a key of this mesh", "400");
      }
      return "mesh";
    };
    return new ZmtpSecurity.CurveServer(keys.publicKey(), keys.secretKey(), onlyTheMesh);
  }

  ChannelFuture connect(Dialer dialer) {
    Bootstrap bootstrap = new Bootstrap()
        .group(loop)
        .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.handshakeTimeout().toMillis())
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            install(ch, dialer);
          }
        });
    return bootstrap.connect(InetSocketAddress.createUnresolved(dialer.endpoint.host(), dialer.endpoint.port()));
  }

  // ---- the API, from any thread ----

  public String id() {
    return id;
  }

  public UUID uuid() {
    return uuid;
  }

  public String endpoint() {
    return endpoint;
  }

  public void addListener(PeerListener listener) {
    listeners.add(listener);
  }

  public void removeListener(PeerListener listener) {
    listeners.remove(listener);
  }

  /** Dials {@code uri} until a peer answers (or the redial limit); completes with that peer's id. */
  public CompletableFuture<String> connect(String uri, boolean keep) {
    Endpoint ep = parse("connect", uri);
    if (closed.get()) {
      return CompletableFuture.failedFuture(new BusException("the peer is closed"));
    }
    if (uri.equals(endpoint) || selfEndpoints.contains(uri)) {
      return CompletableFuture.failedFuture(new BusException(uri + " is this peer's own endpoint"));
    }
    for (Remote r : remotes.values()) {
      if (uri.equals(r.endpoint) && r.active != null) {
        if (keep) {
          r.kept = true;
        }
        return CompletableFuture.completedFuture(r.id);
      }
    }
    Dialer fresh = new Dialer(this, uri, ep, keep);
    Dialer existing = dialers.putIfAbsent(uri, fresh);
    if (existing != null) {
      return existing.result;
    }
    loop.execute(fresh::dial);
    return fresh.result;
  }

  public void disconnect(String peerId) {
    loop.execute(() -> {
      Remote r = remotes.get(peerId);
      if (r == null) {
        return;
      }
      r.kept = false;
      cancelDials(r);
      if (r.links.isEmpty()) {
        forget(r, "disconnected");
      }
      for (Link l : List.copyOf(r.links)) {
        l.close("disconnected");
      }
    });
  }

  public boolean keep(String peerId, boolean keep) {
    Remote r = remotes.get(peerId);
    if (r == null) {
      return false;
    }
    r.kept = keep;
    if (!keep) {
      loop.execute(() -> {
        cancelDials(r);
        if (r.active == null) {
          forget(r, "no longer kept");
        }
      });
    }
    return true;
  }

  public List<PeerInfo> connections() {
    List<PeerInfo> out = new ArrayList<>();
    for (Remote r : remotes.values()) {
      out.add(r.info());
    }
    out.sort((a, b) -> a.id().compareTo(b.id()));
    return out;
  }

  /** The ids of the peers with a link up now. */
  public List<String> connectedIds() {
    List<String> out = new ArrayList<>();
    for (Remote r : remotes.values()) {
      if (r.active != null) {
        out.add(r.id);
      }
    }
    return out;
  }

  /** Queues a message for one peer; false if it is unknown, forgotten, or its queue is at the high-water mark. */
  public boolean send(String peerId, byte[][] frames) {
    Remote r = remotes.get(peerId);
    if (r == null || !r.offer(frames, config.highWaterMark(), config.highWaterBytes())) {
      return false;
    }
    scheduleFlush(r);
    return true;
  }

  /** Queues one message (the same frames, by reference) for many peers; returns how many took it. */
  public int send(Collection<String> peerIds, byte[][] frames) {
    int n = 0;
    for (String p : peerIds) {
      if (send(p, frames)) {
        n++;
      }
    }
    return n;
  }

  void scheduleFlush(Remote r) {
    if (r.markFlushScheduled()) {
      loop.execute(() -> flush(r));
    }
  }

  private void flush(Remote r) {
    Link active = r.active;
    List<Remote.Out> outs = r.drain();
    if (outs != null && active != null) {
      active.write(r.outSession, outs);
    }
  }

  // ---- links, on the I/O thread ----

  /** The other side's HELLO: who it is. */
  void hello(Link link, String peerId, long peerEpoch, String peerEndpoint) {
    if (peerId.equals(id)) {
      if (link.dialer != null) {
        selfEndpoints.add(link.dialer.uri);
        Dialer d = link.dialer;
        dialers.remove(d.uri, d);
        d.close();
        d.result.completeExceptionally(new BusException(d.uri + " is this peer's own endpoint"));
      }
      link.close("connected to itself");
      return;
    }
    if (!PeerConfig.validId(peerId)) {
      link.close("protocol error: bad peer id");
      return;
    }
    Remote r = remotes.get(peerId);
    if (r == null || r.forgotten) {
      r = new Remote(peerId, sessions.incrementAndGet());
      long[] resumed = tombstones.remove(peerId);
      if (resumed != null) {
        r.remoteEpoch = resumed[0];
        r.expected = resumed[1];
        r.lastAcked = resumed[1] - 1;
        r.inSession = (int) resumed[2];
      }
      remotes.put(peerId, r);
    }
    link.remote = r;
    if (r.remoteEpoch != peerEpoch) {
      if (r.remoteEpoch != 0) {
        // a new incarnation: its old links are dead
        for (Link old : List.copyOf(r.links)) {
          r.links.remove(old);
          old.close("the peer restarted");
        }
        r.active = null;
      }
      // what we received from its previous incarnation is no guide
      r.remoteEpoch = peerEpoch;
      r.inSession = 0;
      r.expected = 1;
      r.lastAcked = 0;
      r.nackedFor = 0;
    }
    if (!peerEndpoint.isEmpty()) {
      r.endpoint = peerEndpoint;
    } else if (r.endpoint == null && link.dialer != null) {
      r.endpoint = link.dialer.uri;
    }
    if (link.dialer != null && link.dialer.keep) {
      r.kept = true;
    }
    r.links.add(link);
    link.writeSync(r.outSession, r.firstUnacked(), r.inSession, r.expected);
  }

  /**
   * The other side's SYNC: its stream to us (session and first number not acknowledged), and which session of ours it
   * knows and how far. The link may carry messages from now on.
   */
  void sync(Link link, int theirSession, long theirFirst, int seenMine, long nextSeq) {
    Remote r = link.remote;
    if (!r.links.contains(link)) {
      return;
    }
    link.synced = true;
    if (link.dialer != null && !link.dialer.result.isDone()) {
      Dialer d = link.dialer;
      dialers.remove(d.uri, d);
      d.close();
      d.result.complete(r.id);
    }
    if (theirSession > r.inSession) {
      // a stream we have not seen: taken up where its window begins, as everything before was acknowledged
      r.inSession = theirSession;
      r.expected = theirFirst;
      r.lastAcked = theirFirst - 1;
      r.nackedFor = 0;
    }
    // else the stream we receive, or a SYNC written before its sender began that stream (a race of two links): stale
    if (seenMine == r.outSession) {
      r.rewind(seenMine, nextSeq);
    } else if (r.active == null) {
      r.rewindAll();
    }
    Link best = preferred(r);
    for (Link other : List.copyOf(r.links)) {
      if (other != best && other.synced) {
        r.links.remove(other);
        other.close("a second link to the same peer (the one dialled by the smaller id stays)");
      }
    }
    boolean first = r.active == null;
    if (best != r.active) {
      r.active = best;
      if (!first) {
        r.rewindAll();
      }
    }
    if (first && !r.announced) {
      if (r.everConnected) {
        r.reconnects++;
      }
      r.everConnected = true;
      r.announced = true;
      PeerInfo info = r.info();
      for (PeerListener l : listeners) {
        safely(() -> l.onConnect(info));
      }
    }
    scheduleFlush(r);
  }

  /** The link this pair keeps: one dialled by the smaller id if there is one, the one in use before, the oldest. */
  private Link preferred(Remote r) {
    boolean iDial = id.compareTo(r.id) < 0;
    Link best = null;
    for (Link l : r.links) {
      if (!l.synced) {
        continue;
      }
      if (best == null) {
        best = l;
        continue;
      }
      boolean lGood = l.dialled() == iDial;
      boolean bestGood = best.dialled() == iDial;
      if (lGood && !bestGood || lGood == bestGood && l == r.active) {
        best = l;
      }
    }
    return best;
  }

  /** A message from the other side: delivered if it is the next of its stream; asked again if one is missing. */
  void received(Link link, int session, long seq, byte[][] frames) {
    Remote r = link.remote;
    if (session != r.inSession) {
      return;   // of a session that was replaced: its messages come again, numbered in the new one
    }
    if (seq == r.expected) {
      r.expected++;
      r.received++;
      Message m = Message.of(java.util.Arrays.asList(frames).subList(1, frames.length));
      for (PeerListener l : listeners) {
        safely(() -> l.onMessage(r.id, m));
      }
    } else if (seq < r.expected) {
      r.duplicates++;
      // sent again: our acknowledgement did not reach the sender (it went on a link that closed), so say it again
      r.lastAcked = Math.min(r.lastAcked, seq - 1);
    } else if (r.nackedFor != r.expected) {
      r.nackedFor = r.expected;
      link.writeControl(Link.NACK, r.inSession, r.expected);
      link.ctx.flush();
    }
  }

  void linkClosed(Link link, String reason) {
    Remote r = link.remote;
    if (link.dialer != null && !link.synced && !closed.get()) {
      link.dialer.failed(reason);
    }
    if (r == null || !r.links.remove(link)) {
      return;
    }
    if (r.active != null && r.active != link) {
      return;
    }
    r.active = null;
    Link next = preferred(r);
    if (next != null) {
      r.active = next;
      r.rewindAll();
      scheduleFlush(r);
      return;
    }
    if (!r.links.isEmpty() || closed.get()) {
      return;
    }
    boolean wasAnnounced = r.announced;
    r.announced = false;
    if (wasAnnounced) {
      PeerInfo info = r.info();
      for (PeerListener l : listeners) {
        safely(() -> l.onDisconnect(info, reason));
      }
    }
    if (r.kept && r.endpoint != null) {
      redial(r);
    } else if (!dialers.containsKey(String.valueOf(r.endpoint))) {
      forget(r, reason);
    }
  }

  private void redial(Remote r) {
    if (dialers.containsKey(r.endpoint)) {
      return;
    }
    Dialer d = new Dialer(this, r.endpoint, parse("endpoint", r.endpoint), true);
    dialers.put(r.endpoint, d);
    // the first redial waits too: a peer that just went away is rarely back at once
    d.failed("link lost");
  }

  void gaveUp(Dialer d, String why) {
    dialers.remove(d.uri, d);
    d.close();
    d.result.completeExceptionally(new BusException(why));
    for (Remote r : remotes.values()) {
      if (d.uri.equals(r.endpoint) && r.active == null) {
        forget(r, why);
      }
    }
  }

  private void cancelDials(Remote r) {
    if (r.endpoint != null) {
      Dialer d = dialers.remove(r.endpoint);
      if (d != null) {
        d.close();
        d.result.completeExceptionally(new BusException("disconnected from " + r.id));
      }
    }
  }

  private void forget(Remote r, String why) {
    if (remotes.remove(r.id, r)) {
      r.clear();
      if (r.remoteEpoch != 0) {
        // so that a peer that comes back resumes its stream where it was, nothing delivered twice
        tombstones.put(r.id, new long[] {r.remoteEpoch, r.expected, r.inSession});
      }
      if (r.announced) {
        r.announced = false;
        PeerInfo info = r.info();
        for (PeerListener l : listeners) {
          safely(() -> l.onDisconnect(info, why));
        }
      }
    }
  }

  private static void safely(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.warn("mesh: a listener failed", e);
    }
  }

  // ---- discovery ----

  /** What a discovery sees of this peer. */
  private final class Context implements DiscoveryContext {
    private final Discovery discovery;

    Context(Discovery discovery) {
      this.discovery = discovery;
    }

    @Override
    public String peerId() {
      return id;
    }

    @Override
    public UUID uuid() {
      return uuid;
    }

    @Override
    public String endpoint() {
      return endpoint;
    }

    @Override
    public int port() {
      return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void found(String uri) {
      if (closed.get() || uri.equals(endpoint) || selfEndpoints.contains(uri) || dialers.containsKey(uri)) {
        return;
      }
      for (Remote r : remotes.values()) {
        if (uri.equals(r.endpoint) && (r.active != null || r.kept)) {
          return;
        }
      }
      LOG.debug("mesh: " + discovery.name() + " found " + uri);
      connect(uri, true).exceptionally(e -> null);
    }

    @Override
    public void lost(String uri) {
      for (Remote r : remotes.values()) {
        if (uri.equals(r.endpoint)) {
          disconnect(r.id);
        }
      }
    }
  }

  // ---- closing ----

  public boolean isClosed() {
    return closed.get();
  }

  /** Stops the discoveries, the dialers and every link, and the I/O thread if it is the peer's own. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (Discovery d : started) {
      try {
        d.close();
      } catch (RuntimeException e) {
        LOG.warn("mesh: discovery " + d.name() + " failed to close", e);
      }
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      loop.execute(() -> {
        for (Dialer d : dialers.values()) {
          d.close();
          d.result.completeExceptionally(new BusException("the peer closed"));
        }
        dialers.clear();
        if (server != null) {
          server.close();
        }
        for (Channel c : channels) {
          c.close();
        }
        done.complete(null);
      });
      done.get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.debug("mesh: closing did not finish in time", e);
    }
    if (ownGroup != null) {
      ownGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
  }
}
