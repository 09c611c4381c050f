package io.switchboard.zmtp;

import java.util.Objects;

/**
 * Which security mechanism a connection uses, and in which role, with its credentials. Immutable; each connection
 * runs its own state machine made from it.
 *
 * <pre>
 *   NULL   (RFC 23)  no security; an optional authenticator checks the peer's address
 *   PLAIN  (RFC 24)  user name and password in clear text; for trusted networks or under TLS/VPN
 *   CURVE  (RFC 26)  CurveZMQ: X25519 key exchange, every frame encrypted and authenticated
 * </pre>
 */
public sealed interface ZmtpSecurity {
  /** No security, no authentication: the default. */
  ZmtpSecurity NULL = new Null(null);

  /** The mechanism's name as it appears in the greeting. */
  String mechanism();

  /** Whether we announce ourselves as server (as-server = 1) in the greeting. */
  boolean asServer();

  /** NULL, with an optional authenticator that sees only the peer's address. */
  record Null(ZmtpAuthenticator authenticator) implements ZmtpSecurity {
    @Override public String mechanism() {
      return "NULL";
    }

    @Override public boolean asServer() {
      return false;
    }
  }

  /** The client side of PLAIN: sends a user name and password of at most 255 octets each. */
  record PlainClient(String username, byte[] password) implements ZmtpSecurity {
    /** Checks and copies the credentials. */
    public PlainClient {
      Objects.requireNonNull(username, "username");
      password = Objects.requireNonNull(password, "password").clone();
      if (username.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
        throw new IllegalArgumentException("username: " + username.length() + " characters (expected: at most "
            + "255 octets)");
      }
      if (password.length > 255) {
        throw new IllegalArgumentException("password: " + password.length + " octets (expected: at most 255)");
      }
    }

    @Override public byte[] password() {
      return password.clone();
    }

    @Override public String mechanism() {
      return "PLAIN";
    }

    @Override public boolean asServer() {
      return false;
    }
  }

  /** The server side of PLAIN: every HELLO goes to the authenticator. */
  record PlainServer(ZmtpAuthenticator authenticator) implements ZmtpSecurity {
    /** Checks the authenticator. */
    public PlainServer {
      Objects.requireNonNull(authenticator, "authenticator");
    }

    @Override public String mechanism() {
      return "PLAIN";
    }

    @Override public boolean asServer() {
      return true;
    }
  }

  /** The client side of CURVE: our long-term key pair and the server's public key, 32 octets each. */
  record CurveClient(byte[] publicKey, byte[] secretKey, byte[] serverKey) implements ZmtpSecurity {
    /** Checks and copies the keys. */
    public CurveClient {
      publicKey = key("publicKey", publicKey);
      secretKey = key("secretKey", secretKey);
      serverKey = key("serverKey", serverKey);
    }

    @Override public byte[] publicKey() {
      return publicKey.clone();
    }

    @Override public byte[] secretKey() {
      return secretKey.clone();
    }

    @Override public byte[] serverKey() {
      return serverKey.clone();
    }

    @Override public String mechanism() {
      return "CURVE";
    }

    @Override public boolean asServer() {
      return false;
    }

    @Override public String toString() {
      return "CurveClient[secret key hidden]";
    }
  }

  /**
   * The server side of CURVE: our long-term key pair and an authenticator for client keys; a {@code null}
   * authenticator accepts every client that proves it holds its key (libzmq without a ZAP handler does the same).
   */
  record CurveServer(byte[] publicKey, byte[] secretKey, ZmtpAuthenticator authenticator) implements ZmtpSecurity {
    /** Checks and copies the keys. */
    public CurveServer {
      publicKey = key("publicKey", publicKey);
      secretKey = key("secretKey", secretKey);
    }

    @Override public byte[] publicKey() {
      return publicKey.clone();
    }

    @Override public byte[] secretKey() {
      return secretKey.clone();
    }

    @Override public String mechanism() {
      return "CURVE";
    }

    @Override public boolean asServer() {
      return true;
    }

    @Override public String toString() {
      return "CurveServer[secret key hidden]";
    }
  }

  private static byte[] key(String name, byte[] key) {
    Objects.requireNonNull(key, name);
    if (key.length != ZmtpCurveBox.KEY_LENGTH) {
      throw new IllegalArgumentException(name + ": " + key.length + " octets (expected: 32)");
    }
    return key.clone();
  }
}
