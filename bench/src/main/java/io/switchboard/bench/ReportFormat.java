package io.switchboard.bench;

import java.util.List;
import java.util.Locale;

/**
 * What both reports, the socket benchmark's {@link Report} and the bus benchmark's {@link BusReport}, write the same
 * way: spreads and ratios, the errors and warnings of an outcome, and CSV fields.
 */
final class ReportFormat {
  private ReportFormat() {}

  /** " ±4%": half the range over the runs relative to the median; empty for a single run. */
  static String spread(Outcome outcome, int index) {
    double spread = outcome.spread(index);
    if (Double.isNaN(spread)) {
      return "";
    }
    return String.format(Locale.ROOT, " ±%.0f%%", spread * 100);
  }

  /**
   * Above 1 when Switchboard is better: {@code switchboard / other}, or {@code other / switchboard} when lower figures
   * are better (latency, memory); NaN unless both figures are positive.
   */
  static double ratio(double switchboard, double other, boolean lowerIsBetter) {
    if (Double.isNaN(switchboard) || Double.isNaN(other) || switchboard <= 0 || other <= 0) {
      return Double.NaN;
    }
    return lowerIsBetter ? other / switchboard : switchboard / other;
  }

  /** A ratio in a table: {@code 1.23x}, or {@code -} for NaN. */
  static String ratioCell(double ratio) {
    return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2fx", ratio);
  }

  /** A ratio in a CSV file: {@code 1.234}, or empty for NaN. */
  static String csvRatio(double ratio) {
    return Double.isNaN(ratio) ? "" : String.format(Locale.ROOT, "%.3f", ratio);
  }

  /** The console lines under a row for the error, the reason for n/a and the warnings of {@code who}'s outcome. */
  static void addProblems(List<String> lines, String who, Outcome outcome) {
    if (outcome.error() != null) {
      lines.add("    ! " + who + ": " + outcome.error());
    }
    if (outcome.notApplicable() != null) {
      lines.add("    - " + who + ": n/a: " + outcome.notApplicable());
    }
    for (String warning : outcome.warnings()) {
      lines.add("    ~ " + who + " warning: " + warning);
    }
  }

  /**
   * The Markdown section of {@code who}'s outcome in the case {@code caseName} under "Errors and warnings": the error
   * with the peers' standard error, the reason for n/a, the warnings; nothing if there are none.
   */
  static void appendProblem(StringBuilder md, String caseName, String who, Outcome outcome) {
    if (outcome.error() == null && outcome.notApplicable() == null && outcome.warnings().isEmpty()) {
      return;
    }
    md.append("\n### ").append(caseName).append(": ").append(who).append("\n\n");
    if (outcome.error() != null) {
      md.append("Error: ").append(outcome.error()).append("\n\n");
      if (!outcome.detail().isBlank()) {
        md.append("```text\n").append(outcome.detail().strip()).append("\n```\n\n");
      }
    }
    if (outcome.notApplicable() != null) {
      md.append("Not applicable: ").append(outcome.notApplicable()).append("\n\n");
    }
    for (String warning : outcome.warnings()) {
      md.append("- Warning: ").append(warning).append('\n');
    }
  }

  /** The status column of a CSV row: {@code ok}, {@code partial}, {@code n/a: …} or {@code error: …}; warnings. */
  static String status(Outcome outcome) {
    if (outcome.notApplicable() != null) {
      return "n/a: " + outcome.notApplicable();
    }
    if (outcome.error() != null) {
      return "error: " + outcome.error();
    }
    String status = outcome.partial() ? "partial" : "ok";
    return outcome.warnings().isEmpty() ? status : status + "; warnings: " + String.join("; ", outcome.warnings());
  }

  /** A figure in a CSV file, to one decimal; empty for NaN. */
  static String csvNumber(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.1f", v);
  }

  /** Row {@code index} of an outcome's minima or maxima in a CSV file; empty if there are none. */
  static String csvBound(double[] bounds, int index) {
    return bounds == null ? "" : csvNumber(bounds[index]);
  }

  /** {@code value} as a CSV field, quoted if it holds a comma, a quote or a line break. */
  static String csvField(String value) {
    if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0) {
      return value;
    }
    return '"' + value.replace("\"", "\"\"") + '"';
  }
}
