package io.switchboard.gateway;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A service: a name and its commands. Immutable; made with {@link #builder(String)} and run by a {@link ServiceHost}.
 *
 * <pre>{@code
 * Service hello = Service.builder("hello")
 *     .command("greet", payload -> Map.of("greeting", "hello " + payload.path("name").asText("world")))
 *     .build();
 * }</pre>
 *
 * <p>Requests are {@code {"cmd":"greet","payload":{…}}}; answers are {@code {"res":…}} or {@code
 * {"err":"…","kind":"invalid"}}. Every service answers the built-in command {@code status} with {@code
 * {"service":NAME,"status":"ok"}}.
 */
public final class Service {
  /** What a service's and a command's name may hold. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  /** The built-in command every service answers. */
  public static final String STATUS = "status";

  private final String name;
  private final Map<String, Entry> commands;

  /** A command and whether it runs inline, on the thread that received the request. */
  record Entry(Command command, boolean inline) {}

  private Service(Builder b) {
    this.name = b.name;
    this.commands = Collections.unmodifiableMap(new LinkedHashMap<>(b.commands));
  }

  /**
   * A builder for a service of this name.
   *
   * @throws IllegalArgumentException if the name is not 1 to 64 letters, digits, {@code _ . -}
   */
  public static Builder builder(String name) {
    return new Builder(checkName("name", name));
  }

  /** The service's name, which is also its event on the bus. */
  public String name() {
    return name;
  }

  /** The names of its commands, {@code status} first. */
  public Set<String> commands() {
    return commands.keySet();
  }

  Entry command(String cmd) {
    return commands.get(cmd);
  }

  static String checkName(String what, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(what + ": \"" + name
          + "\" (expected: 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit)");
    }
    return name;
  }

  @Override
  public String toString() {
    return "Service[" + name + " " + commands.keySet() + "]";
  }

  /** Builds a {@link Service}. */
  public static final class Builder {
    private final String name;
    private final Map<String, Entry> commands = new LinkedHashMap<>();

    private Builder(String name) {
      this.name = name;
      Map<String, String> status = new LinkedHashMap<>();
      status.put("service", name);
      status.put("status", "ok");
      Map<String, String> answer = Collections.unmodifiableMap(status);
      commands.put(STATUS, new Entry(payload -> answer, true));
    }

    /**
     * Adds a command, run on the host's worker threads: it may block.
     *
     * @throws IllegalArgumentException if the name is invalid, {@code status}, or taken
     */
    public Builder command(String cmd, Command command) {
      return add(cmd, command, false);
    }

    /**
     * Adds a command that runs inline, on the thread that received the request (the bus client's or a TCP
     * connection's I/O thread): quicker, as it skips the hand-off, but it must never block.
     *
     * @throws IllegalArgumentException if the name is invalid, {@code status}, or taken
     */
    public Builder inlineCommand(String cmd, Command command) {
      return add(cmd, command, true);
    }

    private Builder add(String cmd, Command command, boolean inline) {
      checkName("cmd", cmd);
      if (commands.containsKey(cmd)) {
        throw new IllegalArgumentException("cmd: \"" + cmd + "\" (expected: a name not taken; "
            + (cmd.equals(STATUS) ? "status is built in" : "it was added already") + ")");
      }
      commands.put(cmd, new Entry(Objects.requireNonNull(command, "command"), inline));
      return this;
    }

    /** The service. */
    public Service build() {
      return new Service(this);
    }
  }
}
