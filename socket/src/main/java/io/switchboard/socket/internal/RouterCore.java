package io.switchboard.socket.internal;

import io.netty.buffer.ByteBufUtil;
import io.switchboard.socket.DirectMessage;
import io.switchboard.socket.Message;
import io.switchboard.socket.RoutingException;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ROUTER: every received message gets its sender's routing id in front (the pipe's {@link Pipe#inboundPrefix}, which
 * the pipe's source builds the message with); every sent message is routed by its first
 * frame. A routing id is the peer's Identity if it sent a unique one, otherwise five octets made here (a zero, then
 * a counter), as libzmq makes them. An unknown id drops the message, or throws with {@code routerMandatory}.
 */
final class RouterCore extends SocketCore {
  private final RoutingTable routes = new RoutingTable();
  private final AtomicInteger nextId = new AtomicInteger(1);

  RouterCore(ContextCore context, SocketOptions options) {
    super(context, SocketType.ROUTER, options);
  }

  @Override
  void pipeAttached(Pipe pipe, byte[] peerIdentity) {
    // Before the pipe can be routed to: what this socket queues on it keeps its routing id, which the writer skips.
    pipe.outboundSkip(1);
    byte[] id = peerIdentity;
    if (id.length == 0 || !routes.putIfAbsent(id, pipe)) {
      do {
        id = ByteBuffer.allocate(5).put((byte) 0).putInt(nextId.getAndIncrement()).array();
      } while (!routes.putIfAbsent(id, pipe));
    }
    pipe.routingId(id);
    // Received messages are built with the id in front (PipeHandler, InprocPipe), before they reach this socket.
    pipe.inboundPrefix(id);
    super.pipeAttached(pipe, peerIdentity);
  }

  @Override
  void pipeDetached(Pipe pipe) {
    routes.remove(pipe.routingId(), pipe);
    super.pipeDetached(pipe);
  }

  /**
   * As libzmq's: a ROUTER always takes a message (it drops what it cannot route); with {@code routerMandatory} it is
   * writable while some peer has room, though the peer a given message is for may still be full.
   */
  @Override
  boolean writableNow() {
    return !options().routerMandatory() || super.writableNow();
  }

  @Override
  boolean doSend(Message message, long timeoutNanos) {
    Boolean queued = route(message, message.frame(0), message.size(), timeoutNanos);
    return queued == null || queued; // dropped counts as taken, as libzmq's ROUTER has it
  }

  /** As {@link #doSend}; a message dropped for want of a route or of room is released here. */
  @Override
  boolean doSendDirect(DirectMessage message, long timeoutNanos) {
    Boolean queued = route(message, ByteBufUtil.getBytes(message.frame(0)), message.size(), timeoutNanos);
    if (queued == null) {
      message.release();
      return true;
    }
    return queued;
  }

  /**
   * Routes a message, simple or direct, by its first frame, {@code id}: true if queued, false if a mandatory send
   * timed out, null if dropped (no such peer, or no room without {@code routerMandatory}).
   *
   * @throws RoutingException with {@code routerMandatory}, for an unknown id
   */
  private Boolean route(Object message, byte[] id, int size, long timeoutNanos) {
    Pipe pipe = routes.get(id);
    if (pipe == null || size < 2) {
      if (options().routerMandatory()) {
        throw new RoutingException("ROUTER: no peer with routing id " + Hex.printable(id)
            + (size < 2 ? " (and no frames after the routing id)" : ""));
      }
      counters.dropped(1);
      return null;
    }
    // Queued whole: the pipe's writer leaves the routing id out (Pipe.outboundSkip), so no message is made for the
    // rest.
    if (options().routerMandatory()) {
      return sendTo(pipe, message, timeoutNanos);
    }
    if (!pipe.offer(message)) {
      counters.dropped(1);
      return null;
    }
    return true;
  }
}
