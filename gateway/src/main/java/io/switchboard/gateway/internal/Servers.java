package io.switchboard.gateway.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.switchboard.gateway.GatewayException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A TCP server on its own Netty event loops (epoll on Linux, NIO elsewhere), or on an event loop it borrows. Closed
 * by its owner.
 */
public final class Servers implements AutoCloseable {
  private final EventLoopGroup group;
  private final boolean ownsGroup;
  private final Channel channel;
  /** The accepted connections, closed with the server when the loop is borrowed (an owned group closes them). */
  private final ChannelGroup connections;

  private Servers(EventLoopGroup group, boolean ownsGroup, Channel channel, ChannelGroup connections) {
    this.group = group;
    this.ownsGroup = ownsGroup;
    this.channel = channel;
    this.connections = connections;
  }

  /**
   * Binds a server on event loops of its own, whose connections get {@code initializer}'s handlers.
   *
   * @param what what to call the server in errors ("the gateway", "people's TCP port")
   * @param halfClosure whether a connection whose client has shut down its output stays open for the answers
   * @throws GatewayException if the address cannot be bound
   */
  public static Servers bind(String what, String host, int port, int threads, String threadName,
      boolean halfClosure, ChannelHandler initializer) {
    boolean epoll = Epoll.isAvailable();
    DefaultThreadFactory factory = new DefaultThreadFactory(threadName, true);
    EventLoopGroup group = epoll ? new EpollEventLoopGroup(threads, factory) : new NioEventLoopGroup(threads, factory);
    try {
      return bind(what, host, port, group, true, epoll, halfClosure, initializer);
    } catch (GatewayException e) {
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw e;
    }
  }

  /**
   * Binds a server whose connections run on {@code loop}, which it borrows: closing the server closes them and
   * leaves the loop running.
   *
   * @throws GatewayException if the address cannot be bound
   */
  public static Servers bind(String what, String host, int port, EventLoop loop, boolean halfClosure,
      ChannelHandler initializer) {
    return bind(what, host, port, loop, false, loop.parent() instanceof EpollEventLoopGroup, halfClosure,
        initializer);
  }

  private static Servers bind(String what, String host, int port, EventLoopGroup group, boolean ownsGroup,
      boolean epoll, boolean halfClosure, ChannelHandler initializer) {
    Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    ChannelGroup connections = new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE);
    try {
      Channel ch = new ServerBootstrap().group(group).channel(type)
          .option(ChannelOption.SO_BACKLOG, 1024)
          .option(ChannelOption.SO_REUSEADDR, true)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childOption(ChannelOption.ALLOW_HALF_CLOSURE, halfClosure)
          .childHandler(ownsGroup ? initializer : new Tracked(connections, initializer))
          .bind(host, port).sync().channel();
      return new Servers(group, ownsGroup, ch, connections);
    } catch (Exception e) {
      throw new GatewayException(what + ": cannot listen on " + host + ":" + port + " (" + e.getMessage() + ")", e);
    }
  }

  /** Adds each connection to the group, then gives it the initializer's handlers. */
  private static final class Tracked extends ChannelInitializer<Channel> {
    private final ChannelGroup connections;
    private final ChannelHandler initializer;

    Tracked(ChannelGroup connections, ChannelHandler initializer) {
      this.connections = connections;
      this.initializer = initializer;
    }

    @Override
    protected void initChannel(Channel ch) {
      connections.add(ch);
      ch.pipeline().addLast(initializer);
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
    if (ownsGroup) {
      group.shutdownGracefully(0, bound.toMillis(), TimeUnit.MILLISECONDS).awaitUninterruptibly(bound.toMillis());
    } else {
      connections.close().awaitUninterruptibly(bound.toMillis());
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(2));
  }
}
