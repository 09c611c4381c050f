package io.switchboard.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code switchboard version}: prints the version. */
@Command(
    name = "version",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Print the version and exit.",
    footerHeading = "%nExamples:%n",
    footer = {"  switchboard version"})
final class VersionCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().getOut().println(new Main.Version().getVersion()[0]);
  }
}
