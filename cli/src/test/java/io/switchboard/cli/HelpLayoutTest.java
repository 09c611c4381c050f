package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** Help wraps its prose at the terminal's width and never breaks an example. */
class HelpLayoutTest {
  private static String help(int columns, String... command) {
    StringWriter out = new StringWriter();
    CommandLine root = Main.commandLine(InputStream.nullInputStream(), new PrintWriter(out), new PrintWriter(out),
        columns);
    CommandLine target = root;
    for (String name : command) {
      target = target.getSubcommands().get(name);
    }
    return target.getUsageMessage(CommandLine.Help.Ansi.OFF);
  }

  @ParameterizedTest
  @ValueSource(ints = {70, 80, 100, 120})
  void everyCommandsExamplesAreWholeAndItsProseFitsTheWidth(int columns) {
    CommandLine root = Main.commandLine(InputStream.nullInputStream(), new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()), columns);
    for (String name : root.getSubcommands().keySet()) {
      String help = help(columns, name);
      CommandLine command = root.getSubcommands().get(name);
      for (String footer : command.getCommandSpec().usageMessage().footer()) {
        for (String line : String.format(footer).split("\\R")) {
          if (line.startsWith("  ")) {
            assertThat(help).as("%s --help at %d columns", name, columns).contains(line + System.lineSeparator());
          }
        }
      }
      List<String> lines = Arrays.asList(help.split("\\R"));
      lines.stream()
          .filter(l -> !isExample(command, l))
          .forEach(l -> assertThat(l.length()).as("%s --help at %d columns: %s", name, columns, l)
              .isLessThanOrEqualTo(columns));
    }
  }

  private static boolean isExample(CommandLine command, String line) {
    return Arrays.stream(command.getCommandSpec().usageMessage().footer())
        .flatMap(f -> Arrays.stream(String.format(f).split("\\R")))
        .anyMatch(f -> f.startsWith("  ") && f.equals(line));
  }

  @ParameterizedTest
  @ValueSource(ints = {70, 120})
  void aWiderTerminalGetsLongerLines(int columns) {
    String help = help(columns, "proxy");

    int longest = Arrays.stream(help.split("\\R")).filter(l -> !l.startsWith("  switchboard"))
        .mapToInt(String::length).max().orElse(0);
    assertThat(longest).isLessThanOrEqualTo(columns).isGreaterThan(columns - 15);
  }
}
