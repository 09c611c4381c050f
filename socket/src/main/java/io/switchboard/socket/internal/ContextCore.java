package io.switchboard.socket.internal;

import io.switchboard.socket.SocketClosedException;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a {@link io.switchboard.socket.Context} owns: I/O threads, inproc names and its open sockets. */
public final class ContextCore {
  private static final Logger LOG = LoggerFactory.getLogger(ContextCore.class);
  /** How long past the longest linger a context's close waits for its sockets' closes. */
  private static final long CLOSE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final Transports transports;
  private final InprocRegistry inproc = new InprocRegistry();
  private final Set<SocketCore> sockets = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong listenerFailures = new AtomicLong();

  /** See {@link io.switchboard.socket.Context#preload()}: this class's logger starts SLF4J, then the transport. */
  public static void preload() {
    Transports.preload();
  }

  public ContextCore(int ioThreads) {
    this.transports = new Transports(ioThreads);
  }

  public SocketCore newSocket(SocketType type, SocketOptions options) {
    if (closed.get()) {
      throw new SocketClosedException("context is closed");
    }
    if (options.zeroCopyReceive() && !type.canReceiveZeroCopy()) {
      throw new IllegalArgumentException("zeroCopyReceive: not for a " + type
          + " socket (expected: PULL, SUB, XSUB, DEALER, ROUTER or PAIR)");
    }
    SocketCore core;
    switch (type) {
      case PUB: case XPUB: core = new PubCore(this, type, options); break;
      case SUB: case XSUB: core = new SubCore(this, type, options); break;
      case REQ: core = new ReqCore(this, options); break;
      case REP: core = new RepCore(this, options); break;
      case ROUTER: core = new RouterCore(this, options); break;
      case PAIR: core = new PairCore(this, options); break;
      default: core = new DealerCore(this, type, options); break;
    }
    sockets.add(core);
    if (closed.get()) {
      core.close(System.nanoTime());
      throw new SocketClosedException("context is closed");
    }
    return core;
  }

  public void execute(Runnable task) {
    if (closed.get()) {
      throw new SocketClosedException("context is closed");
    }
    try {
      transports.nextLoop().execute(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          listenerFailures.incrementAndGet();
          LOG.warn("a task run on an I/O thread failed", e);
        }
      });
    } catch (RejectedExecutionException e) {
      throw new SocketClosedException("context is closed");
    }
  }

  Transports transports() {
    return transports;
  }

  /** The I/O threads, for channels that run beside the sockets on the same threads. */
  public io.netty.channel.EventLoopGroup eventLoops() {
    return transports.group();
  }

  InprocRegistry inproc() {
    return inproc;
  }

  void socketClosed(SocketCore core) {
    sockets.remove(core);
  }

  /** A monitor listener threw, or an I/O thread met an unexpected error: logged and counted, never propagated. */
  void listenerFailed(SocketCore core, Throwable failure) {
    listenerFailures.incrementAndGet();
    LOG.warn("{}: unexpected error on an I/O thread", core, failure);
  }

  public boolean isClosed() {
    return closed.get();
  }

  /** Closes every socket within the longest linger among them, then stops the I/O threads. */
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long now = System.nanoTime();
    long last = now;
    List<Thread> closers = new ArrayList<>();
    for (SocketCore core : sockets) {
      long deadline = now + core.options().linger().toNanos();
      last = Math.max(last, deadline);
      Thread t = new Thread(() -> core.close(deadline), "switchboard-close-" + core);
      t.setDaemon(true);
      t.start();
      closers.add(t);
    }
    // Each close is bounded by its linger plus a little for the I/O threads; the wait for them is bounded too, so
    // that a close that hangs after all (a bug) cannot hang the context's: it is reported and left behind.
    long giveUpAt = last + CLOSE_GRACE_NANOS;
    for (Thread t : closers) {
      try {
        long left = giveUpAt - System.nanoTime();
        if (left > 0) {
          TimeUnit.NANOSECONDS.timedJoin(t, left);
        }
        if (t.isAlive()) {
          LOG.warn("{} did not finish within its linger and {} ms; left behind", t.getName(),
              TimeUnit.NANOSECONDS.toMillis(CLOSE_GRACE_NANOS));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    transports.shutdown(1000);
  }
}
