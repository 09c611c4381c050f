/**
 * The {@code switchboard} command: one subcommand per socket type ({@code pub}, {@code sub}, {@code push}, {@code
 * pull}, {@code req}, {@code rep}, {@code dealer}, {@code router}, {@code pair}, {@code xpub}, {@code xsub}) that
 * turns standard input lines into messages and messages into standard output lines, plus {@code version}.
 *
 * <p>{@link io.switchboard.cli.Main} is the entry point; everything else is package-private. docs/cli.md is the
 * user's guide.
 */
package io.switchboard.cli;
