package io.switchboard.cli;

import java.io.PrintWriter;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard completion}: prints a completion script for bash and zsh (picocli's {@link AutoComplete}), which
 * completes the commands and their options.
 */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Print a bash and zsh completion script for switchboard's commands and options.",
      "Load it in the current shell with source <(switchboard completion); in zsh it enables bashcompinit itself."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  source <(switchboard completion)",
      "  switchboard completion > ~/.local/share/bash-completion/completions/switchboard",
      "  echo 'source <(switchboard completion)' >> ~/.zshrc"
    })
final class CompletionCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    out.print(AutoComplete.bash(spec.parent().name(), spec.parent().commandLine()));
    out.flush();
  }
}
