package io.switchboard.socket;

import io.switchboard.socket.internal.ContextCore;
import io.switchboard.socket.internal.SocketCore;

/**
 * Owns the I/O threads and every socket made from it; the starting point of Switchboard.
 *
 * <p>A context is thread-safe and meant to be shared: one per process is usual. {@code inproc://} endpoints are
 * visible only within one context. {@link #close()} closes every socket, each waiting at most its linger time, then
 * stops the I/O threads; it is idempotent and never hangs.
 *
 * <pre>{@code
 * try (Context context = new Context()) {
 *   Socket rep = context.socket(SocketType.REP);
 *   rep.bind("tcp://*:5555");
 *   Message request = rep.receive();
 *   rep.send(Message.of("world"));
 * }
 * }</pre>
 */
public final class Context implements AutoCloseable {
  private final ContextCore core;

  /** Creates a context with one I/O thread, enough for most processes. */
  public Context() {
    this(1);
  }

  /**
   * Creates a context with {@code ioThreads} I/O threads (epoll on Linux, NIO elsewhere).
   *
   * @throws IllegalArgumentException if {@code ioThreads} is not positive
   */
  public Context(int ioThreads) {
    if (ioThreads <= 0) {
      throw new IllegalArgumentException("ioThreads: " + ioThreads + " (expected: > 0)");
    }
    this.core = new ContextCore(ioThreads);
  }

  /**
   * Loads and initialises, on the calling thread, what the first context of this process needs before it can open a
   * socket: logging (SLF4J and its provider) and the I/O transport, the native epoll library included. A context
   * does this by itself when it is made; a short-lived program can call this on another thread while it does its
   * own start-up (a command line parsing its arguments), then make the context once the call has returned.
   *
   * <p>Idempotent and thread-safe; later calls return at once. It opens nothing and starts no thread. Call it before
   * this process logs anything through SLF4J, or let it finish first: loggers obtained on another thread while SLF4J
   * is starting are substitutes that may drop what they log.
   */
  public static void preload() {
    ContextCore.preload();
  }

  /**
   * Creates a socket with the default options.
   *
   * @throws SocketClosedException if the context is closed
   */
  public Socket socket(SocketType type) {
    return socket(type, SocketOptions.DEFAULTS);
  }

  /**
   * Creates a socket with the given options.
   *
   * @throws SocketClosedException if the context is closed
   */
  public Socket socket(SocketType type, SocketOptions options) {
    SocketCore socketCore = core.newSocket(type, options);
    return new Socket(socketCore);
  }

  /**
   * Runs a task on one of the context's I/O threads (with one I/O thread, that one, after what is already queued
   * there): for code that gathers work to hand to sockets in one go, such as batching small sends. The task must not
   * block, for it holds up every connection served by that thread; what it throws is logged.
   *
   * @throws SocketClosedException if the context is closed
   */
  public void execute(Runnable task) {
    core.execute(task);
  }

  /**
   * The context's I/O threads (an epoll group on Linux, NIO elsewhere), for components that run their own Netty
   * channels on the same threads as the sockets: the bus node's mesh links run there, so that routing and the links
   * share one thread and nothing is handed between threads. The context owns the group: do not shut it down.
   */
  public io.netty.channel.EventLoopGroup eventLoopGroup() {
    return core.eventLoops();
  }

  /** Whether {@link #close()} has been called. */
  public boolean isClosed() {
    return core.isClosed();
  }

  /** Closes every socket (each within its linger time) and stops the I/O threads. Idempotent. */
  @Override
  public void close() {
    core.close();
  }
}
