package io.switchboard.bench;

/** A case that could not be measured: a peer failed, exited early or timed out. */
final class BenchException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String detail;

  BenchException(String message, String detail) {
    super(message);
    this.detail = detail;
  }

  /** What the peers wrote to standard error before the failure, possibly empty. */
  String detail() {
    return detail;
  }
}
