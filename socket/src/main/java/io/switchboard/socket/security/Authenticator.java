package io.switchboard.socket.security;

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
import java.util.ArrayList;
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
 *   <li>Addresses: single IPv4 or IPv6 addresses or CIDR ranges ({@code 10.0.0.0/8}, {@code fd00::/8}). If any
 *       address is allowed, every other address is refused; otherwise denied addresses are refused. Applies to every
 *       mechanism, NULL included.
 *   <li>Domains: with {@link Builder#domains}, only sockets whose ZAP domain ({@code SocketOptions.Builder#zapDomain})
 *       is listed are served; a peer of any other socket is refused.
 *   <li>PLAIN: user names and passwords, given one by one or read from a file of {@code user:password} lines
 *       ({@code #} starts a comment). The User-Id is the user name.
 *   <li>CURVE: client public keys from an allow list or a directory of certificates ({@code *.key}), or any key with
 *       {@link Builder#curveAllowAny()}. The User-Id is the client key in Z85.
 * </ul>
 *
 * <p>Thread-safe: the rules are immutable snapshots; {@link #reload()} rereads the users file and the certificate
 * directory and swaps the new snapshot in, so connections in progress are never blocked. With
 * {@link Builder#watchCertificateDirectory()} that happens by itself whenever a file in the directory changes, on a
 * daemon thread that {@link #close()} stops. Every refusal is counted
 * ({@link #refusedCount()}) and shows as a {@code HANDSHAKE_FAILED} monitor event on the server socket, whose detail
 * says who was refused and why; the peer only receives ERROR "400".
 */
public final class Authenticator implements ZapHandler, AutoCloseable {
  private final List<AddressRange> allowed;
  private final List<AddressRange> denied;
  private final Set<String> domains;
  private final Map<String, byte[]> users;
  private final Path usersFile;
  private final Set<ByteBuffer> curveKeys;
  private final Path certificateDirectory;
  private final boolean curveAllowAny;
  private volatile Snapshot snapshot;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong reloads = new AtomicLong();
  private final AtomicLong reloadFailures = new AtomicLong();
  private volatile RuntimeException lastReloadFailure;
  private final DirectoryWatcher watcher;

  private record Snapshot(Map<String, byte[]> users, Set<ByteBuffer> curveKeys) {}

  private Authenticator(Builder b) {
    allowed = List.copyOf(b.allowed);
    denied = List.copyOf(b.denied);
    domains = Set.copyOf(b.domains);
    users = Map.copyOf(b.users);
    usersFile = b.usersFile;
    curveKeys = Set.copyOf(b.curveKeys);
    certificateDirectory = b.certificateDirectory;
    curveAllowAny = b.curveAllowAny;
    reload();
    if (b.watch) {
      if (certificateDirectory == null) {
        throw new IllegalArgumentException("watchCertificateDirectory: no curveCertificateDirectory to watch");
      }
      watcher = new DirectoryWatcher(certificateDirectory, this::reloadQuietly);
    } else {
      watcher = null;
    }
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
  public synchronized void reload() {
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
    reloads.incrementAndGet();
  }

  /** The watcher's reload: a failure (a file caught half-written, say) keeps the previous rules and is counted. */
  private void reloadQuietly() {
    try {
      reload();
    } catch (RuntimeException e) {
      reloadFailures.incrementAndGet();
      lastReloadFailure = e;
    }
  }

  /** How many times the rules were read: once when built, then once per {@link #reload()} that succeeded. */
  public long reloadCount() {
    return reloads.get();
  }

  /** How many reloads started by the directory watcher failed (the previous rules then stayed). */
  public long reloadFailureCount() {
    return reloadFailures.get();
  }

  /** The last failure of a reload started by the directory watcher, if any. */
  public java.util.Optional<RuntimeException> lastReloadFailure() {
    return java.util.Optional.ofNullable(lastReloadFailure);
  }

  /** Stops watching the certificate directory, if this authenticator watches it; idempotent. */
  @Override
  public void close() {
    if (watcher != null) {
      watcher.close();
    }
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
   * @throws AuthenticationRefusedException if the peer is refused
   */
  @Override
  public String authenticate(Request request) {
    String address = host(request.address());
    try {
      String userId = decide(request, address);
      accepted.incrementAndGet();
      return userId;
    } catch (AuthenticationRefusedException e) {
      refused.incrementAndGet();
      throw e;
    }
  }

  private String decide(Request request, String address) {
    String from = " (from " + address + ")";
    if (!domains.isEmpty() && !domains.contains(request.domain())) {
      throw new AuthenticationRefusedException("ZAP domain '" + request.domain() + "' is not served by this "
          + "authenticator" + from);
    }
    if (!allowed.isEmpty() && !matches(allowed, request.address())) {
      throw new AuthenticationRefusedException("address " + address + " is not on the allow list");
    }
    if (allowed.isEmpty() && matches(denied, request.address())) {
      throw new AuthenticationRefusedException("address " + address + " is on the deny list");
    }
    Snapshot s = snapshot;
    switch (request.mechanism()) {
      case "PLAIN": {
        byte[] expected = s.users().get(request.username());
        if (expected == null) {
          throw new AuthenticationRefusedException("PLAIN user " + request.username() + " is unknown" + from);
        }
        if (!MessageDigest.isEqual(expected, request.password())) {
          throw new AuthenticationRefusedException("PLAIN user " + request.username() + ": wrong password" + from);
        }
        return request.username();
      }
      case "CURVE": {
        String key = Z85.encode(request.clientKey());
        if (!curveAllowAny && !s.curveKeys().contains(ByteBuffer.wrap(request.clientKey()))) {
          throw new AuthenticationRefusedException("CURVE client key " + key + " is not allowed" + from);
        }
        return key;
      }
      default:
        return "";
    }
  }

  private static boolean matches(List<AddressRange> ranges, SocketAddress address) {
    for (AddressRange range : ranges) {
      if (range.contains(address)) {
        return true;
      }
    }
    return false;
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
    private final List<AddressRange> allowed = new ArrayList<>();
    private final List<AddressRange> denied = new ArrayList<>();
    private final Set<String> domains = new LinkedHashSet<>();
    private boolean watch;
    private final Map<String, byte[]> users = new HashMap<>();
    private Path usersFile;
    private final Set<ByteBuffer> curveKeys = new HashSet<>();
    private Path certificateDirectory;
    private boolean curveAllowAny;

    private Builder() {}

    /**
     * Admits only peers from these addresses, every mechanism: IPv4 or IPv6 literals ({@code 127.0.0.1},
     * {@code ::1}) or CIDR ranges ({@code 10.0.0.0/8}, {@code 2001:db8::/32}). Host names are not accepted (no DNS
     * lookup happens here). An IPv4 peer seen through a dual-stack socket ({@code ::ffff:10.1.2.3}) matches IPv4
     * rules.
     *
     * @throws IllegalArgumentException if an entry is not an address or range
     */
    public Builder allow(String... addresses) {
      for (String a : addresses) {
        allowed.add(AddressRange.parse(Objects.requireNonNull(a, "address")));
      }
      return this;
    }

    /**
     * Refuses peers from these addresses or CIDR ranges (as {@link #allow}); ignored once any address is allowed,
     * as in ZAP.
     *
     * @throws IllegalArgumentException if an entry is not an address or range
     */
    public Builder deny(String... addresses) {
      for (String a : addresses) {
        denied.add(AddressRange.parse(Objects.requireNonNull(a, "address")));
      }
      return this;
    }

    /**
     * Serves only sockets with one of these ZAP domains ({@code SocketOptions.Builder#zapDomain}, {@code ""} for
     * a socket without one); peers of other sockets are refused. Without this call every domain is served.
     */
    public Builder domains(String... zapDomains) {
      for (String d : zapDomains) {
        domains.add(Objects.requireNonNull(d, "domain"));
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

    /**
     * Rereads the certificate directory by itself whenever a file in it is created, changed or deleted (after
     * {@value DirectoryWatcher#SETTLE_MILLIS} ms of quiet), on a daemon thread that {@link Authenticator#close()}
     * stops. A reload that fails keeps the previous rules ({@link Authenticator#reloadFailureCount()}); the next
     * change tries again. {@link Authenticator#reload()} still works. Needs {@link #curveCertificateDirectory}.
     */
    public Builder watchCertificateDirectory() {
      this.watch = true;
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
     * @throws UncheckedIOException if a file cannot be read, or the certificate directory cannot be watched
     * @throws IllegalArgumentException if a file is malformed, or a watch is asked for without a directory
     */
    public Authenticator build() {
      return new Authenticator(this);
    }
  }
}
