package io.switchboard.cli;

import io.switchboard.examples.ExamplesCommand;
import picocli.CommandLine.Command;

/**
 * {@code switchboard example [NAME [ARGS]]}: the examples module's command ({@link ExamplesCommand}) mounted here;
 * without a name it lists the examples. The examples are ports of the seed documents' Node.js programs.
 */
@Command(name = "example", versionProvider = Main.Version.class)
final class ExampleCommand extends ExamplesCommand {}
