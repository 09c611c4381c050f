package io.switchboard.bench;

import java.util.List;

/**
 * What one library achieved in one case: figures, or an error, or "not applicable".
 *
 * @param values messages per second (throughput), or p50 and p99 in µs (latency); null unless measured
 * @param partial whether the measurement hit its time limit before the full count
 * @param samples the messages or round trips actually measured
 * @param error what went wrong, or null
 * @param detail the peers' standard error around the failure, possibly empty
 * @param notApplicable why the case does not apply to this library, or null
 * @param warnings warnings from the peers (slow close, a peer that had to be killed), possibly empty
 */
record Outcome(double[] values, boolean partial, long samples, String error, String detail, String notApplicable,
    List<String> warnings) {

  static Outcome measured(double[] values, boolean partial, long samples, List<String> warnings) {
    return new Outcome(values, partial, samples, null, "", null, List.copyOf(warnings));
  }

  static Outcome failed(String error, String detail, List<String> warnings) {
    return new Outcome(null, false, 0, error, detail, null, List.copyOf(warnings));
  }

  static Outcome notApplicable(String why) {
    return new Outcome(null, false, 0, null, "", why, List.of());
  }

  boolean ok() {
    return values != null;
  }

  /** The figure of row {@code index} (0 for throughput; 0 = p50, 1 = p99 for latency), or NaN. */
  double value(int index) {
    return values == null ? Double.NaN : values[index];
  }
}
