package io.switchboard.bus.internal;

import io.netty.util.concurrent.EventExecutor;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketClosedException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Handles a socket's messages on one I/O thread: a pending {@link Socket#receiveAsync()} completes at the end of each
 * read, the handler drains everything queued with {@link Socket#tryReceive()}, then waits again. No thread of its
 * own, no hand-off per message, one future per read rather than per message.
 *
 * <p>Messages are handled on {@code loop}, one at a time and in order. A message read by that thread (a tcp or ipc
 * connection of the socket's context, whose one I/O thread it is) is handled where it is read; one handed over by
 * another thread (an inproc peer sends on its own thread, and completes the future there) is handled in a task on
 * {@code loop}, which then drains everything queued meanwhile: one hand-off per batch, not per message. Handlers must
 * not block.
 */
public final class InboundLoop {
  private final Socket socket;
  private final Consumer<Message> handler;
  private final Runnable afterDrain;
  private final EventExecutor loop;

  private InboundLoop(Socket socket, Consumer<Message> handler, Runnable afterDrain, EventExecutor loop) {
    this.socket = socket;
    this.handler = handler;
    this.afterDrain = afterDrain;
    this.loop = loop;
  }

  /**
   * Starts handling on {@code loop}, and runs {@code afterDrain} each time everything queued has been handled (at
   * the end of each read): where a handler that batches sends what it gathered. It stops when the socket closes.
   */
  public static void start(Socket socket, Consumer<Message> handler, Runnable afterDrain, EventExecutor loop) {
    InboundLoop l = new InboundLoop(socket, handler, afterDrain, loop);
    l.onLoop(l::await);
  }

  private void onLoop(Runnable task) {
    if (loop.inEventLoop()) {
      task.run();
      return;
    }
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      // the loop is shutting down: its context is closing, and the socket with it
    }
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
            onLoop(() -> {
              drain(m);
              await();
            });
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
