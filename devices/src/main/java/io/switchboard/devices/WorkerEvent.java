package io.switchboard.devices;

import java.time.Duration;

/**
 * Something that happened to one of a {@link WorkerPool}'s workers (processes or threads).
 *
 * @param type what happened
 * @param slot the worker's slot, from 1
 * @param worker how a log names the worker: {@code pid 1234} or {@code thread switchboard-worker-pool-1-worker-2};
 *     empty if it did not start
 * @param pid the process id; -1 for a thread worker or a process that did not start
 * @param exitStatus for {@link Type#EXITED}, {@link Type#GAVE_UP} and {@link Type#STOPPED}, the exit status (a
 *     process's, 128 + the signal number when killed by a signal, as a shell shows it; a thread's is 0 if it returned,
 *     1 if it threw); otherwise 0
 * @param delay for {@link Type#EXITED}, {@link Type#START_FAILED} and {@link Type#UNRESPONSIVE}, the delay before the
 *     replacement starts; for {@link Type#ABANDONED} the stop timeout; otherwise zero
 * @param detail for {@link Type#START_FAILED} the reason, for {@link Type#GAVE_UP} the limit reached, for {@link
 *     Type#UNRESPONSIVE} how long it was silent, for a thread's {@link Type#EXITED} how it ended ({@code returned} or
 *     {@code threw …}); otherwise empty
 */
public record WorkerEvent(Type type, int slot, String worker, long pid, int exitStatus, Duration delay,
    String detail) {
  /** The kinds of event. */
  public enum Type {
    /** A worker started. */
    STARTED,
    /** A worker could not be started (as with a missing command); handled as an exit. */
    START_FAILED,
    /** A worker exited on its own (a thread returned or threw); a replacement starts after {@link #delay()}. */
    EXITED,
    /**
     * A thread worker did not heartbeat within the pool's heartbeat timeout; the pool stops it and a replacement
     * starts after {@link #delay()}.
     */
    UNRESPONSIVE,
    /** A worker ended once too often within the restart window; its slot is given up. */
    GAVE_UP,
    /** A worker was stopped by the pool (scaled down or closed). */
    STOPPED,
    /** A thread worker did not stop within the stop timeout; its thread is left to end on its own. */
    ABANDONED
  }

  /** One line for a log, as {@code worker 2 exited (status 137), restarting in 200 ms}. */
  public String describe() {
    switch (type) {
      case STARTED:
        return "worker " + slot + " started (" + worker + ")";
      case START_FAILED:
        return "worker " + slot + " could not start: " + detail + ", retrying in " + delay.toMillis() + " ms";
      case EXITED:
        return "worker " + slot + " exited (" + howItEnded() + "), restarting in " + delay.toMillis() + " ms";
      case UNRESPONSIVE:
        return "worker " + slot + " (" + worker + ") stopped heartbeating (" + detail + "), restarting in "
            + delay.toMillis() + " ms";
      case GAVE_UP:
        return "worker " + slot + (worker.isEmpty() ? " could not start" : " exited (" + howItEnded() + ")")
            + "; giving up on this slot after " + detail;
      case ABANDONED:
        return "worker " + slot + " (" + worker + ") did not stop within " + delay.toMillis() + " ms; abandoned";
      default:
        return "worker " + slot + " stopped (" + worker + (pid >= 0 ? ", status " + exitStatus : "") + ")";
    }
  }

  private String howItEnded() {
    return pid < 0 && type == Type.EXITED ? detail : "status " + exitStatus;
  }
}
