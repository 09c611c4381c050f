package io.switchboard.socket;

/**
 * The thread was interrupted while blocked in {@link Socket#send} or {@link Socket#receive}. The socket and its
 * context stay usable, nothing was sent or received by the interrupted call, and the thread's interrupt flag is set
 * again before this is thrown.
 */
public class InterruptedOperationException extends SwitchboardException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception for an interrupted operation. */
  public InterruptedOperationException(String operation, InterruptedException cause) {
    super(operation + ": interrupted", cause);
  }
}
