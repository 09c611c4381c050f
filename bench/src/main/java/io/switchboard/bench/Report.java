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
  /**
   * One case with the three libraries' outcomes.
   *
   * @param seconds the wall time of the case, every run of every library with its process starts and stops; NaN if
   *     not known
   */
  record Result(BenchCase benchCase, Outcome switchboard, Outcome jeromq, Outcome libzmq, double seconds) {
    Result(BenchCase benchCase, Outcome switchboard, Outcome jeromq, Outcome libzmq) {
      this(benchCase, switchboard, jeromq, libzmq, Double.NaN);
    }
  }

  static final String PARTIAL_MARK = "*";
  static final String EMULATED_IPC_MARK = "†";
  private static final String ROW_FORMAT = "%-19s %-9s %-7s %28s   JeroMQ %28s   libzmq %28s   %9s %9s";

  private final String environment;
  private final String jeromqVersion;
  private final NativePeer zmqPeer;

  Report(String environment, String jeromqVersion, NativePeer zmqPeer) {
    this.environment = environment;
    this.jeromqVersion = jeromqVersion;
    this.zmqPeer = zmqPeer;
  }

  private String title() {
    return "Switchboard vs JeroMQ " + jeromqVersion + " and libzmq "
        + (zmqPeer.available() ? zmqPeer.version() : "(not measured: " + zmqPeer.unavailable() + ")");
  }

  /** The lines printed before the first row. */
  List<String> consoleHeader() {
    List<String> lines = new ArrayList<>();
    lines.add(title() + " | " + environment);
    lines.add("Throughput rows: messages/s counted at the receiver; ratios = Switchboard / JeroMQ, "
        + "Switchboard / libzmq.");
    lines.add("Latency (µs) and memory (KiB per idle connection) rows: ratios = JeroMQ / Switchboard, "
        + "libzmq / Switchboard.");
    lines.add("In all, a ratio above 1 means Switchboard is better. tcp and ipc run sender and receiver in separate");
    lines.add("processes; inproc runs one process with two threads. libzmq runs as a C peer (bench/src/main/c).");
    lines.add("");
    lines.add(String.format(Locale.ROOT, "%-19s %-9s %-7s %28s   %-6s %28s   %-6s %28s   %9s %9s", "case", "transport",
        "size", "Switchboard", "", "JeroMQ", "", "libzmq", "vs JeroMQ", "vs libzmq"));
    return lines;
  }

  /** The rows of one result, followed by its errors and warnings. */
  List<String> consoleRows(Result result) {
    BenchCase c = result.benchCase();
    List<String> lines = new ArrayList<>();
    List<String> metrics = c.metrics();
    for (int i = 0; i < metrics.size(); i++) {
      lines.add(String.format(Locale.ROOT, ROW_FORMAT, c.label(), c.transport().label(),
          BenchCase.sizeLabel(c.size()), consoleCell(c, result.switchboard(), i, false),
          consoleCell(c, result.jeromq(), i, true), consoleCell(c, result.libzmq(), i, false),
          ratio(c, result.switchboard(), result.jeromq(), i), ratio(c, result.switchboard(), result.libzmq(), i)));
    }
    ReportFormat.addProblems(lines, "Switchboard", result.switchboard());
    ReportFormat.addProblems(lines, "JeroMQ", result.jeromq());
    ReportFormat.addProblems(lines, "libzmq", result.libzmq());
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
    md.append("# ").append(title()).append("\n\n");
    md.append(environment).append("\n\n");
    md.append("Throughput: messages per second counted at the receiver, ratios = Switchboard / JeroMQ and ")
        .append("Switchboard / libzmq. Latency: REQ/REP round trip over tcp in µs, ratios = JeroMQ / Switchboard and ")
        .append("libzmq / Switchboard; memory per idle connection (KiB) likewise. "
            + "**A ratio above 1 means Switchboard is faster (or leaner).** ")
        .append("tcp and ipc run sender and receiver in separate processes; inproc runs one process with two threads. ")
        .append("libzmq runs as a C peer (bench/src/main/c/zmq_peer.c). See docs/bench.md.\n\n");
    md.append("| Case | Transport | Size | Metric | Switchboard | JeroMQ | libzmq | vs JeroMQ | vs libzmq |\n");
    md.append("|------|-----------|-----:|--------|------------:|-------:|-------:|----------:|----------:|\n");
    for (Result result : results) {
      BenchCase c = result.benchCase();
      List<String> metrics = c.metrics();
      for (int i = 0; i < metrics.size(); i++) {
        md.append("| ").append(c.label())
            .append(" | ").append(c.transport().label())
            .append(" | ").append(BenchCase.sizeLabel(c.size()))
            .append(" | ").append(c.isLatency() || c.hasMemory() && i > 0 ? metrics.get(i) + " " + c.unit(i) : "msg/s")
            .append(" | ").append(markdownCell(c, result.switchboard(), i, false))
            .append(" | ").append(markdownCell(c, result.jeromq(), i, true))
            .append(" | ").append(markdownCell(c, result.libzmq(), i, false))
            .append(" | ").append(ratio(c, result.switchboard(), result.jeromq(), i))
            .append(" | ").append(ratio(c, result.switchboard(), result.libzmq(), i))
            .append(" |\n");
      }
    }
    md.append("\n![Switchboard's ratios to JeroMQ and libzmq](bench.svg)\n");
    List<String> notes = footnotes(results);
    if (!notes.isEmpty()) {
      md.append('\n');
      for (String note : notes) {
        md.append("- ").append(note).append('\n');
      }
    }
    StringBuilder problems = new StringBuilder();
    for (Result result : results) {
      ReportFormat.appendProblem(problems, result.benchCase().name(), "Switchboard", result.switchboard());
      ReportFormat.appendProblem(problems, result.benchCase().name(), "JeroMQ", result.jeromq());
      ReportFormat.appendProblem(problems, result.benchCase().name(), "libzmq", result.libzmq());
    }
    if (problems.length() > 0) {
      md.append("\n## Errors and warnings\n").append(problems);
    }
    Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
  }

  void writeSvg(Path file, List<Result> results) throws IOException {
    Files.writeString(file, RatioChart.render(title(), results), StandardCharsets.UTF_8);
  }

  void writeCsv(Path file, List<Result> results) throws IOException {
    StringBuilder csv = new StringBuilder();
    csv.append("case,pattern,transport,size_bytes,metric,unit,switchboard,jeromq,libzmq,ratio_jeromq,ratio_libzmq,"
        + "ratio_definition,switchboard_status,jeromq_status,libzmq_status,switchboard_samples,jeromq_samples,"
        + "libzmq_samples,runs,peers,switchboard_min,switchboard_max,jeromq_min,jeromq_max,libzmq_min,libzmq_max,"
        + "seconds\n");
    for (Result result : results) {
      BenchCase c = result.benchCase();
      List<String> metrics = c.metrics();
      for (int i = 0; i < metrics.size(); i++) {
        csv.append(String.join(",",
            ReportFormat.csvField(c.name()),
            ReportFormat.csvField(c.pattern().label()),
            c.transport().label(),
            Integer.toString(c.size()),
            metrics.get(i),
            c.unit(i).replace("µ", "u"),
            csvNumber(result.switchboard(), i),
            csvNumber(result.jeromq(), i),
            csvNumber(result.libzmq(), i),
            csvRatio(c, result.switchboard(), result.jeromq(), i),
            csvRatio(c, result.switchboard(), result.libzmq(), i),
            c.lowerIsBetter(i) ? "other/switchboard" : "switchboard/other",
            ReportFormat.csvField(ReportFormat.status(result.switchboard())),
            ReportFormat.csvField(ReportFormat.status(result.jeromq())),
            ReportFormat.csvField(ReportFormat.status(result.libzmq())),
            Long.toString(result.switchboard().samples()),
            Long.toString(result.jeromq().samples()),
            Long.toString(result.libzmq().samples()),
            Integer.toString(Math.max(result.switchboard().runs(),
                Math.max(result.jeromq().runs(), result.libzmq().runs()))),
            Integer.toString(c.peers()),
            ReportFormat.csvBound(result.switchboard().min(), i),
            ReportFormat.csvBound(result.switchboard().max(), i),
            ReportFormat.csvBound(result.jeromq().min(), i),
            ReportFormat.csvBound(result.jeromq().max(), i),
            ReportFormat.csvBound(result.libzmq().min(), i),
            ReportFormat.csvBound(result.libzmq().max(), i),
            Double.isNaN(result.seconds()) ? "" : String.format(Locale.ROOT, "%.1f", result.seconds())))
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
    if (Double.isNaN(outcome.value(index))) {
      return "n/a";
    }
    if (c.isLatency() || index > 0) {
      return String.format(Locale.ROOT, "%s %.1f %s%s%s", c.metrics().get(index), outcome.value(index), c.unit(index),
          marks, ReportFormat.spread(outcome, index));
    }
    return String.format(Locale.ROOT, "%,.0f msg/s%s%s", outcome.value(index), marks,
        ReportFormat.spread(outcome, index));
  }

  private static String markdownCell(BenchCase c, Outcome outcome, int index, boolean jeromq) {
    if (outcome.notApplicable() != null) {
      return "n/a";
    }
    if (!outcome.ok()) {
      return "error";
    }
    String marks = marks(c, outcome, jeromq);
    if (Double.isNaN(outcome.value(index))) {
      return "n/a";
    }
    String number = c.isLatency() || index > 0
        ? String.format(Locale.ROOT, "%.1f", outcome.value(index))
        : String.format(Locale.ROOT, "%,.0f", outcome.value(index));
    return number + marks + ReportFormat.spread(outcome, index);
  }

  private static String marks(BenchCase c, Outcome outcome, boolean jeromq) {
    return (outcome.partial() ? PARTIAL_MARK : "") + (jeromq && c.transport() == Transport.IPC ? EMULATED_IPC_MARK : "");
  }

  private static String ratio(BenchCase c, Outcome switchboard, Outcome other, int index) {
    return ReportFormat.ratioCell(ratioValue(c, switchboard, other, index));
  }

  private static String csvRatio(BenchCase c, Outcome switchboard, Outcome other, int index) {
    return ReportFormat.csvRatio(ratioValue(c, switchboard, other, index));
  }

  /** Above 1 when Switchboard is faster: Switchboard / other for throughput, other / Switchboard for latency. */
  static double ratioValue(BenchCase c, Outcome switchboard, Outcome other, int index) {
    return ReportFormat.ratio(switchboard.value(index), other.value(index), c.lowerIsBetter(index));
  }

  private static List<String> footnotes(List<Result> results) {
    boolean partial = false;
    boolean ipc = false;
    boolean large = false;
    boolean fanOutCapped = false;
    for (Result result : results) {
      partial |= result.switchboard().partial() || result.jeromq().partial() || result.libzmq().partial();
      ipc |= result.benchCase().transport() == Transport.IPC && result.jeromq().ok();
      large |= result.benchCase().size() >= BenchCase.LARGE_MESSAGE_SIZE;
      BenchCase c = result.benchCase();
      fanOutCapped |= c.peers() > 1 && c.pattern() == BenchCase.Pattern.PUB_SUB
          && c.highWaterMark(0)
              != (c.size() >= BenchCase.LARGE_MESSAGE_SIZE ? BenchCase.LARGE_MESSAGE_HIGH_WATER_MARK : 0);
    }
    List<String> notes = new ArrayList<>();
    if (partial) {
      notes.add(PARTIAL_MARK + " the time limit ended the measurement before the full count; the figure is the rate "
          + "over the messages received so far.");
    }
    if (ipc) {
      notes.add(EMULATED_IPC_MARK + " JeroMQ 0.6.0 emulates ipc:// with TCP on a loopback port derived from the path "
          + "(zmq.io.net.ipc.IpcAddress), so its ipc figures are TCP figures; Switchboard and libzmq use a Unix "
          + "domain socket.");
    }
    if (large) {
      notes.add("The 1 MiB cases cap the high-water mark at " + BenchCase.LARGE_MESSAGE_HIGH_WATER_MARK
          + " messages for all libraries, so that full queues fit the peers' 1 GiB heaps.");
    }
    if (fanOutCapped) {
      notes.add("PUB/SUB fan-out caps the high-water mark of every socket so that the subscribers' full queues "
          + "together hold at most " + (BenchCase.FAN_OUT_QUEUE_BUDGET >> 20) + " MiB (at least "
          + BenchCase.MIN_FAN_OUT_HIGH_WATER_MARK + " messages), for all libraries.");
    }
    return notes;
  }

  private static String csvNumber(Outcome outcome, int index) {
    return ReportFormat.csvNumber(outcome.value(index));
  }
}
