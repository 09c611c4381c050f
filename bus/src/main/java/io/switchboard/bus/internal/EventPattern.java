package io.switchboard.bus.internal;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A listener's event pattern: an exact name; NATS-style wildcards on dot-separated tokens ({@code *} one token,
 * {@code >} one or more at the end); or, between slashes, a regular expression searched in the name ({@code /^log/}).
 */
public abstract class EventPattern {
  private final String text;

  private EventPattern(String text) {
    this.text = text;
  }

  /**
   * Compiles a pattern.
   *
   * @throws IllegalArgumentException if it is empty, an invalid regular expression, or puts {@code >} before the end
   */
  public static EventPattern compile(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("event pattern: empty (expected a name, a wildcard or /regex/)");
    }
    if (text.length() >= 2 && text.startsWith("/") && text.endsWith("/")) {
      try {
        Pattern regex = Pattern.compile(text.substring(1, text.length() - 1));
        return new EventPattern(text) {
          @Override public boolean matches(String event) {
            return regex.matcher(event).find();
          }
        };
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("event pattern " + text + ": " + e.getDescription(), e);
      }
    }
    String[] tokens = text.split("\\.", -1);
    boolean wild = false;
    for (int i = 0; i < tokens.length; i++) {
      if (tokens[i].equals(">") && i != tokens.length - 1) {
        throw new IllegalArgumentException("event pattern " + text + ": '>' must be the last token");
      }
      wild |= tokens[i].equals("*") || tokens[i].equals(">");
    }
    if (!wild) {
      return new EventPattern(text) {
        @Override public boolean matches(String event) {
          return text.equals(event);
        }
      };
    }
    return new EventPattern(text) {
      @Override public boolean matches(String event) {
        return wildcardMatch(tokens, event);
      }
    };
  }

  private static boolean wildcardMatch(String[] tokens, String event) {
    int start = 0;
    for (int i = 0; i < tokens.length; i++) {
      if (start > event.length()) {
        return false;
      }
      if (tokens[i].equals(">")) {
        return start < event.length();
      }
      int end = event.indexOf('.', start);
      if (end < 0) {
        end = event.length();
      }
      if (!tokens[i].equals("*") && !event.regionMatches(start, tokens[i], 0, tokens[i].length())
          || !tokens[i].equals("*") && tokens[i].length() != end - start
          || tokens[i].equals("*") && end == start) {
        return false;
      }
      start = end + 1;
    }
    return start == event.length() + 1;
  }

  /** Whether an event name matches. */
  public abstract boolean matches(String event);

  @Override
  public String toString() {
    return text;
  }
}
