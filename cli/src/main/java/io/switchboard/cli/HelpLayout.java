package io.switchboard.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine;

/**
 * Help laid out for the terminal it is read on: prose wraps at the terminal's width (the {@code COLUMNS}
 * environment variable if set, else what the terminal reports, else 80 columns); example lines (footer lines that
 * start with a blank) are never wrapped, so a copied command is whole. {@link Main} applies it to every command.
 */
final class HelpLayout {
  /** The narrowest layout (the synopsis of a socket command needs 65 columns) and the widest; wider terminals still get 120 columns, which read better than 200. */
  static final int MIN_WIDTH = 70;
  static final int MAX_WIDTH = 120;

  private HelpLayout() {}

  /** Lays out {@code commandLine}'s help, and its subcommands', for a terminal {@code columns} wide (0: ask it). */
  static void apply(CommandLine commandLine, int columns) {
    if (columns > 0) {
      commandLine.setUsageHelpWidth(Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, columns)));
    } else {
      commandLine.setUsageHelpAutoWidth(true);
    }
    apply(commandLine);
  }

  private static void apply(CommandLine commandLine) {
    Map<String, IHelpSectionRenderer> sections = commandLine.getHelpSectionMap();
    sections.put(UsageMessageSpec.SECTION_KEY_FOOTER, HelpLayout::footer);
    commandLine.setHelpSectionMap(sections);
    commandLine.getSubcommands().values().forEach(HelpLayout::apply);
  }

  /** The columns given by the {@code COLUMNS} environment variable, or 0. */
  static int columnsFromEnvironment() {
    String columns = System.getenv("COLUMNS");
    try {
      return columns == null ? 0 : Integer.parseInt(columns.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The footer: examples as they are, other lines wrapped. */
  static String footer(Help help) {
    String[] footer = help.commandSpec().usageMessage().footer();
    if (footer.length == 0) {
      return "";
    }
    int width = help.commandSpec().usageMessage().width();
    StringBuilder text = new StringBuilder();
    for (String line : footer) {
      for (String part : String.format(line).split("\\R", -1)) {
        if (part.startsWith(" ") || part.isEmpty()) {
          text.append(part).append(System.lineSeparator());
        } else {
          wrap(part, width).forEach(l -> text.append(l).append(System.lineSeparator()));
        }
      }
    }
    return text.toString();
  }

  /** A line of prose in lines of at most {@code width} characters, broken at spaces. */
  static List<String> wrap(String line, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String word : line.split(" ")) {
      if (current.length() > 0 && current.length() + 1 + word.length() > width) {
        lines.add(current.toString());
        current.setLength(0);
      }
      if (current.length() > 0) {
        current.append(' ');
      }
      current.append(word);
    }
    lines.add(current.toString());
    return lines;
  }
}
