package io.switchboard.cli;

/**
 * The exit statuses every {@code switchboard} command keeps, and the help lines that state them. A new command
 * puts {@link #HELP} (or {@link #HELP_UNTIL_STOPPED}, if it runs until stopped) last in its help footer and throws
 * {@link SocketCommand.CommandFailedException} for a failure, {@code picocli.CommandLine.ParameterException} for
 * bad usage; {@link Errors} turns both into one line on standard error and the status below.
 *
 * <table>
 *   <caption>Exit statuses</caption>
 *   <tr><td>0</td><td>done: input sent and delivered (or, where the pattern cannot know, handed to a connected
 *       peer), {@code --count} reached, help, version</td></tr>
 *   <tr><td>1</td><td>a failure, its cause on standard error: refused, unreachable, authentication failed,
 *       timed out, nothing delivered</td></tr>
 *   <tr><td>2</td><td>bad usage: an unknown command or option, a malformed value, an endpoint that cannot be
 *       bound, files or keys that cannot be used</td></tr>
 *   <tr><td>130, 143</td><td>stopped by Ctrl-C (SIGINT) or SIGTERM, after closing cleanly ({@link
 *       Stopping})</td></tr>
 * </table>
 */
final class ExitStatus {
  /** Done. */
  static final int OK = 0;
  /** A failure while running, with its cause on standard error. */
  static final int FAILURE = 1;
  /** Bad usage. */
  static final int USAGE = 2;
  /** Stopped by SIGINT (Ctrl-C): 128 + 2, the shell's convention. */
  static final int SIGINT = 130;
  /** Stopped by SIGTERM: 128 + 15. */
  static final int SIGTERM = 143;

  /** The last line of a command's help: its exit statuses. */
  static final String HELP = "%nExit status: 0 done, 1 failure (its cause on stderr), 2 bad usage; "
      + "130 or 143 when stopped by Ctrl-C or SIGTERM.";

  /** The last line of the help of a command that runs until it is stopped (a server, a proxy). */
  static final String HELP_UNTIL_STOPPED = "%nExit status: 130 or 143 when stopped by Ctrl-C or SIGTERM (after a "
      + "clean close), 1 failure (its cause on stderr), 2 bad usage.";

  /** The durations line, for commands that take one. */
  static final String DURATIONS = "%nDurations: 500ms, 5s, 2m, 1h.";

  private ExitStatus() {}
}
