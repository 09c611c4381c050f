package io.switchboard.dashboard;

/** The dashboard's HTTP server could not start: its address is taken or cannot be bound. */
public final class DashboardException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message naming what failed and where. */
  public DashboardException(String message, Throwable cause) {
    super(message, cause);
  }
}
