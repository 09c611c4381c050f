package io.switchboard.bus;

/**
 * A configuration that cannot be used. The message names the source (a file name), the key (a dotted path such as
 * {@code channels.A.propagateToChannels}) and what was expected, e.g. {@code config.json: channels.A.trace: expected
 * true or false, got "yes"}.
 */
public final class ConfigException extends BusException {
  private static final long serialVersionUID = 1L;

  /** An error in {@code source} at {@code key}. */
  public ConfigException(String source, String key, String problem) {
    super(source + ": " + (key.isEmpty() ? "" : key + ": ") + problem);
  }

  /** An error in {@code source} with a cause, such as a JSON syntax error. */
  public ConfigException(String source, String problem, Throwable cause) {
    super(source + ": " + problem, cause);
  }
}
