package io.switchboard.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one library achieved in one case: figures, or an error, or "not applicable". With repeated runs
 * ({@link #combine}), the figures are the medians and {@code min}/{@code max} the spread.
 *
 * @param values the figure of each metric row (messages per second, or p50, p99, p99.9 in µs); null unless measured
 * @param min the smallest figure of each row over the runs; null unless measured
 * @param max the largest figure of each row over the runs; null unless measured
 * @param runs the runs that measured
 * @param partial whether a measurement hit its time limit before the full count
 * @param samples the messages or round trips actually measured, over all runs
 * @param error what went wrong, or null
 * @param detail the peers' standard error around the failure, possibly empty
 * @param notApplicable why the case does not apply to this library, or null
 * @param failedRuns runs that failed although others measured (each also has a warning)
 * @param warnings warnings from the peers (slow close, a peer that had to be killed), possibly empty
 */
record Outcome(double[] values, double[] min, double[] max, int runs, boolean partial, long samples, String error,
    String detail, String notApplicable, int failedRuns, List<String> warnings) {

  static Outcome measured(double[] values, boolean partial, long samples, List<String> warnings) {
    return new Outcome(values, values, values, 1, partial, samples, null, "", null, 0, List.copyOf(warnings));
  }

  static Outcome failed(String error, String detail, List<String> warnings) {
    return new Outcome(null, null, null, 0, false, 0, error, detail, null, 0, List.copyOf(warnings));
  }

  static Outcome notApplicable(String why) {
    return new Outcome(null, null, null, 0, false, 0, null, "", why, 0, List.of());
  }

  /**
   * One outcome from repeated runs of the same case: the median of each figure over the runs that measured, with
   * their minimum and maximum. If no run measured, the first failure (or "not applicable"). Runs that failed while
   * others measured count in {@link #failedRuns} and add a warning each.
   */
  static Outcome combine(List<Outcome> outcomes) {
    if (outcomes.isEmpty()) {
      throw new IllegalArgumentException("outcomes: empty (expected: at least one run)");
    }
    if (outcomes.size() == 1) {
      return outcomes.get(0);
    }
    List<Outcome> ok = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    int failed = 0;
    for (int run = 0; run < outcomes.size(); run++) {
      Outcome o = outcomes.get(run);
      for (String warning : o.warnings()) {
        warnings.add("run " + (run + 1) + ": " + warning);
      }
      if (o.ok()) {
        ok.add(o);
      } else if (o.error() != null) {
        failed++;
        warnings.add("run " + (run + 1) + " of " + outcomes.size() + " failed: " + o.error());
      }
    }
    if (ok.isEmpty()) {
      Outcome first = outcomes.get(0);
      return new Outcome(null, null, null, 0, false, 0, first.error(), first.detail(), first.notApplicable(),
          0, first.error() == null ? first.warnings() : List.copyOf(warnings));
    }
    int rows = ok.get(0).values().length;
    double[] median = new double[rows];
    double[] min = new double[rows];
    double[] max = new double[rows];
    for (int row = 0; row < rows; row++) {
      double[] figures = new double[ok.size()];
      for (int i = 0; i < figures.length; i++) {
        figures[i] = ok.get(i).values()[row];
      }
      median[row] = median(figures);
      min[row] = Arrays.stream(figures).filter(v -> !Double.isNaN(v)).min().orElse(Double.NaN);
      max[row] = Arrays.stream(figures).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
    }
    boolean partial = ok.stream().anyMatch(Outcome::partial);
    long samples = ok.stream().mapToLong(Outcome::samples).sum();
    return new Outcome(median, min, max, ok.size(), partial, samples, null, "", null, failed, List.copyOf(warnings));
  }

  /** The median; the mean of the middle two for an even count. NaN figures (not measured) are left out. */
  static double median(double[] figures) {
    double[] sorted = Arrays.stream(figures).filter(v -> !Double.isNaN(v)).sorted().toArray();
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  boolean ok() {
    return values != null;
  }

  /** The figure of row {@code index} (0 for throughput; 0 = p50, 1 = p99, 2 = p99.9 for latency), or NaN. */
  double value(int index) {
    return values == null ? Double.NaN : values[index];
  }

  /**
   * Half the range of row {@code index} over the runs, relative to the median: 0.04 for ±4%. NaN with fewer than two
   * runs or no figure.
   */
  double spread(int index) {
    if (values == null || runs < 2 || !(values[index] > 0)) {
      return Double.NaN;
    }
    return (max[index] - min[index]) / 2 / values[index];
  }
}
