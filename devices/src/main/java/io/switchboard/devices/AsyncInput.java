package io.switchboard.devices;

import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One socket read by a device thread without blocking: takes what is queued, and otherwise keeps one {@link
 * Socket#receiveAsync()} outstanding whose completion wakes the device. Used by one thread only.
 */
final class AsyncInput {
  private final Socket socket;
  private final Runnable wake;
  private CompletableFuture<Message> pending;

  AsyncInput(Socket socket, Runnable wake) {
    this.socket = socket;
    this.wake = wake;
  }

  /**
   * The next message if one is here, else {@code null} (and the device is woken when one arrives).
   *
   * @throws io.switchboard.socket.SocketClosedException if the socket was closed
   */
  Message poll() {
    if (pending == null) {
      Message message = socket.tryReceive();
      if (message != null) {
        return message;
      }
      pending = socket.receiveAsync();
      pending.whenComplete((m, e) -> wake.run());
      return null;
    }
    if (!pending.isDone()) {
      return null;
    }
    CompletableFuture<Message> done = pending;
    pending = null;
    try {
      return done.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException) {
        throw (RuntimeException) e.getCause();
      }
      throw e;
    }
  }

  /** Gives up the outstanding receive; the socket keeps a message that had not been handed over yet. */
  void cancel() {
    if (pending != null) {
      pending.cancel(false);
      pending = null;
    }
  }
}
