package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code switchboard completion}: a bash and zsh completion script for the commands and their options. */
class CompletionCommandTest {
  private static final List<String> COMMANDS = List.of("pub", "sub", "xpub", "xsub", "push", "pull", "req", "rep",
      "dealer", "router", "pair", "proxy", "cluster", "example", "keygen", "version", "completion");

  @Test
  void printsAScriptThatNamesEveryCommand() {
    RunningCli cli = RunningCli.run("", "completion");

    assertThat(cli.exitCode()).isZero();
    String script = String.join("\n", cli.lines());
    assertThat(script).startsWith("#!").contains("complete -F", "bashcompinit", "--bind", "--connect", "--json");
    for (String command : COMMANDS) {
      assertThat(script).as("the script completes %s", command).containsPattern("\\b" + command + "\\b");
    }
    assertThat(cli.errLines()).isEmpty();
  }

  @Test
  void bashCompletesCommandsAndOptions(@TempDir Path dir) throws Exception {
    Path bash = Path.of("/bin/bash");
    assumeThat(Files.isExecutable(bash)).as("bash is installed").isTrue();
    Path script = dir.resolve("switchboard.bash");
    Files.writeString(script, String.join("\n", RunningCli.run("", "completion").lines()) + "\n");

    assertThat(complete(bash, script, "switchboard pu")).containsExactlyInAnyOrder("pub", "push", "pull");
    assertThat(complete(bash, script, "switchboard pull --co")).contains("--connect", "--count");
  }

  /** What bash, with the script loaded, offers for the last word of {@code line}. */
  private static List<String> complete(Path bash, Path script, String line) throws IOException, InterruptedException {
    String words = line.endsWith(" ") ? line + "''" : line;
    String program = "source " + script + "\n"
        + "COMP_WORDS=(" + words + "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE='" + line + "'; "
        + "COMP_POINT=${#COMP_LINE}\n"
        + "_complete_switchboard switchboard\n"
        + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
    Process process = new ProcessBuilder(bash.toString(), "--norc", "--noprofile", "-c", program)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .directory(new File(System.getProperty("java.io.tmpdir")))
        .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("bash finished").isTrue();
    return out.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}
