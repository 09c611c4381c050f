package io.switchboard.socket.security;

import io.switchboard.zmtp.ZmtpAuthenticationException;
import io.switchboard.zmtp.ZmtpAuthenticator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Admits or refuses peers on the server side of a handshake, in the spirit of ZAP (RFC 27) and czmq's zauth, but
 * answered in process on the I/O thread: no ZAP socket, no extra round trip.
 *
 * <ul>
 *   <li>Addresses: if any address is allowed, every other address is refused; otherwise denied addresses are
 *       refused. Applies to every mechanism, NULL included.
 *   <li>PLAIN: user names and passwords, given one by one or read from a file of {@code user:password} lines
 *       ({@code #} starts a comment). The User-Id is the user name.
 *   <li>CURVE: client public keys from an allow list or a directory of certificates ({@code *.key}), or any key with
 *       {@link Builder#curveAllowAny()}. The User-Id is the client key in Z85.
 * </ul>
 *
 * <p>Thread-safe: the rules are immutable snapshots; {@link #reload()} rereads the users file and the certificate
 * directory and swaps the new snapshot in, so connections in progress are never blocked. Every refusal is counted
 * ({@link #refusedCount()}) and shows as a {@code HANDSHAKE_FAILED} monitor event on the server socket, whose detail
 * says who was refused and why; the peer only receives ERROR "400".
 */
public final class Authenticator implements ZmtpAuthenticator {
  private final Set<String> allowed;
  private final Set<String> denied;
  private final Map<String, byte[]> users;
  private final Path usersFile;
  private final Set<ByteBuffer> curveKeys;
  private final Path certificateDirectory;
  private final boolean curveAllowAny;
  private volatile Snapshot snapshot;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();

  private record Snapshot(Map<String, byte[]> users, Set<ByteBuffer> curveKeys) {}

  private Authenticator(Builder b) {
    allowed = Set.copyOf(b.allowed);
    denied = Set.copyOf(b.denied);
    users = Map.copyOf(b.users);
    usersFile = b.usersFile;
    curveKeys = Set.copyOf(b.curveKeys);
    certificateDirectory = b.certificateDirectory;
    curveAllowAny = b.curveAllowAny;
    reload();
  }

  /** A builder that allows nothing until told. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Rereads the users file and the certificate directory, if any; on failure the previous rules stay.
   *
   * @throws UncheckedIOException if a file cannot be read
   * @throws IllegalArgumentException if a file is malformed
   */
  public void reload() {
    Map<String, byte[]> u = new HashMap<>(users);
    if (usersFile != null) {
      u.putAll(readUsers(usersFile));
    }
    Set<ByteBuffer> k = new HashSet<>(curveKeys);
    if (certificateDirectory != null) {
      for (CurveCertificate c : CurveCertificate.loadDirectory(certificateDirectory)) {
        k.add(ByteBuffer.wrap(c.publicKey()));
      }
    }
    snapshot = new Snapshot(Collections.unmodifiableMap(u), Collections.unmodifiableSet(k));
  }

  /** How many peers this authenticator has refused. */
  public long refusedCount() {
    return refused.get();
  }

  /** How many peers this authenticator has admitted. */
  public long acceptedCount() {
    return accepted.get();
  }

  /**
   * Decides on one peer; called by the handshake on the I/O thread.
   *
   * @throws ZmtpAuthenticationException if the peer is refused
   */
  @Override
  public String authenticate(Request request) {
    String address = host(request.address());
    try {
      String userId = decide(request, address);
      accepted.incrementAndGet();
      return userId;
    } catch (ZmtpAuthenticationException e) {
      refused.incrementAndGet();
      throw e;
    }
  }

  private String decide(Request request, String address) {
    String from = " (from " + address + ")";
    if (!allowed.isEmpty() && !allowed.contains(address)) {
      throw new ZmtpAuthenticationException("address " + address + " is not on the allow list");
    }
    if (allowed.isEmpty() && denied.contains(address)) {
      throw new ZmtpAuthenticationException("address " + address + " is on the deny list");
    }
    Snapshot s = snapshot;
    switch (request.mechanism()) {
      case "PLAIN": {
        byte[] expected = s.users().get(request.username());
        if (expected == null) {
          throw new ZmtpAuthenticationException("PLAIN user " + request.username() + " is unknown" + from);
        }
        if (!MessageDigest.isEqual(expected, request.password())) {
          throw new ZmtpAuthenticationException("PLAIN user " + request.username() + ": wrong password" + from);
        }
        return request.username();
      }
      case "CURVE": {
        String key = Z85.encode(request.clientKey());
        if (!curveAllowAny && !s.curveKeys().contains(ByteBuffer.wrap(request.clientKey()))) {
          throw new ZmtpAuthenticationException("CURVE client key " + key + " is not allowed" + from);
        }
        return key;
      }
      default:
        return "";
    }
  }

  private static String host(SocketAddress address) {
    if (address instanceof InetSocketAddress) {
      InetSocketAddress inet = (InetSocketAddress) address;
      return inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
    }
    return address == null ? "unknown" : address.toString();
  }

  /** Reads {@code user:password} lines; blank lines and lines starting with {@code #} are skipped. */
  static Map<String, byte[]> readUsers(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("usersFile: " + file + " cannot be read: " + e, e);
    }
    Map<String, byte[]> users = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.strip().startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("usersFile: " + file + " line " + (i + 1)
            + " (expected: user:password)");
      }
      users.put(line.substring(0, colon), line.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
    }
    return users;
  }

  /** Builds an {@link Authenticator}; not thread-safe. */
  public static final class Builder {
    private final Set<String> allowed = new LinkedHashSet<>();
    private final Set<String> denied = new LinkedHashSet<>();
    private final Map<String, byte[]> users = new HashMap<>();
    private Path usersFile;
    private final Set<ByteBuffer> curveKeys = new HashSet<>();
    private Path certificateDirectory;
    private boolean curveAllowAny;

    private Builder() {}

    /** Admits only these IP addresses (as printed by {@code InetAddress.getHostAddress()}), every mechanism. */
    public Builder allow(String... addresses) {
      for (String a : addresses) {
        allowed.add(Objects.requireNonNull(a, "address"));
      }
      return this;
    }

    /** Refuses these IP addresses; ignored once any address is allowed, as in ZAP. */
    public Builder deny(String... addresses) {
      for (String a : addresses) {
        denied.add(Objects.requireNonNull(a, "address"));
      }
      return this;
    }

    /** Admits a PLAIN user with this password. */
    public Builder plainUser(String user, String password) {
      Objects.requireNonNull(password, "password");
      if (user == null || user.isEmpty() || user.indexOf(':') >= 0) {
        throw new IllegalArgumentException("user: " + user + " (expected: a non-empty name without ':')");
      }
      users.put(user, password.getBytes(StandardCharsets.UTF_8));
      return this;
    }

    /** Admits the PLAIN users of a file of {@code user:password} lines, reread by {@link #reload()}. */
    public Builder plainUsersFile(Path file) {
      this.usersFile = Objects.requireNonNull(file, "usersFile");
      return this;
    }

    /** Admits CURVE clients with this public key (32 octets). */
    public Builder curveAllow(byte[] publicKey) {
      CurveKeyPair.checkLength("publicKey", publicKey);
      curveKeys.add(ByteBuffer.wrap(publicKey.clone()));
      return this;
    }

    /** Admits CURVE clients with this public key in Z85 (40 characters). */
    public Builder curveAllow(String z85PublicKey) {
      return curveAllow(CurveKeyPair.decodeKey("publicKey", z85PublicKey));
    }

    /** Admits CURVE clients whose public certificate ({@code *.key}) is in this directory, reread by reload(). */
    public Builder curveCertificateDirectory(Path directory) {
      if (!Files.isDirectory(Objects.requireNonNull(directory, "directory"))) {
        throw new IllegalArgumentException("directory: " + directory + " (expected: a directory of certificates)");
      }
      this.certificateDirectory = directory;
      return this;
    }

    /** Admits every CURVE client that proves it holds its key (zauth's {@code CURVE_ALLOW_ANY}). */
    public Builder curveAllowAny() {
      this.curveAllowAny = true;
      return this;
    }

    /**
     * Builds the authenticator, reading its files.
     *
     * @throws UncheckedIOException if a file cannot be read
     */
    public Authenticator build() {
      return new Authenticator(this);
    }
  }
}
