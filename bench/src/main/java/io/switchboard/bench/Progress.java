package io.switchboard.bench;

/**
 * A one-line progress bar on standard error, redrawn before each measurement, only when a person is watching (a
 * terminal): piped or captured output stays clean.
 */
final class Progress {
  private static final int WIDTH = 30;
  private final int total;
  private final boolean terminal = System.console() != null;
  private int done;

  Progress(int total) {
    this.total = total;
  }

  /** Shows the measurement about to start: run {@code run} of {@code repeat} of {@code caseName} on {@code who}. */
  void show(String caseName, String who, int run, int repeat) {
    if (terminal) {
      int filled = WIDTH * done / total;
      System.err.printf("\r[%s%s] %d/%d %s: %s%s\u001b[K", "#".repeat(filled), ".".repeat(WIDTH - filled),
          done + 1, total, caseName, who, repeat > 1 ? " (run " + run + "/" + repeat + ")" : "");
      System.err.flush();
    }
    done++;
  }

  /** Clears the bar, before a result row is printed. */
  void clear() {
    if (terminal) {
      System.err.print("\r\u001b[K");
      System.err.flush();
    }
  }
}
