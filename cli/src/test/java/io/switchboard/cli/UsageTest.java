package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;

/** Help, version and usage errors: exit status 2 and one line on standard error. */
class UsageTest {
  @ParameterizedTest
  @ValueSource(strings = {"pub", "sub", "xpub", "xsub", "push", "pull", "req", "rep", "dealer", "router", "pair"})
  void everySocketCommandHasHelpWithExamples(String command) {
    RunningCli cli = RunningCli.run("", command, "--help");

    assertThat(cli.exitCode()).isZero();
    assertThat(String.join("\n", cli.lines()))
        .contains("Usage: switchboard " + command + " ")
        .contains("(--bind=EP | --connect=EP)...")
        .contains("--count", "--timeout", "--linger")
        .contains("--curve-server", "--curve-allow", "--curve-client", "--curve-serverkey")
        .contains("--plain-user", "--plain-password", "--plain-server")
        .contains("Examples:", "switchboard " + command + " --")
        .contains("Exit status: 0 done, 1 failure (its cause on stderr), 2 bad usage;");
  }

  @Test
  void topLevelHelpListsTheCommands() {
    RunningCli cli = RunningCli.run("", "--help");

    assertThat(cli.exitCode()).isZero();
    assertThat(String.join("\n", cli.lines()))
        .contains("pub", "sub", "xpub", "xsub", "push", "pull", "req", "rep", "dealer", "router", "pair", "keygen",
            "version")
        .contains("Examples:");
  }

  @Test
  void helpIsInColourOnlyOnATerminal() {
    CommandLine commandLine = Main.commandLine(InputStream.nullInputStream(), new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()));

    // AUTO: colour when standard output is a terminal, never with NO_COLOR set; the tests' output is no terminal.
    assertThat(commandLine.getColorScheme().ansi()).isEqualTo(Help.Ansi.AUTO);
    assertThat(commandLine.getSubcommands().get("pull").getColorScheme().ansi()).isEqualTo(Help.Ansi.AUTO);
    RunningCli cli = RunningCli.run("", "pull", "--help");
    assertThat(cli.exitCode()).isZero();
    assertThat(String.join("\n", cli.lines())).doesNotContain("\u001b[");
  }

  @Test
  void versionPrintsTheBuildVersion() {
    RunningCli cli = RunningCli.run("", "version");

    assertThat(cli.exitCode()).isZero();
    assertThat(cli.lines()).singleElement().asString().matches("switchboard \\d+\\.\\d+\\.\\d+.*");
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "pull --connect foo://bar",
    "pull --connect tcp://127.0.0.1",
    "push --bind tcp://127.0.0.1:99999",
    "pull --connect tcp://127.0.0.1:5555 --bogus",
    "pull --bogus --connect tcp://127.0.0.1:5555",
    "pull",
    "pull --bind",
    "pull --connect tcp://127.0.0.1:5555 --timeout 5x",
    "pull --connect tcp://127.0.0.1:5555 -n 0",
    "pull --connect tcp://127.0.0.1:5555 -n many",
    "sub --connect tcp://127.0.0.1:5555 --echo",
    "frobnicate",
    ""
  })
  void badUsageExitsWithStatusTwoAndOneLineOnStandardError(String commandLine) {
    String[] args = commandLine.isEmpty() ? new String[0] : commandLine.split(" ");

    RunningCli cli = RunningCli.run("", args);

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.errLines()).singleElement().asString().startsWith("switchboard");
    assertThat(cli.lines()).isEmpty();
  }

  @Test
  void aBadEndpointSaysWhatWasExpected() {
    RunningCli cli = RunningCli.run("", "pull", "--connect", "foo://bar");

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.errLines()).singleElement().asString()
        .startsWith("switchboard pull: --connect: endpoint: foo://bar (expected: ");
  }

  @Test
  void anUnknownOptionIsNamed() {
    RunningCli cli = RunningCli.run("", "push", "--connect", "tcp://127.0.0.1:5555", "--bogus");

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.errLines()).containsExactly(
        "switchboard push: unknown option --bogus; see 'switchboard push --help'");
  }

  @Test
  void eachCommandIsBuiltAloneUnderTheRoot() {
    for (Class<?> command : Main.class.getAnnotation(Command.class).subcommands()) {
      String name = command.getAnnotation(Command.class).name();
      if (name.equals("completion")) {
        continue; // writes a script for every command, so it has them all
      }
      CommandLine commandLine = Main.forCommand(InputStream.nullInputStream(), name, "--help");

      assertThat(commandLine.getCommandName()).isEqualTo("switchboard");
      assertThat(commandLine.getSubcommands()).as(name).containsOnlyKeys(name);
      assertThat(commandLine.getSubcommands().get(name).<Object>getCommand()).as(name).isInstanceOf(command);
    }
    assertThat(Main.forCommand(InputStream.nullInputStream(), "frob").getSubcommands()).containsKeys("push", "pull");
  }
}
