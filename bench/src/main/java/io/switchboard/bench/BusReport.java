package io.switchboard.bench;

import io.switchboard.bench.BusBenchCase.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Formats the bus benchmark's results for the console, {@code bus.md} and {@code bus.csv}. */
final class BusReport {
  /**
   * One case with the three systems' outcomes.
   *
   * @param seconds the wall time of the case, every run of every system with its process starts and stops
   */
  record Result(BusBenchCase benchCase, Map<BusSystem, Outcome> outcomes, double seconds) {
    Outcome of(BusSystem system) {
      return outcomes.get(system);
    }
  }

  private static final String ROW_FORMAT = "%-18s %-6s %-8s %30s %30s %30s %10s %13s";
  private static final BusSystem[] OTHERS = {BusSystem.NATS_GO, BusSystem.NATS_JNATS};
  private static final String PARTIAL_NOTE =
      "* the time limit ended a measurement before the full count; the figure is the rate so far.";

  private final String environment;
  private final NatsServer natsServer;
  private final NativePeer goPeer;
  private final String jnatsVersion;

  BusReport(String environment, NatsServer natsServer, NativePeer goPeer, String jnatsVersion) {
    this.environment = environment;
    this.natsServer = natsServer;
    this.goPeer = goPeer;
    this.jnatsVersion = jnatsVersion;
  }

  private String title() {
    if (!natsServer.available()) {
      return "Switchboard's bus vs NATS (not measured: " + natsServer.unavailable() + ")";
    }
    return "Switchboard's bus vs NATS (nats-server " + natsServer.version() + ") with its Go client ("
        + (goPeer.available() ? goPeer.version() : "not measured: " + goPeer.unavailable()) + ") and jnats "
        + jnatsVersion;
  }

  private static String explanation() {
    return "Events: one publisher, N listeners, each its own process, through a node (Switchboard) or a nats-server; "
        + "the figure is the events all listeners received after their warm-up, per second of the slowest "
        + "listener, with the share that never arrived (dropped for a listener that fell behind) beside it. "
        + "Request/reply: one requester, one handler, one request at a time, round trip in µs. Idle clients: N "
        + "clients in one process that joined the channel (subscribed to the subject) and say nothing more; the "
        + "node's (server's) memory per client in KiB: heap in use after a collection, direct memory, resident set; "
        + "for NATS only nats-server's resident set, with clients that use no library, one measurement shown in both "
        + "NATS columns. Ratios: Switchboard / NATS for events, NATS / Switchboard for latency and memory: above 1, "
        + "Switchboard is faster (smaller).";
  }

  /** The lines printed before the first row. */
  List<String> consoleHeader() {
    List<String> lines = new ArrayList<>();
    lines.add(title() + " | " + environment);
    lines.add(explanation());
    lines.add("");
    lines.add(String.format(Locale.ROOT, ROW_FORMAT, "case", "size", "metric", "Switchboard", "NATS+Go",
        "NATS+jnats", "vs NATS+Go", "vs NATS+jnats"));
    return lines;
  }

  /** The rows of one result, followed by its errors and warnings. */
  List<String> consoleRows(Result result) {
    BusBenchCase c = result.benchCase();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < c.metrics().size(); i++) {
      lines.add(String.format(Locale.ROOT, ROW_FORMAT, c.label(), c.sizeLabel(), c.metrics().get(i),
          cell(c, result.of(BusSystem.SWITCHBOARD), i, true), cell(c, result.of(BusSystem.NATS_GO), i, true),
          cell(c, result.of(BusSystem.NATS_JNATS), i, true), ratio(c, result, BusSystem.NATS_GO, i),
          ratio(c, result, BusSystem.NATS_JNATS, i)));
    }
    for (BusSystem system : BusSystem.values()) {
      ReportFormat.addProblems(lines, system.displayName(), result.of(system));
    }
    return lines;
  }

  /** The notes printed after the last row: what {@code *} means, if a cell has one. */
  List<String> consoleFooter(List<Result> results) {
    return partial(results) ? List.of("", PARTIAL_NOTE) : List.of();
  }

  private static boolean partial(List<Result> results) {
    for (Result result : results) {
      for (Outcome o : result.outcomes().values()) {
        if (o.partial()) {
          return true;
        }
      }
    }
    return false;
  }

  void writeMarkdown(Path file, List<Result> results) throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("# ").append(title()).append("\n\n");
    md.append(environment).append("\n\n");
    md.append(explanation()).append(" See docs/bench.md, section Bus.\n\n");
    md.append("| Case | Size | Metric | Switchboard | NATS+Go | NATS+jnats | vs NATS+Go | vs NATS+jnats |\n");
    md.append("|------|-----:|--------|------------:|--------:|-----------:|-----------:|--------------:|\n");
    for (Result result : results) {
      BusBenchCase c = result.benchCase();
      for (int i = 0; i < c.metrics().size(); i++) {
        md.append("| ").append(c.label())
            .append(" | ").append(c.sizeLabel())
            .append(" | ").append(c.metricLabel(i))
            .append(" | ").append(cell(c, result.of(BusSystem.SWITCHBOARD), i, false))
            .append(" | ").append(cell(c, result.of(BusSystem.NATS_GO), i, false))
            .append(" | ").append(cell(c, result.of(BusSystem.NATS_JNATS), i, false))
            .append(" | ").append(ratio(c, result, BusSystem.NATS_GO, i))
            .append(" | ").append(ratio(c, result, BusSystem.NATS_JNATS, i))
            .append(" |\n");
      }
    }
    if (partial(results)) {
      md.append("\n\\").append(PARTIAL_NOTE).append('\n');
    }
    StringBuilder problems = new StringBuilder();
    for (Result result : results) {
      for (BusSystem system : BusSystem.values()) {
        ReportFormat.appendProblem(problems, result.benchCase().name(), system.displayName(), result.of(system));
      }
    }
    if (problems.length() > 0) {
      md.append("\n## Errors and warnings\n").append(problems);
    }
    Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
  }

  void writeCsv(Path file, List<Result> results) throws IOException {
    StringBuilder csv = new StringBuilder();
    List<String> header = new ArrayList<>(List.of("case", "kind", "size_bytes", "listeners", "metric", "unit"));
    for (BusSystem s : BusSystem.values()) {
      header.add(s.csvName());
    }
    for (BusSystem s : OTHERS) {
      header.add("ratio_" + s.csvName());
    }
    header.add("ratio_definition");
    for (String column : List.of("lost_fraction", "status", "samples", "min", "max")) {
      for (BusSystem s : BusSystem.values()) {
        header.add(s.csvName() + "_" + column);
      }
    }
    header.add("runs");
    header.add("seconds");
    csv.append(String.join(",", header)).append('\n');
    for (Result result : results) {
      BusBenchCase c = result.benchCase();
      for (int i = 0; i < c.metrics().size(); i++) {
        List<String> row = new ArrayList<>(List.of(ReportFormat.csvField(c.name()),
            c.kind().name().toLowerCase(Locale.ROOT),
            Integer.toString(c.size()), Integer.toString(c.listeners()), c.metrics().get(i),
            c.unit().replace("µ", "u")));
        for (BusSystem s : BusSystem.values()) {
          row.add(ReportFormat.csvNumber(result.of(s).value(i)));
        }
        for (BusSystem s : OTHERS) {
          row.add(ReportFormat.csvRatio(ratioValue(c, result, s, i)));
        }
        row.add(c.lowerIsBetter() ? "nats/switchboard" : "switchboard/nats");
        for (BusSystem s : BusSystem.values()) {
          Outcome o = result.of(s);
          row.add(c.kind() == Kind.EVENTS && o.ok() ? String.format(Locale.ROOT, "%.5f", o.value(1)) : "");
        }
        for (BusSystem s : BusSystem.values()) {
          row.add(ReportFormat.csvField(ReportFormat.status(result.of(s))));
        }
        for (BusSystem s : BusSystem.values()) {
          row.add(Long.toString(result.of(s).samples()));
        }
        for (BusSystem s : BusSystem.values()) {
          row.add(ReportFormat.csvBound(result.of(s).min(), i));
        }
        for (BusSystem s : BusSystem.values()) {
          row.add(ReportFormat.csvBound(result.of(s).max(), i));
        }
        int runs = 0;
        for (BusSystem s : BusSystem.values()) {
          runs = Math.max(runs, result.of(s).runs());
        }
        row.add(Integer.toString(runs));
        row.add(String.format(Locale.ROOT, "%.1f", result.seconds()));
        csv.append(String.join(",", row)).append('\n');
      }
    }
    Files.writeString(file, csv.toString(), StandardCharsets.UTF_8);
  }

  /** A figure with its spread, its partial mark and, for events, the share lost: {@code 412,345 ±8% (3.1% lost)}. */
  static String cell(BusBenchCase c, Outcome outcome, int index, boolean console) {
    if (outcome.notApplicable() != null) {
      return "n/a";
    }
    if (!outcome.ok()) {
      return console ? "ERROR" : "error";
    }
    double value = outcome.value(index);
    if (Double.isNaN(value)) {
      return "n/a";
    }
    StringBuilder cell = new StringBuilder(c.kind() == Kind.EVENTS
        ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.1f", value));
    if (outcome.partial()) {
      cell.append(console ? "*" : "\\*");
    }
    cell.append(ReportFormat.spread(outcome, index));
    if (c.kind() == Kind.EVENTS && outcome.value(1) > 0) {
      double lost = outcome.value(1) * 100;
      cell.append(String.format(Locale.ROOT, lost < 0.1 ? " (%.2f%% lost)" : " (%.1f%% lost)", lost));
    }
    return cell.toString();
  }

  private static String ratio(BusBenchCase c, Result result, BusSystem other, int index) {
    return ReportFormat.ratioCell(ratioValue(c, result, other, index));
  }

  /** Above 1 when Switchboard is better: Switchboard / other for events, other / Switchboard for latency. */
  static double ratioValue(BusBenchCase c, Result result, BusSystem other, int index) {
    return ReportFormat.ratio(result.of(BusSystem.SWITCHBOARD).value(index), result.of(other).value(index),
        c.lowerIsBetter());
  }
}
