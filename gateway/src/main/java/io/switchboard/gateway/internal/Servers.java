package io.switchboard.gateway.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.switchboard.gateway.GatewayException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A TCP server on its own Netty event loops: epoll on Linux, NIO elsewhere. Closed by its owner. */
public final class Servers implements AutoCloseable {
  private final EventLoopGroup group;
  private final Channel channel;

  private Servers(EventLoopGroup group, Channel channel) {
    this.group = group;
    this.channel = channel;
  }

  /**
   * Binds a server whose connections get {@code initializer}'s handlers.
   *
   * @param halfClosure whether a connection whose client has shut down its output stays open for the answers
   *
   * @param what what to call the server in errors ("the gateway", "people's TCP port")
   * @throws GatewayException if the address cannot be bound
   */
  public static Servers bind(String what, String host, int port, int threads, String threadName,
      boolean halfClosure, ChannelHandler initializer) {
    boolean epoll = Epoll.isAvailable();
    DefaultThreadFactory factory = new DefaultThreadFactory(threadName, true);
    EventLoopGroup group = epoll ? new EpollEventLoopGroup(threads, factory) : new NioEventLoopGroup(threads, factory);
    Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    try {
      Channel ch = new ServerBootstrap().group(group).channel(type)
          .option(ChannelOption.SO_BACKLOG, 1024)
          .option(ChannelOption.SO_REUSEADDR, true)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childOption(ChannelOption.ALLOW_HALF_CLOSURE, halfClosure)
          .childHandler(initializer)
          .bind(host, port).sync().channel();
      return new Servers(group, ch);
    } catch (Exception e) {
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw new GatewayException(what + ": cannot listen on " + host + ":" + port + " (" + e.getMessage() + ")", e);
    }
  }

  /** The bound port. */
  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** The bound address. */
  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  /** Closes the server and every connection, within {@code bound}. */
  public void close(Duration bound) {
    channel.close().awaitUninterruptibly(bound.toMillis());
    group.shutdownGracefully(0, bound.toMillis(), TimeUnit.MILLISECONDS).awaitUninterruptibly(bound.toMillis());
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(2));
  }
}
