package io.switchboard.cli;

import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.security.Authenticator;
import io.switchboard.socket.security.CurveCertificate;
import io.switchboard.socket.security.CurveKeyPair;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The security options every socket command shares: one mechanism per socket, PLAIN or CURVE, client or server;
 * NULL without any of them. A mixin of plain options rather than picocli argument groups, whose errors list every
 * group: {@link #apply} checks the combination itself, reads the files and keys, and turns every problem into a
 * usage error (exit status 2) of one line that names the options at fault.
 */
final class SecurityOptions {
  @Option(
      names = "--curve-server",
      paramLabel = "SECRET_CERT_FILE",
      description = "Be a CURVE server with the key pair in SECRET_CERT_FILE (NAME.key_secret, as 'keygen --out' "
          + "writes it). Without --curve-allow, any client that knows the server's public key gets in.")
  Path curveServer;

  @Option(
      names = "--curve-allow",
      paramLabel = "DIR",
      description = "With --curve-server: admit only the clients whose public certificates (*.key) are in DIR, "
          + "reread whenever a file in DIR changes.")
  Path curveAllow;

  /** The authenticator that watches {@link #curveAllow}, once {@link #apply} made it; {@link #close} stops it. */
  private Authenticator allowList;

  @Option(
      names = "--curve-client",
      paramLabel = "SECRET_CERT_FILE",
      description = "Be a CURVE client with the key pair in SECRET_CERT_FILE; needs --curve-serverkey.")
  Path curveClient;

  @Option(
      names = "--curve-serverkey",
      paramLabel = "KEY",
      description = "With --curve-client: the server's public key, 40 characters of Z85 (or its public "
          + "certificate file, NAME.key).")
  String curveServerKey;

  @Option(
      names = "--plain-user",
      paramLabel = "USER",
      description = "Be a PLAIN client that logs in as USER; needs --plain-password. PLAIN sends both in clear "
          + "text.")
  String plainUser;

  @Option(names = "--plain-password", paramLabel = "PASS", description = "With --plain-user: the password.")
  String plainPassword;

  @Option(
      names = "--plain-server",
      paramLabel = "USERS_FILE",
      description = "Be a PLAIN server that admits the users in USERS_FILE, one user:password a line (# starts a "
          + "comment).")
  Path plainServer;

  /** Stops watching the {@code --curve-allow} directory, if {@link #apply} started to; idempotent. */
  void close() {
    if (allowList != null) {
      allowList.close();
    }
  }

  /**
   * Sets the chosen mechanism on {@code options}.
   *
   * @throws ParameterException if a file cannot be read or holds no usable key, or a key is malformed
   */
  SocketOptions.Builder apply(CommandSpec spec, SocketOptions.Builder options) {
    checkCombination(spec);
    try {
      if (curveServer != null) {
        options.curveServer(keyPair(spec, "--curve-server", curveServer));
        if (curveAllow != null) {
          if (!Files.isDirectory(curveAllow)) {
            throw usage(spec, "--curve-allow: " + curveAllow + (Files.exists(curveAllow) ? " is not a directory"
                : ": no such directory") + " (expected: a directory of public certificates, *.key)");
          }
          // Certificates added to or removed from DIR take effect while the command runs.
          allowList = Authenticator.builder().curveCertificateDirectory(curveAllow).watchCertificateDirectory()
              .build();
          options.authenticator(allowList);
        }
      } else if (curveClient != null) {
        options.curveClient(keyPair(spec, "--curve-client", curveClient), serverKey(spec, curveServerKey));
      } else if (plainUser != null) {
        options.plainClient(plainUser, plainPassword);
      } else if (plainServer != null) {
        if (!Files.isRegularFile(plainServer)) {
          throw usage(spec, "--plain-server: " + plainServer + (Files.exists(plainServer) ? " is not a file"
              : ": no such file") + " (expected: a file of user:password lines)");
        }
        options.plainServer(Authenticator.builder().plainUsersFile(plainServer).build());
      }
    } catch (UncheckedIOException | IllegalArgumentException e) {
      // an unreadable file, a malformed certificate or users file, a user name or password over 255 octets
      throw usage(spec, e.getMessage());
    }
    return options;
  }

  /** One mechanism, each option with its partner: checked here for messages that name the options at fault. */
  private void checkCombination(CommandSpec spec) {
    List<String> mechanisms = new ArrayList<>();
    if (curveServer != null || curveAllow != null) {
      mechanisms.add(curveServer != null ? "--curve-server" : "--curve-allow");
    }
    if (curveClient != null || curveServerKey != null) {
      mechanisms.add(curveClient != null ? "--curve-client" : "--curve-serverkey");
    }
    if (plainUser != null || plainPassword != null) {
      mechanisms.add(plainUser != null ? "--plain-user" : "--plain-password");
    }
    if (plainServer != null) {
      mechanisms.add("--plain-server");
    }
    if (mechanisms.size() > 1) {
      throw usage(spec, String.join(" and ", mechanisms) + " cannot be used together (expected: one security "
          + "mechanism per socket: --curve-server, --curve-client, --plain-user or --plain-server)");
    }
    requireTogether(spec, curveAllow, "--curve-allow", curveServer, "--curve-server");
    requireTogether(spec, curveClient, "--curve-client", curveServerKey, "--curve-serverkey");
    requireTogether(spec, curveServerKey, "--curve-serverkey", curveClient, "--curve-client");
    requireTogether(spec, plainUser, "--plain-user", plainPassword, "--plain-password");
    requireTogether(spec, plainPassword, "--plain-password", plainUser, "--plain-user");
  }

  private static void requireTogether(CommandSpec spec, Object given, String option, Object needed, String other) {
    if (given != null && needed == null) {
      throw usage(spec, option + " needs " + other);
    }
  }

  /** Whether a PLAIN or CURVE mechanism was chosen. */
  boolean isSecure() {
    return curveServer != null || curveClient != null || plainUser != null || plainServer != null;
  }

  private static CurveKeyPair keyPair(CommandSpec spec, String option, Path file) {
    if (!Files.isRegularFile(file)) {
      throw usage(spec, option + ": " + file + (Files.exists(file) ? " is not a file" : ": no such file")
          + " (expected: a secret certificate file, NAME.key_secret, as 'switchboard keygen --out NAME' writes)");
    }
    return CurveCertificate.load(file).keyPair().orElseThrow(() -> usage(spec, option + ": " + file
        + " has no secret key (expected: a secret certificate, NAME.key_secret, not the public NAME.key)"));
  }

  /**
   * The public key of a certificate file, or a Z85 key. A file that exists wins: a path of 40 characters is also
   * valid Z85 (its octets are all in Z85's alphabet), and read as a key it would be a wrong one.
   */
  private static byte[] serverKey(CommandSpec spec, String text) {
    Path file = pathOrNull(text);
    if (file != null && Files.isRegularFile(file)) {
      return CurveCertificate.load(file).publicKey();
    }
    try {
      return CurveKeyPair.decodeKey("key", text);
    } catch (IllegalArgumentException e) {
      throw usage(spec, "--curve-serverkey: '" + text
          + "' (expected: the server's public key, 40 characters of Z85, or its public certificate file)");
    }
  }

  private static Path pathOrNull(String text) {
    try {
      return Path.of(text);
    } catch (InvalidPathException notAPath) {
      return null;
    }
  }

  private static ParameterException usage(CommandSpec spec, String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
