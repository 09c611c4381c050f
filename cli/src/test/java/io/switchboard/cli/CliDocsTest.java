package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * docs/cli.md kept in step with {@code --help}: every command has a section, every option of every command is
 * documented, and every command its help lists in examples exists. A command or option added without its
 * documentation fails here.
 */
class CliDocsTest {
  private static final Path DOC = DocSnippetsTest.root().resolve("docs/cli.md");
  private static final Pattern HEADING = Pattern.compile("^###\\s+(.*)$", Pattern.MULTILINE);

  private static CommandLine commandLine() {
    return Main.commandLine(InputStream.nullInputStream(), new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()), 100);
  }

  private static String doc() throws IOException {
    return Files.readString(DOC, StandardCharsets.UTF_8);
  }

  /** The command names in the doc's {@code ###} headings: {@code `dealer`, `pair`} and {@code `bus emit`} forms. */
  private static List<String> documentedCommands() throws IOException {
    List<String> names = new ArrayList<>();
    Matcher heading = HEADING.matcher(doc());
    while (heading.find()) {
      Matcher code = Pattern.compile("`([a-z][a-z-]*)").matcher(heading.group(1));
      while (code.find()) {
        names.add(code.group(1));
      }
    }
    return names;
  }

  @Test
  void everyCommandInHelpHasASection() throws IOException {
    List<String> documented = documentedCommands();

    assertThat(documented).containsAll(commandLine().getSubcommands().keySet());
  }

  @Test
  void everySectionIsACommand() throws IOException {
    List<String> documented = documentedCommands();
    Map<String, CommandLine> commands = commandLine().getSubcommands();

    assertThat(documented).allMatch(commands::containsKey, "is a switchboard command");
  }

  @TestFactory
  Stream<DynamicTest> everyOptionOfEveryCommandIsDocumented() throws IOException {
    String doc = doc();
    List<DynamicTest> tests = new ArrayList<>();
    walk(commandLine(), command -> {
      for (OptionSpec option : command.getCommandSpec().options()) {
        if (option.usageHelp() || option.versionHelp()) {
          continue;
        }
        String name = option.longestName();
        String where = command.getCommandSpec().qualifiedName() + " " + name;
        tests.add(DynamicTest.dynamicTest(where, () -> assertThat(doc).as("docs/cli.md mentions %s", where)
            .contains("`" + name)));
      }
    });
    return tests.stream();
  }

  @Test
  void theSynopsisListsEveryCommand() throws IOException {
    String doc = doc();
    String synopsis = doc.substring(doc.indexOf("```"), doc.indexOf("```", doc.indexOf("```") + 3));

    for (String name : commandLine().getSubcommands().keySet()) {
      assertThat(synopsis).as("the synopsis").containsPattern("switchboard [a-z|]*\\b" + name + "\\b");
    }
  }

  /** The commands and their subcommands, but not the examples, whose options their own --help and guides give. */
  private static void walk(CommandLine command, java.util.function.Consumer<CommandLine> visit) {
    visit.accept(command);
    if (!command.getCommandName().equals("example")) {
      command.getSubcommands().values().forEach(sub -> walk(sub, visit));
    }
  }

  @Test
  void everyExampleIsNamed() throws IOException {
    String doc = doc();

    for (String name : commandLine().getSubcommands().get("example").getSubcommands().keySet()) {
      assertThat(doc).as("docs/cli.md names the example %s", name).contains("`" + name + "`");
    }
  }
}
