package io.switchboard.socket.device;

import java.time.Duration;

/**
 * Something that happened to one of a {@link WorkerPool}'s worker processes.
 *
 * @param type what happened
 * @param slot the worker's slot, from 1
 * @param pid the process id, or -1 if the process did not start
 * @param exitStatus for {@link Type#EXITED}, {@link Type#GAVE_UP} and {@link Type#STOPPED}, the exit status (128 +
 *     the signal number when killed by a signal, as a shell shows it); otherwise 0
 * @param delay for {@link Type#EXITED}, the delay before the replacement starts; otherwise zero
 * @param detail for {@link Type#START_FAILED} the reason, for {@link Type#GAVE_UP} the limit reached; otherwise empty
 */
public record WorkerEvent(Type type, int slot, long pid, int exitStatus, Duration delay, String detail) {
  /** The kinds of event. */
  public enum Type {
    /** A worker process started. */
    STARTED,
    /** A worker process could not be started (as with a missing command); handled as an exit. */
    START_FAILED,
    /** A worker process exited on its own; a replacement starts after {@link WorkerEvent#delay()}. */
    EXITED,
    /** A worker process exited once too often within the window; its slot is given up. */
    GAVE_UP,
    /** A worker process was stopped by the pool (scaled down or closed). */
    STOPPED
  }

  /** One line for a log, as {@code worker 2 exited (status 137), restarting in 200 ms}. */
  public String describe() {
    switch (type) {
      case STARTED:
        return "worker " + slot + " started (pid " + pid + ")";
      case START_FAILED:
        return "worker " + slot + " could not start: " + detail;
      case EXITED:
        return "worker " + slot + " exited (status " + exitStatus + "), restarting in " + delay.toMillis() + " ms";
      case GAVE_UP:
        return "worker " + slot + (pid < 0 ? " could not start" : " exited (status " + exitStatus + ")")
            + "; giving up on this slot after " + detail;
      default:
        return "worker " + slot + " stopped (pid " + pid + ", status " + exitStatus + ")";
    }
  }
}
