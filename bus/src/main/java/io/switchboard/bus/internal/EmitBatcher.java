package io.switchboard.bus.internal;

import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketClosedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * Gathers the events a client emits into EMIT messages of up to {@link #MAX_EVENTS} events, so that a stream of small
 * events costs the client, the socket layer and the node one message per batch rather than one per event.
 *
 * <p>Nothing waits on purpose: an emit adds its event to the open batch and, if none is on its way, asks the client's
 * I/O thread to send the batch; by the time that thread gets to it, a fast emitter has added more. An emitter that
 * finds the batch full sends it itself, waiting for room up to the send timeout. A lone event leaves as soon as the
 * I/O thread runs, as an unbatched send would.
 *
 * <p>Order: batches are taken and handed to the socket under one lock, and every other message the client sends
 * goes through {@link #send} behind what is batched, so a node sees each thread's messages in the order it sent them.
 * The I/O thread never waits for the lock (an emitter holding it may be waiting for room that only the I/O thread
 * makes): when it cannot take the lock, or the socket is full, a waiting flush runs on another thread.
 */
public final class EmitBatcher {
  /** The most events in one EMIT message. */
  public static final int MAX_EVENTS = 32;
  /** About the most octets in one EMIT message. */
  public static final int MAX_BYTES = 64 * 1024;

  /** Runs the flushes that may wait; rarely used (a full queue, a busy lock), shared by every client. */
  private static final ExecutorService WAITING_FLUSHES = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "switchboard-bus-flush");
    t.setDaemon(true);
    return t;
  });

  private final Socket socket;
  private final Context context;
  private final Duration sendTimeout;
  private final IntConsumer lost;
  private final ReentrantLock lock = new ReentrantLock();
  private final Runnable flushOnIoThread = this::flushOnIoThread;
  /** The open batch: a header and a data frame per event. Guarded by {@link #lock}. */
  private final ArrayList<byte[]> frames = new ArrayList<>(2 * MAX_EVENTS);
  private int bytes;
  /** The last header added to {@link #frames}: a run of one header sends it once, then empty frames. */
  private byte[] lastHeader;
  /** Whether a flush of the open batch is on its way. Guarded by {@link #lock}. */
  private boolean flushQueued;

  /**
   * A batcher for a client's socket.
   *
   * @param context the socket's context, with one I/O thread, on which flushes run
   * @param lost told how many events a flush that ran out of time lost (the emits had returned {@code true})
   */
  public EmitBatcher(Socket socket, Context context, Duration sendTimeout, IntConsumer lost) {
    this.socket = socket;
    this.context = context;
    this.sendTimeout = sendTimeout;
    this.lost = lost;
  }

  /**
   * Adds an event (an EMIT header and its data) to the open batch; from any thread but the client's I/O thread.
   *
   * @return {@code false} if the batch was full and stayed so for the send timeout: the event was not taken
   * @throws SocketClosedException if the client is closed
   */
  public boolean add(byte[] header, byte[] data) {
    boolean schedule;
    lock.lock();
    try {
      if ((frames.size() >= 2 * MAX_EVENTS || bytes >= MAX_BYTES) && !sendBatch(true)) {
        return false;
      }
      frames.add(header == lastHeader ? Protocol.EMPTY : header);
      lastHeader = header;
      frames.add(data);
      bytes += header.length + data.length;
      schedule = !flushQueued;
      flushQueued = true;
    } finally {
      lock.unlock();
    }
    if (schedule) {
      context.execute(flushOnIoThread);
    }
    return true;
  }

  /**
   * Sends a message behind the open batch, waiting for room up to the send timeout; from any thread but the client's
   * I/O thread.
   *
   * @return whether the batch and the message were queued
   */
  public boolean send(Message m) {
    lock.lock();
    try {
      return sendBatch(true) && socket.send(m, sendTimeout);
    } finally {
      lock.unlock();
    }
  }

  /** At close: sends the open batch and then {@code last} if there is room, without waiting. */
  public void close(Message last) {
    lock.lock();
    try {
      if (sendBatch(false)) {
        socket.trySend(last);
      }
    } catch (SocketClosedException e) {
      // already closed
    } finally {
      lock.unlock();
    }
  }

  /** Sends the open batch, if any; the caller holds the lock. Returns whether it was queued (or there was none). */
  private boolean sendBatch(boolean wait) {
    if (frames.isEmpty()) {
      return true;
    }
    Message m = Message.of(frames);
    if (!(wait ? socket.send(m, sendTimeout) : socket.trySend(m))) {
      return false;
    }
    frames.clear();
    lastHeader = null;
    bytes = 0;
    return true;
  }

  private void flushOnIoThread() {
    if (!lock.tryLock()) {
      WAITING_FLUSHES.execute(this::flushWaiting);
      return;
    }
    try {
      flushQueued = false;
      if (!sendBatch(false)) {
        flushQueued = true;
        WAITING_FLUSHES.execute(this::flushWaiting);
      }
    } catch (SocketClosedException e) {
      // closing: what was batched goes with the socket
    } finally {
      lock.unlock();
    }
  }

  private void flushWaiting() {
    lock.lock();
    try {
      flushQueued = false;
      int events = frames.size() / 2;
      if (!sendBatch(true)) {
        frames.clear();
        lastHeader = null;
        bytes = 0;
        lost.accept(events);
      }
    } catch (SocketClosedException e) {
      // closing: what was batched goes with the socket
    } finally {
      lock.unlock();
    }
  }
}
