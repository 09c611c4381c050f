package io.switchboard.socket;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A parsed endpoint: {@code tcp://host:port}, {@code ipc:///path} or {@code inproc://name}.
 *
 * <ul>
 *   <li>{@code tcp://HOST:PORT}: HOST is a name, an IPv4 address, {@code [IPv6]}, or {@code *} (every interface, for
 *       bind); PORT is 1 to 65535, or {@code *} or {@code 0} for an ephemeral port when binding.
 *   <li>{@code ipc://PATH}: a Unix domain socket at PATH, absolute ({@code ipc:///tmp/x.ipc}) or relative to the
 *       working directory ({@code ipc://filer-dealer.ipc}), the same file libzmq uses; {@code ipc://*} binds a fresh
 *       file in the temporary directory.
 *   <li>{@code inproc://NAME}: within one {@link Context}; messages pass by reference.
 * </ul>
 *
 * @param transport the transport
 * @param host the host for tcp ({@code *} for every interface), otherwise null
 * @param port the port for tcp (0 for ephemeral), otherwise 0
 * @param path the socket file for ipc, or the name for inproc; otherwise null
 */
public record Endpoint(Transport transport, String host, int port, String path) {
  /** The transports. */
  public enum Transport { TCP, IPC, INPROC }

  /** Checks the fields. */
  public Endpoint {
    Objects.requireNonNull(transport, "transport");
  }

  /**
   * Parses an endpoint.
   *
   * @throws EndpointException if it is malformed, with a message that says what was expected
   */
  public static Endpoint parse(String endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    int sep = endpoint.indexOf("://");
    if (sep < 0) {
      throw bad(endpoint, "transport://address, for example tcp://127.0.0.1:5555");
    }
    String scheme = endpoint.substring(0, sep);
    String address = endpoint.substring(sep + 3);
    switch (scheme) {
      case "tcp":
        return parseTcp(endpoint, address);
      case "ipc":
        if (address.isEmpty()) {
          throw bad(endpoint, "ipc:///path or ipc://relative/path");
        }
        if (address.startsWith("@")) {
          throw bad(endpoint, "a file path; abstract ipc names are not supported");
        }
        return new Endpoint(Transport.IPC, null, 0, address);
      case "inproc":
        if (address.isEmpty()) {
          throw bad(endpoint, "inproc://name");
        }
        return new Endpoint(Transport.INPROC, null, 0, address);
      default:
        throw bad(endpoint, "transport tcp, ipc or inproc");
    }
  }

  private static Endpoint parseTcp(String endpoint, String address) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      throw bad(endpoint, "tcp://host:port");
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw bad(endpoint, "an IPv6 address in brackets, as tcp://[::1]:5555");
    }
    if (host.isEmpty()) {
      throw bad(endpoint, "a host before the port");
    }
    String portText = address.substring(colon + 1);
    int port;
    if (portText.equals("*")) {
      port = 0;
    } else {
      try {
        port = Integer.parseInt(portText);
      } catch (NumberFormatException e) {
        throw bad(endpoint, "a port number from 1 to 65535, or * to bind an ephemeral port");
      }
      if (port < 0 || port > 65535) {
        throw bad(endpoint, "a port number from 1 to 65535, or * to bind an ephemeral port");
      }
    }
    return new Endpoint(Transport.TCP, host, port, null);
  }

  private static EndpointException bad(String endpoint, String expected) {
    return new EndpointException("endpoint: " + endpoint + " (expected: " + expected + ")");
  }

  /** Whether this tcp endpoint names every interface. */
  public boolean isWildcardHost() {
    return "*".equals(host);
  }

  /** The ipc socket file. */
  public Path ipcPath() {
    return Path.of(path);
  }

  @Override
  public String toString() {
    switch (transport) {
      case TCP:
        return "tcp://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + (port == 0 ? "*" : port);
      case IPC:
        return "ipc://" + path;
      default:
        return "inproc://" + path;
    }
  }
}
