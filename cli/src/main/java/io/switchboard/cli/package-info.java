/**
 * The {@code switchboard} command: the bus node and its clients ({@code node}, {@code bus}, {@code ctl}), one
 * subcommand per socket type ({@code pub}, {@code sub}, {@code push}, {@code pull}, {@code req}, {@code rep},
 * {@code dealer}, {@code router}, {@code pair}, {@code xpub}, {@code xsub}) that turns standard input records into
 * messages and messages into standard output records, the devices ({@code proxy}, {@code cluster}), and {@code
 * example}, {@code keygen}, {@code bench}, {@code completion}, {@code version}.
 *
 * <p>{@link io.switchboard.cli.Main} is the entry point and the one place where commands are registered; everything
 * else is package-private. The conventions every command keeps live in one small class each: {@link
 * io.switchboard.cli.ExitStatus}, {@link io.switchboard.cli.Errors} (one-line errors, "did you mean"), {@link
 * io.switchboard.cli.HelpLayout} (help wrapped to the terminal, examples never), {@link
 * io.switchboard.cli.Stopping} (a clean close on Ctrl-C and SIGTERM). docs/cli.md is the user's guide, kept in step
 * with the commands by {@code CliDocsTest}.
 */
package io.switchboard.cli;
