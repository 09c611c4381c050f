package io.switchboard.bench;

import io.switchboard.bench.Report.Result;
import java.util.List;
import java.util.Locale;

/**
 * The results as an SVG chart ({@code bench.svg}): one group per table row, with two horizontal bars, Switchboard's
 * ratio to JeroMQ and to libzmq, on a log₂ axis centred on 1×. As in the table, a ratio above 1 (a bar to the right)
 * means Switchboard is faster or leaner. Ratios beyond the axis are drawn to its edge and labelled with their value;
 * a missing ratio (a cell that failed or does not apply) has no bar.
 *
 * <p>Plain SVG 1.1 written by hand: no scripts, no external fonts or styles, so it renders the same in a browser,
 * an image viewer and a Markdown preview.
 */
final class RatioChart {
  private static final double MIN_RATIO = 1.0 / 16;
  private static final double MAX_RATIO = 16;
  private static final int WIDTH = 960;
  private static final int LABEL_WIDTH = 300;
  private static final int PLOT_LEFT = LABEL_WIDTH + 40;
  private static final int PLOT_WIDTH = 520;
  private static final int TOP = 74;
  private static final int BAR = 8;
  private static final int ROW = 2 * BAR + 8;
  private static final String JEROMQ_COLOUR = "#4e79a7";
  private static final String LIBZMQ_COLOUR = "#f28e2b";

  private RatioChart() {}

  /** The SVG document for {@code results} under {@code title}. */
  static String render(String title, List<Result> results) {
    int rows = 0;
    for (Result result : results) {
      rows += result.benchCase().metrics().size();
    }
    int height = TOP + rows * ROW + 40;
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n", WIDTH, height, WIDTH, height));
    svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
    text(svg, 10, 18, "start", "font-size=\"13\" font-weight=\"bold\"", title);
    text(svg, 10, 34, "start", "",
        "Switchboard's ratio to each library, log scale; right of 1x = Switchboard faster (throughput: Switchboard / "
            + "other; latency and memory: other / Switchboard).");
    legend(svg, 10, 50, JEROMQ_COLOUR, "vs JeroMQ");
    legend(svg, 110, 50, LIBZMQ_COLOUR, "vs libzmq");
    axis(svg, height);
    int y = TOP;
    for (Result result : results) {
      BenchCase c = result.benchCase();
      List<String> metrics = c.metrics();
      for (int i = 0; i < metrics.size(); i++) {
        text(svg, LABEL_WIDTH, y + BAR + 4, "end", "", c.rowLabel(i));
        bar(svg, y, Report.ratioValue(c, result.switchboard(), result.jeromq(), i), JEROMQ_COLOUR);
        bar(svg, y + BAR, Report.ratioValue(c, result.switchboard(), result.libzmq(), i), LIBZMQ_COLOUR);
        y += ROW;
      }
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static void axis(StringBuilder svg, int height) {
    for (double r = MIN_RATIO; r <= MAX_RATIO; r *= 2) {
      double x = x(r);
      String colour = r == 1 ? "#333333" : "#dddddd";
      svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\"/>%n", x,
          TOP - 6, x, height - 30, colour));
      String label = r >= 1 ? String.format(Locale.ROOT, "%.0fx", r) : String.format(Locale.ROOT, "1/%.0fx", 1 / r);
      text(svg, x, TOP - 10, "middle", "fill=\"#555555\"", label);
    }
  }

  private static void bar(StringBuilder svg, int y, double ratio, String colour) {
    if (Double.isNaN(ratio)) {
      return;
    }
    double clamped = Math.max(MIN_RATIO, Math.min(MAX_RATIO, ratio));
    double one = x(1);
    double end = x(clamped);
    svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
        Math.min(one, end), y, Math.max(1, Math.abs(end - one)), BAR - 1, colour));
    String value = String.format(Locale.ROOT, "%.2fx", ratio);
    if (clamped >= 1) {
      text(svg, end + 3, y + BAR - 1, "start", "font-size=\"9\"", value);
    } else {
      text(svg, end - 3, y + BAR - 1, "end", "font-size=\"9\"", value);
    }
  }

  private static void legend(StringBuilder svg, int x, int y, String colour, String label) {
    svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"9\" fill=\"%s\"/>%n", x,
        y - 8, colour));
    text(svg, x + 16, y, "start", "", label);
  }

  private static double x(double ratio) {
    double span = log2(MAX_RATIO) - log2(MIN_RATIO);
    return PLOT_LEFT + PLOT_WIDTH * (log2(ratio) - log2(MIN_RATIO)) / span;
  }

  private static double log2(double v) {
    return Math.log(v) / Math.log(2);
  }

  private static void text(StringBuilder svg, double x, double y, String anchor, String attributes, String text) {
    svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>%s</text>%n", x, y,
        anchor, attributes.isEmpty() ? "" : " " + attributes, escape(text)));
  }

  /** Escapes the five XML special characters. */
  static String escape(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      switch (ch) {
        case '&': sb.append("&amp;"); break;
        case '<': sb.append("&lt;"); break;
        case '>': sb.append("&gt;"); break;
        case '"': sb.append("&quot;"); break;
        case '\'': sb.append("&apos;"); break;
        default: sb.append(ch);
      }
    }
    return sb.toString();
  }
}
