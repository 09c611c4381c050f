package io.switchboard.socket.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A CURVE certificate in ZeroMQ's zcert text format, as czmq's {@code zcert_save} and pyzmq's
 * {@code zmq.auth.create_certificates} write it: {@code NAME.key} holds the public key (share it),
 * {@code NAME.key_secret} both keys (keep it; written with mode 0600 where the file system allows).
 *
 * <pre>
 * #   ****  Generated on 2024-01-01 12:00:00.000000 by Switchboard  ****
 * #   ZeroMQ CURVE **Secret** Certificate
 * #   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.
 *
 * metadata
 *     name = "value"
 * curve
 *     public-key = "40 characters of Z85"
 *     secret-key = "40 characters of Z85"
 * </pre>
 *
 * <p>Loading reads any file in that format (czmq's, pyzmq's, ours); comments and unknown sections are ignored.
 * Immutable.
 */
public final class CurveCertificate {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
  private final byte[] publicKey;
  private final byte[] secretKey;
  private final Map<String, String> metadata;

  private CurveCertificate(byte[] publicKey, byte[] secretKey, Map<String, String> metadata) {
    this.publicKey = publicKey;
    this.secretKey = secretKey;
    this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /** A certificate with both keys of {@code keyPair}. */
  public static CurveCertificate of(CurveKeyPair keyPair) {
    return new CurveCertificate(keyPair.publicKey(), keyPair.secretKey(), Map.of());
  }

  /** A public certificate: a public key only. */
  public static CurveCertificate ofPublicKey(byte[] publicKey) {
    CurveKeyPair.checkLength("publicKey", publicKey);
    return new CurveCertificate(publicKey.clone(), null, Map.of());
  }

  /** A copy with one more metadata property (written in the {@code metadata} section). */
  public CurveCertificate withMetadata(String name, String value) {
    if (name.isEmpty() || !name.matches("[A-Za-z0-9_.:-]+")) {
      throw new IllegalArgumentException("name: " + name + " (expected: letters, digits, _ . : -)");
    }
    Map<String, String> m = new LinkedHashMap<>(metadata);
    m.put(name, Objects.requireNonNull(value, "value"));
    return new CurveCertificate(publicKey, secretKey, m);
  }

  /** The public key, 32 octets. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The public key in Z85. */
  public String publicKeyZ85() {
    return Z85.encode(publicKey);
  }

  /** Both keys, if this is a secret certificate. */
  public Optional<CurveKeyPair> keyPair() {
    return secretKey == null ? Optional.empty() : Optional.of(CurveKeyPair.fromSecretKey(secretKey));
  }

  /** The metadata properties, in file order. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /**
   * Writes {@code base.key} (public) and, if this certificate has a secret key, {@code base.key_secret}, like
   * {@code zmq.auth.create_certificates(dir, name)}; refuses to overwrite an existing file.
   *
   * @return the public certificate's path
   * @throws UncheckedIOException if a file exists or cannot be written
   */
  public Path save(Path base) {
    Path publicFile = base.resolveSibling(base.getFileName() + ".key");
    String stamp = LocalDateTime.now().format(STAMP);
    write(publicFile, render(stamp, false), false);
    if (secretKey != null) {
      write(base.resolveSibling(base.getFileName() + ".key_secret"), render(stamp, true), true);
    }
    return publicFile;
  }

  /** The text of the public ({@code secret} false) or secret certificate. */
  String render(String stamp, boolean secret) {
    StringBuilder sb = new StringBuilder();
    sb.append("#   ****  Generated on ").append(stamp).append(" by Switchboard  ****\n");
    if (secret) {
      sb.append("#   ZeroMQ CURVE **Secret** Certificate\n")
          .append("#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.\n");
    } else {
      sb.append("#   ZeroMQ CURVE Public Certificate\n")
          .append("#   Exchange securely, or use a secure mechanism to verify the contents\n")
          .append("#   of this file after exchange. Store public certificates in your home\n")
          .append("#   directory, in the .curve subdirectory.\n");
    }
    sb.append("\nmetadata\n");
    metadata.forEach((k, v) -> sb.append("    ").append(k).append(" = \"").append(v).append("\"\n"));
    sb.append("curve\n");
    sb.append("    public-key = \"").append(Z85.encode(publicKey)).append("\"\n");
    if (secret) {
      sb.append("    secret-key = \"").append(Z85.encode(secretKey)).append("\"\n");
    }
    return sb.toString();
  }

  private static void write(Path file, String text, boolean secret) {
    try {
      if (Files.exists(file)) {
        throw new FileAlreadyExistsException(file.toString());
      }
      Files.writeString(file, text, StandardCharsets.UTF_8);
      if (secret) {
        try {
          Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
          // not a POSIX file system: the file keeps the default permissions
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("certificate: " + file + " cannot be written: " + e, e);
    }
  }

  /**
   * Reads a public or secret certificate.
   *
   * @throws UncheckedIOException if the file cannot be read
   * @throws IllegalArgumentException if it has no valid public key, or a secret key that does not match it
   */
  public static CurveCertificate load(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("certificate: " + file + " cannot be read: " + e, e);
    }
    String section = "";
    String publicText = null;
    String secretText = null;
    Map<String, String> metadata = new LinkedHashMap<>();
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (!Character.isWhitespace(raw.charAt(0)) && line.indexOf('=') < 0) {
        section = line;
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String name = line.substring(0, eq).strip();
      String value = line.substring(eq + 1).strip().replaceAll("^[\"']|[\"']$", "");
      if (name.equals("public-key")) {
        publicText = value;
      } else if (name.equals("secret-key")) {
        secretText = value;
      } else if (section.equals("metadata")) {
        metadata.put(name, value);
      }
    }
    if (publicText == null) {
      throw new IllegalArgumentException("certificate: " + file + " (expected: a curve public-key)");
    }
    byte[] pub = CurveKeyPair.decodeKey("certificate " + file + " public-key", publicText);
    byte[] sec = null;
    if (secretText != null) {
      sec = CurveKeyPair.decodeKey("certificate " + file + " secret-key", secretText);
      if (!java.util.Arrays.equals(CurveKeyPair.fromSecretKey(sec).publicKey(), pub)) {
        throw new IllegalArgumentException("certificate: " + file
            + " (expected: a secret-key that belongs to its public-key)");
      }
    }
    return new CurveCertificate(pub, sec, metadata);
  }

  /**
   * Reads every public certificate ({@code *.key}) in a directory, as pyzmq's {@code load_certificates} and czmq's
   * {@code zcertstore} do.
   *
   * @throws UncheckedIOException if the directory cannot be read
   */
  public static List<CurveCertificate> loadDirectory(Path directory) {
    List<CurveCertificate> certificates = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.key")) {
      for (Path file : files) {
        certificates.add(load(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("certificates: " + directory + " cannot be read: " + e, e);
    }
    return certificates;
  }

  @Override
  public String toString() {
    return "CurveCertificate[public " + publicKeyZ85() + (secretKey != null ? ", with secret key" : "") + "]";
  }
}
