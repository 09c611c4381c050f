package io.switchboard.gateway;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One route of the gateway: an HTTP method and a path template, and the service command they call. A template is a
 * path whose segments may be variables in braces: {@code /people/{id}/pets}. Immutable.
 *
 * <pre>{@code
 * Route.of("GET /people/pets", "people", "pets")
 * Route.of("DELETE /people/{id}", "people", "remove")     // {"id":"42"} in the payload
 * }</pre>
 */
public final class Route {
  private static final Pattern METHOD = Pattern.compile("[A-Z]{1,16}");
  private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]{0,63})}");
  private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9._~!$&'()*+,;=:@%-]+");

  private final String method;
  private final String path;
  private final String service;
  private final String cmd;
  /** Each segment: a literal, or the name of a variable (in {@link #variables}). */
  private final List<String> segments;
  private final boolean[] variables;

  private Route(String method, String path, String service, String cmd) {
    this.method = method;
    this.path = path;
    this.service = service;
    this.cmd = cmd;
    List<String> parts = new ArrayList<>();
    String[] split = path.equals("/") ? new String[0] : path.substring(1).split("/", -1);
    this.variables = new boolean[split.length];
    for (int i = 0; i < split.length; i++) {
      var m = VARIABLE.matcher(split[i]);
      if (m.matches()) {
        variables[i] = true;
        parts.add(m.group(1));
      } else if (LITERAL.matcher(split[i]).matches()) {
        parts.add(split[i]);
      } else {
        throw new IllegalArgumentException("route: \"" + method + " " + path + "\": segment \"" + split[i]
            + "\" (expected: a literal, or a {variable} of letters, digits and '_')");
      }
    }
    this.segments = Collections.unmodifiableList(parts);
  }

  /**
   * A route from {@code "METHOD /path"} to a service command.
   *
   * @throws IllegalArgumentException if the route, the service or the command is malformed
   */
  public static Route of(String route, String service, String cmd) {
    String r = Objects.requireNonNull(route, "route").trim();
    int space = r.indexOf(' ');
    if (space < 0) {
      throw new IllegalArgumentException("route: \"" + route + "\" (expected: METHOD /path, as \"GET /people\")");
    }
    String method = r.substring(0, space).toUpperCase(Locale.ROOT);
    String path = r.substring(space + 1).trim();
    if (!METHOD.matcher(method).matches()) {
      throw new IllegalArgumentException("route: \"" + route + "\": method \"" + method
          + "\" (expected: an HTTP method such as GET or POST)");
    }
    if (!path.startsWith("/") || path.length() > 1 && path.endsWith("/")) {
      throw new IllegalArgumentException("route: \"" + route + "\": path \"" + path
          + "\" (expected: starting with '/', not ending with one)");
    }
    return new Route(method, path, Service.checkName("service", service), Service.checkName("cmd", cmd));
  }

  /** The HTTP method, upper case. */
  public String method() {
    return method;
  }

  /** The path template. */
  public String path() {
    return path;
  }

  /** The service called. */
  public String service() {
    return service;
  }

  /** The command called. */
  public String cmd() {
    return cmd;
  }

  /**
   * Matches a decoded request path against the template.
   *
   * @param into gets the variables' values when it matches
   * @return whether it matches
   */
  public boolean matches(List<String> pathSegments, Map<String, String> into) {
    if (pathSegments.size() != segments.size()) {
      return false;
    }
    for (int i = 0; i < segments.size(); i++) {
      if (!variables[i] && !segments.get(i).equals(pathSegments.get(i))) {
        return false;
      }
    }
    for (int i = 0; i < segments.size(); i++) {
      if (variables[i]) {
        into.put(segments.get(i), pathSegments.get(i));
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Route r && r.method.equals(method) && r.path.equals(path) && r.service.equals(service)
        && r.cmd.equals(cmd);
  }

  @Override
  public int hashCode() {
    return Objects.hash(method, path, service, cmd);
  }

  @Override
  public String toString() {
    return method + " " + path + " -> " + service + "." + cmd;
  }
}
