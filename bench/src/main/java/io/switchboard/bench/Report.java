package io.switchboard.bench;

import io.switchboard.bench.BenchCase.Transport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Formats results for the console, {@code bench.md} and {@code bench.csv}. */
final class Report {
  /** One case with both libraries' outcomes. */
  record Result(BenchCase benchCase, Outcome switchboard, Outcome jeromq) {}

  static final String PARTIAL_MARK = "*";
  static final String EMULATED_IPC_MARK = "†";
  private static final String ROW_FORMAT = "%-10s %-9s %-7s %22s   JeroMQ %22s   %s";

  private final String environment;
  private final String jeromqVersion;

  Report(String environment, String jeromqVersion) {
    this.environment = environment;
    this.jeromqVersion = jeromqVersion;
  }

  /** The lines printed before the first row. */
  List<String> consoleHeader() {
    List<String> lines = new ArrayList<>();
    lines.add("Switchboard vs JeroMQ " + jeromqVersion + " | " + environment);
    lines.add("Throughput rows: messages/s counted at the receiver; ratio = Switchboard / JeroMQ.");
    lines.add("Latency rows: REQ/REP round trip over tcp in µs; ratio = JeroMQ / Switchboard.");
    lines.add("In both, a ratio above 1 means Switchboard is faster. tcp and ipc run sender and receiver in separate");
    lines.add("JVMs; inproc runs one JVM with two threads.");
    lines.add("");
    lines.add(String.format(Locale.ROOT, "%-10s %-9s %-7s %22s   %-6s %22s   %s", "case", "transport", "size", "Switchboard",
        "", "JeroMQ", "ratio"));
    return lines;
  }

  /** The rows of one result, followed by its errors and warnings. */
  List<String> consoleRows(Result result) {
    BenchCase c = result.benchCase();
    List<String> lines = new ArrayList<>();
    List<String> metrics = c.metrics();
    for (int i = 0; i < metrics.size(); i++) {
      lines.add(String.format(Locale.ROOT, ROW_FORMAT, c.pattern().label(), c.transport().label(),
          BenchCase.sizeLabel(c.size()), consoleCell(c, result.switchboard(), i, false),
          consoleCell(c, result.jeromq(), i, true), ratio(c, result, i)));
    }
    addProblems(lines, "Switchboard", result.switchboard());
    addProblems(lines, "JeroMQ", result.jeromq());
    return lines;
  }

  /** The notes printed after the last row. */
  List<String> consoleFooter(List<Result> results) {
    List<String> lines = new ArrayList<>();
    lines.add("");
    for (String note : footnotes(results)) {
      lines.add(note);
    }
    return lines;
  }

  void writeMarkdown(Path file, List<Result> results) throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("# Switchboard vs JeroMQ ").append(jeromqVersion).append("\n\n");
    md.append(environment).append("\n\n");
    md.append("Throughput: messages per second counted at the receiver, ratio = Switchboard / JeroMQ. ")
        .append("Latency: REQ/REP round trip over tcp in µs, ratio = JeroMQ / Switchboard. ")
        .append("**A ratio above 1 means Switchboard is faster.** ")
        .append("tcp and ipc run sender and receiver in separate JVMs; inproc runs one JVM with two threads. ")
        .append("See docs/bench.md.\n\n");
    md.append("| Case | Transport | Size | Metric | Switchboard | JeroMQ | Ratio |\n");
    md.append("|------|-----------|-----:|--------|------------:|-------:|------:|\n");
    for (Result result : results) {
      BenchCase c = result.benchCase();
      List<String> metrics = c.metrics();
      for (int i = 0; i < metrics.size(); i++) {
        md.append("| ").append(c.pattern().label())
            .append(" | ").append(c.transport().label())
            .append(" | ").append(BenchCase.sizeLabel(c.size()))
            .append(" | ").append(c.isLatency() ? metrics.get(i) + " µs" : "msg/s")
            .append(" | ").append(markdownCell(c, result.switchboard(), i, false))
            .append(" | ").append(markdownCell(c, result.jeromq(), i, true))
            .append(" | ").append(ratio(c, result, i))
            .append(" |\n");
      }
    }
    List<String> notes = footnotes(results);
    if (!notes.isEmpty()) {
      md.append('\n');
      for (String note : notes) {
        md.append("- ").append(note).append('\n');
      }
    }
    StringBuilder problems = new StringBuilder();
    for (Result result : results) {
      appendProblem(problems, result.benchCase(), "Switchboard", result.switchboard());
      appendProblem(problems, result.benchCase(), "JeroMQ", result.jeromq());
    }
    if (problems.length() > 0) {
      md.append("\n## Errors and warnings\n").append(problems);
    }
    Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
  }

  void writeCsv(Path file, List<Result> results) throws IOException {
    StringBuilder csv = new StringBuilder();
    csv.append("case,pattern,transport,size_bytes,metric,unit,switchboard,jeromq,ratio,ratio_definition,"
        + "switchboard_status,jeromq_status,switchboard_samples,jeromq_samples\n");
    for (Result result : results) {
      BenchCase c = result.benchCase();
      List<String> metrics = c.metrics();
      for (int i = 0; i < metrics.size(); i++) {
        double ratio = ratioValue(c, result, i);
        csv.append(String.join(",",
            csvField(c.name()),
            csvField(c.pattern().label()),
            c.transport().label(),
            Integer.toString(c.size()),
            metrics.get(i),
            c.isLatency() ? "us" : "msg/s",
            csvNumber(result.switchboard(), i),
            csvNumber(result.jeromq(), i),
            Double.isNaN(ratio) ? "" : String.format(Locale.ROOT, "%.3f", ratio),
            c.isLatency() ? "jeromq/switchboard" : "switchboard/jeromq",
            csvField(status(result.switchboard())),
            csvField(status(result.jeromq())),
            Long.toString(result.switchboard().samples()),
            Long.toString(result.jeromq().samples())))
            .append('\n');
      }
    }
    Files.writeString(file, csv.toString(), StandardCharsets.UTF_8);
  }

  private static String consoleCell(BenchCase c, Outcome outcome, int index, boolean jeromq) {
    if (outcome.notApplicable() != null) {
      return "n/a";
    }
    if (!outcome.ok()) {
      return "ERROR";
    }
    String marks = marks(c, outcome, jeromq);
    if (c.isLatency()) {
      return String.format(Locale.ROOT, "%s %.1f µs%s", c.metrics().get(index), outcome.value(index), marks);
    }
    return String.format(Locale.ROOT, "%,.0f msg/s%s", outcome.value(index), marks);
  }

  private static String markdownCell(BenchCase c, Outcome outcome, int index, boolean jeromq) {
    if (outcome.notApplicable() != null) {
      return "n/a";
    }
    if (!outcome.ok()) {
      return "error";
    }
    String marks = marks(c, outcome, jeromq);
    String number = c.isLatency()
        ? String.format(Locale.ROOT, "%.1f", outcome.value(index))
        : String.format(Locale.ROOT, "%,.0f", outcome.value(index));
    return number + marks;
  }

  private static String marks(BenchCase c, Outcome outcome, boolean jeromq) {
    return (outcome.partial() ? PARTIAL_MARK : "") + (jeromq && c.transport() == Transport.IPC ? EMULATED_IPC_MARK : "");
  }

  private static String ratio(BenchCase c, Result result, int index) {
    double ratio = ratioValue(c, result, index);
    return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2fx", ratio);
  }

  private static double ratioValue(BenchCase c, Result result, int index) {
    double sb = result.switchboard().value(index);
    double jq = result.jeromq().value(index);
    if (Double.isNaN(sb) || Double.isNaN(jq) || sb <= 0 || jq <= 0) {
      return Double.NaN;
    }
    return c.isLatency() ? jq / sb : sb / jq;
  }

  private static void addProblems(List<String> lines, String library, Outcome outcome) {
    if (outcome.error() != null) {
      lines.add("    ! " + library + ": " + outcome.error());
    }
    if (outcome.notApplicable() != null) {
      lines.add("    - " + library + ": n/a: " + outcome.notApplicable());
    }
    for (String warning : outcome.warnings()) {
      lines.add("    ~ " + library + " warning: " + warning);
    }
  }

  private static void appendProblem(StringBuilder md, BenchCase c, String library, Outcome outcome) {
    if (outcome.error() == null && outcome.notApplicable() == null && outcome.warnings().isEmpty()) {
      return;
    }
    md.append("\n### ").append(c.name()).append(": ").append(library).append("\n\n");
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

  private static List<String> footnotes(List<Result> results) {
    boolean partial = false;
    boolean ipc = false;
    for (Result result : results) {
      partial |= result.switchboard().partial() || result.jeromq().partial();
      ipc |= result.benchCase().transport() == Transport.IPC && result.jeromq().ok();
    }
    List<String> notes = new ArrayList<>();
    if (partial) {
      notes.add(PARTIAL_MARK + " the time limit ended the measurement before the full count; the figure is the rate "
          + "over the messages received so far.");
    }
    if (ipc) {
      notes.add(EMULATED_IPC_MARK + " JeroMQ 0.6.0 emulates ipc:// with TCP on a loopback port derived from the path "
          + "(zmq.io.net.ipc.IpcAddress), so its ipc figures are TCP figures; Switchboard uses a Unix domain socket.");
    }
    return notes;
  }

  private static String status(Outcome outcome) {
    if (outcome.notApplicable() != null) {
      return "n/a: " + outcome.notApplicable();
    }
    if (outcome.error() != null) {
      return "error: " + outcome.error();
    }
    String status = outcome.partial() ? "partial" : "ok";
    return outcome.warnings().isEmpty() ? status : status + "; warnings: " + String.join("; ", outcome.warnings());
  }

  private static String csvNumber(Outcome outcome, int index) {
    double v = outcome.value(index);
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String csvField(String value) {
    if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0) {
      return value;
    }
    return '"' + value.replace("\"", "\"\"") + '"';
  }
}
