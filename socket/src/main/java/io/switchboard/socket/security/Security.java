package io.switchboard.socket.security;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A socket's security, as one value: a mechanism (NULL, PLAIN or CURVE: RFC 23, 24 and 26) in a role (client or
 * server), with what that role needs. Give it to {@link io.switchboard.socket.SocketOptions.Builder#security}, or use
 * the builder's shorthands ({@code plainClient}, {@code plainServer}, {@code curveClient}, {@code curveServer}).
 * Servers, and NULL sockets, may have a {@link ZapHandler} that admits or refuses each peer.
 */
public sealed interface Security {
  /** NULL security without an authenticator: the default. */
  Security NULL = new Null(null);

  /** The mechanism's name on the wire: "NULL", "PLAIN" or "CURVE". */
  String mechanism();

  /** Whether this is the server role of PLAIN or CURVE; false for NULL. */
  default boolean isServer() {
    return false;
  }

  /** The handler that admits peers, or {@code null} (clients have none). */
  default ZapHandler authenticator() {
    return null;
  }

  /**
   * No security (RFC 23).
   *
   * @param authenticator admits or refuses peers by address, or {@code null} to admit any
   */
  record Null(ZapHandler authenticator) implements Security {
    @Override
    public String mechanism() {
      return "NULL";
    }
  }

  /**
   * A PLAIN client (RFC 24): a user name and password, sent in clear text.
   *
   * @param username at most 255 octets of UTF-8
   * @param password at most 255 octets
   */
  record PlainClient(String username, byte[] password) implements Security {
    /** Checks the lengths and keeps a copy of the password. */
    public PlainClient {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
      checkLength("plainClient username", username.getBytes(StandardCharsets.UTF_8).length);
      checkLength("plainClient password", password.length);
      password = password.clone();
    }

    /** A client with a password in UTF-8. */
    public PlainClient(String username, String password) {
      this(username, Objects.requireNonNull(password, "password").getBytes(StandardCharsets.UTF_8));
    }

    /** The password's octets (a copy). */
    @Override
    public byte[] password() {
      return password.clone();
    }

    @Override
    public String mechanism() {
      return "PLAIN";
    }

    private static void checkLength(String name, int octets) {
      if (octets > 255) {
        throw new IllegalArgumentException(name + ": " + octets + " octets (expected: at most 255)");
      }
    }
  }

  /**
   * A PLAIN server (RFC 24).
   *
   * @param authenticator checks each client's user name and password
   */
  record PlainServer(ZapHandler authenticator) implements Security {
    /** Requires the authenticator: a PLAIN server without one could admit no one. */
    public PlainServer {
      Objects.requireNonNull(authenticator, "authenticator");
    }

    @Override
    public String mechanism() {
      return "PLAIN";
    }

    @Override
    public boolean isServer() {
      return true;
    }
  }

  /**
   * A CURVE client (RFC 26).
   *
   * @param keyPair the client's long-term key pair
   * @param serverKey the only server public key it trusts (32 octets)
   */
  record CurveClient(CurveKeyPair keyPair, byte[] serverKey) implements Security {
    /** Checks the server key's length and keeps a copy. */
    public CurveClient {
      Objects.requireNonNull(keyPair, "keyPair");
      Objects.requireNonNull(serverKey, "serverKey");
      CurveKeyPair.checkLength("serverKey", serverKey);
      serverKey = serverKey.clone();
    }

    /** The server public key (a copy). */
    @Override
    public byte[] serverKey() {
      return serverKey.clone();
    }

    @Override
    public String mechanism() {
      return "CURVE";
    }
  }

  /**
   * A CURVE server (RFC 26).
   *
   * @param keyPair the server's long-term key pair
   * @param authenticator admits or refuses client keys and addresses; {@code null} admits any client that completes
   *     the handshake (it still needs the server's public key), as libzmq does without a ZAP handler
   */
  record CurveServer(CurveKeyPair keyPair, ZapHandler authenticator) implements Security {
    /** Requires the key pair. */
    public CurveServer {
      Objects.requireNonNull(keyPair, "keyPair");
    }

    @Override
    public String mechanism() {
      return "CURVE";
    }

    @Override
    public boolean isServer() {
      return true;
    }
  }
}
