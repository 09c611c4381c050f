package io.switchboard.socket.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.switchboard.socket.Endpoint;
import io.switchboard.socket.EndpointException;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.security.AuthenticationRefusedException;
import io.switchboard.socket.security.Security;
import io.switchboard.socket.security.ZapHandler;
import io.switchboard.zmtp.ZmtpHandshakeHandler;
import io.switchboard.zmtp.ZmtpHandshakeOptions;
import io.switchboard.zmtp.ZmtpAuthenticationException;
import io.switchboard.zmtp.ZmtpAuthenticator;
import io.switchboard.zmtp.ZmtpSecurity;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The context's I/O threads and the tcp and ipc transports on them: epoll on Linux (which ipc needs), NIO elsewhere.
 */
final class Transports {
  private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(1024 * 1024, 4 * 1024 * 1024);
  /** Reads grow to 256 KiB, so a large message takes few reads; small-message reads stay small. */
  private static final AdaptiveRecvByteBufAllocator READS = new AdaptiveRecvByteBufAllocator(64, 2048, 256 * 1024);

  private final EventLoopGroup group;
  private final boolean epoll;

  /** Loads the transport: epoll's native library, or finds that it cannot be loaded (then NIO). */
  static void preload() {
    Epoll.isAvailable();
  }

  Transports(int ioThreads) {
    this.epoll = Epoll.isAvailable();
    DefaultThreadFactory threads = new DefaultThreadFactory("switchboard-io", true);
    this.group = epoll ? new EpollEventLoopGroup(ioThreads, threads) : new NioEventLoopGroup(ioThreads, threads);
  }

  EventLoop nextLoop() {
    return group.next();
  }

  EventLoopGroup group() {
    return group;
  }

  /** Binds a tcp or ipc endpoint for {@code core} and returns its binding. */
  Binding bind(SocketCore core, Endpoint endpoint) {
    Path ipcFile = null;
    SocketAddress address;
    Class<? extends ServerChannel> channelType;
    if (endpoint.transport() == Endpoint.Transport.IPC) {
      requireEpoll(endpoint);
      ipcFile = "*".equals(endpoint.path())
          ? Path.of(System.getProperty("java.io.tmpdir"), "switchboard-" + UUID.randomUUID() + ".ipc")
          : endpoint.ipcPath();
      deleteStale(endpoint, ipcFile);
      address = new DomainSocketAddress(ipcFile.toString());
      channelType = EpollServerDomainSocketChannel.class;
    } else {
      address = endpoint.isWildcardHost() ? new InetSocketAddress(endpoint.port())
          : new InetSocketAddress(resolve(endpoint), endpoint.port());
      channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }
    // The listener accepts nothing until its Binding exists: a peer that connects the instant the port is open would
    // otherwise be handed a null binding. Connections wait in the kernel's backlog until auto-read is turned on below,
    // after made[0] is set (turning it on hands a task to the event loop, so the accepting side sees made[0]).
    Binding[] made = new Binding[1];
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group)
        .channel(channelType)
        .option(ChannelOption.AUTO_READ, false)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
        .childOption(ChannelOption.RCVBUF_ALLOCATOR, READS)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            install(ch, core, null, made[0]);
          }
        });
    if (endpoint.transport() == Endpoint.Transport.TCP) {
      bootstrap.option(ChannelOption.SO_REUSEADDR, true).childOption(ChannelOption.TCP_NODELAY, true);
    }
    ChannelFuture f = bootstrap.bind(address).awaitUninterruptibly();
    if (!f.isSuccess()) {
      throw new EndpointException("endpoint: " + endpoint + " cannot be bound: " + f.cause().getMessage(),
          f.cause());
    }
    String bound;
    if (ipcFile != null) {
      bound = "ipc://" + ipcFile;
    } else {
      InetSocketAddress local = (InetSocketAddress) f.channel().localAddress();
      // * (every interface) reads as libzmq's last endpoint has it, 0.0.0.0, not as [0:0:0:0:0:0:0:0]; [::] as [::].
      String host = endpoint.isWildcardHost() ? "0.0.0.0"
          : local.getAddress().isAnyLocalAddress() ? (local.getAddress() instanceof Inet6Address ? "::" : "0.0.0.0")
          : local.getAddress().getHostAddress();
      bound = "tcp://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + local.getPort();
    }
    made[0] = Binding.network(bound, f.channel(), ipcFile);
    f.channel().config().setAutoRead(true);
    return made[0];
  }

  /** Starts one connection attempt for {@code connector}. */
  ChannelFuture connect(SocketCore core, Connector connector, Endpoint endpoint, EventLoop loop) {
    Bootstrap bootstrap = new Bootstrap()
        .group(loop)
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
        .option(ChannelOption.RCVBUF_ALLOCATOR, READS)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
            core.options().handshakeTimeout().toMillis()))
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            install(ch, core, connector, null);
          }
        });
    if (endpoint.transport() == Endpoint.Transport.IPC) {
      requireEpoll(endpoint);
      return bootstrap.channel(EpollDomainSocketChannel.class).connect(new DomainSocketAddress(endpoint.path()));
    }
    bootstrap.channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true);
    return bootstrap.connect(InetSocketAddress.createUnresolved(endpoint.host(), endpoint.port()));
  }

  private static void install(Channel ch, SocketCore core, Connector connector, Binding binding) {
    PipeHandler handler = new PipeHandler(core, connector, binding);
    ch.pipeline().addLast("zmtp-handshake", new ZmtpHandshakeHandler(handshakeOptions(core), handler::onHandshake));
    ch.pipeline().addLast("pipe", handler);
  }

  static ZmtpHandshakeOptions handshakeOptions(SocketCore core) {
    return new ZmtpHandshakeOptions(WireTypes.of(core.type()), core.options().identity(),
        core.options().maxMessageSize(), ZmtpHandshakeOptions.DEFAULT_MAX_METADATA_SIZE,
        core.options().handshakeTimeout(), security(core.options()), core.options().zapDomain());
  }

  /** The handshake's view of the socket's security options. */
  static ZmtpSecurity security(SocketOptions o) {
    Security security = o.security();
    if (security instanceof Security.PlainClient plain) {
      return new ZmtpSecurity.PlainClient(plain.username(), plain.password());
    } else if (security instanceof Security.PlainServer plain) {
      return new ZmtpSecurity.PlainServer(zap(plain.authenticator()));
    } else if (security instanceof Security.CurveClient curve) {
      return new ZmtpSecurity.CurveClient(curve.keyPair().publicKey(), curve.keyPair().secretKey(), curve.serverKey());
    } else if (security instanceof Security.CurveServer curve) {
      return new ZmtpSecurity.CurveServer(curve.keyPair().publicKey(), curve.keyPair().secretKey(),
          zap(curve.authenticator()));
    }
    return security.authenticator() == null ? ZmtpSecurity.NULL : new ZmtpSecurity.Null(zap(security.authenticator()));
  }

  /** The handshake's authenticator that asks a {@link ZapHandler}; null for null. */
  private static ZmtpAuthenticator zap(ZapHandler handler) {
    if (handler == null) {
      return null;
    }
    return request -> {
      try {
        return handler.authenticate(new ZapHandler.Request(request.mechanism(), request.domain(), request.address(),
            request.username(), request.password(), request.clientKey()));
      } catch (AuthenticationRefusedException e) {
        throw new ZmtpAuthenticationException(e.getMessage(), e.statusCode());
      }
    };
  }

  private void requireEpoll(Endpoint endpoint) {
    if (!epoll) {
      throw new EndpointException("endpoint: " + endpoint + " (expected: tcp or inproc; ipc needs Linux epoll, "
          + "which is not available here: " + Epoll.unavailabilityCause() + ")");
    }
  }

  private static InetAddress resolve(Endpoint endpoint) {
    try {
      return InetAddress.getByName(endpoint.host());
    } catch (UnknownHostException e) {
      throw new EndpointException("endpoint: " + endpoint + " (expected: a host name that resolves)", e);
    }
  }

  /** libzmq unlinks an existing file before binding ipc; so do we, but only if it is a socket, not a regular file. */
  private static void deleteStale(Endpoint endpoint, Path file) {
    try {
      if (Files.exists(file) && !Files.isRegularFile(file) && !Files.isDirectory(file)) {
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new EndpointException("endpoint: " + endpoint + " cannot replace " + file + ": " + e.getMessage(), e);
    }
  }

  /** Stops the I/O threads, waiting at most {@code millis}. */
  void shutdown(long millis) {
    group.shutdownGracefully(0, millis, TimeUnit.MILLISECONDS).awaitUninterruptibly(millis + 500);
  }
}
