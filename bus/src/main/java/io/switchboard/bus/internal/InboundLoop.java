package io.switchboard.bus.internal;

import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketClosedException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Handles a socket's messages on the I/O thread that reads them: a pending {@link Socket#receiveAsync()} completes
 * at the end of each read, the handler drains everything queued with {@link Socket#tryReceive()}, then waits again.
 * No thread of its own, no hand-off per message, one future per read rather than per message.
 *
 * <p>The socket's context must have one I/O thread (or the socket one connection), so that messages are handled
 * one at a time and in order. Handlers must not block.
 */
public final class InboundLoop {
  private final Socket socket;
  private final Consumer<Message> handler;
  private final Runnable afterDrain;

  private InboundLoop(Socket socket, Consumer<Message> handler, Runnable afterDrain) {
    this.socket = socket;
    this.handler = handler;
    this.afterDrain = afterDrain;
  }

  /** Starts handling; it stops when the socket closes. */
  public static void start(Socket socket, Consumer<Message> handler) {
    start(socket, handler, () -> { });
  }

  /**
   * Starts handling, and runs {@code afterDrain} each time everything queued has been handled (at the end of each
   * read): where a handler that batches sends what it gathered.
   */
  public static void start(Socket socket, Consumer<Message> handler, Runnable afterDrain) {
    new InboundLoop(socket, handler, afterDrain).await();
  }

  private void await() {
    while (true) {
      CompletableFuture<Message> next;
      try {
        next = socket.receiveAsync();
      } catch (SocketClosedException e) {
        return;
      }
      if (!next.isDone()) {
        next.whenComplete((m, failure) -> {
          if (m != null) {
            drain(m);
            await();
          }
        });
        return;
      }
      if (next.isCompletedExceptionally()) {
        return;
      }
      drain(next.join());
    }
  }

  private void drain(Message first) {
    handler.accept(first);
    try {
      for (Message m = socket.tryReceive(); m != null; m = socket.tryReceive()) {
        handler.accept(m);
      }
    } catch (SocketClosedException e) {
      // closing: the next receiveAsync fails and the loop ends
    }
    afterDrain.run();
  }
}
