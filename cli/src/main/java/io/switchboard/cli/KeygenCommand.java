package io.switchboard.cli;

import io.switchboard.socket.security.CurveCertificate;
import io.switchboard.socket.security.CurveKeyPair;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code switchboard keygen}: a new CURVE key pair, printed or written as zcert certificates. */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    description = {
      "Generate a CURVE key pair.",
      "Without --out, print both keys in Z85 (public: ..., secret: ...). With --out NAME, write NAME.key (the "
          + "public certificate, to share) and NAME.key_secret (both keys, mode 0600, to keep) in ZeroMQ's zcert "
          + "format, as czmq and pyzmq read them, and print the public key; existing files are never overwritten."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  switchboard keygen",
      "  switchboard keygen --json",
      "  switchboard keygen --out server",
      "  mkdir clients && switchboard keygen --out client && cp client.key clients/",
      "  switchboard rep --bind 'tcp://*:5555' --curve-server server.key_secret --curve-allow clients",
      "  echo hi | switchboard req --connect tcp://127.0.0.1:5555 --curve-client client.key_secret "
          + "--curve-serverkey server.key",
      "%nExit status: 0 done, 1 failure (a file exists or cannot be written), 2 bad usage."
    })
final class KeygenCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--out",
      paramLabel = "NAME",
      description = "Write NAME.key and NAME.key_secret (NAME may include a directory) instead of printing the "
          + "secret key.")
  Path out;

  @Option(names = "--json", description = "Print one JSON object instead of lines.")
  boolean json;

  @Override
  public Integer call() {
    Path publicFile = null;
    Path secretFile = null;
    if (out != null) {
      if (out.getFileName() == null) {
        throw new ParameterException(spec.commandLine(), "--out: " + out + " (expected: a file name, as server)");
      }
      Path dir = out.toAbsolutePath().getParent();
      if (dir != null && !Files.isDirectory(dir)) {
        throw new ParameterException(spec.commandLine(), "--out: " + out + " (the directory " + out.getParent()
            + " does not exist; create it first, or choose another --out)");
      }
      publicFile = sibling(out, ".key");
      secretFile = sibling(out, ".key_secret");
      // Checked first so that neither file is written when either exists.
      for (Path file : new Path[] {publicFile, secretFile}) {
        if (Files.exists(file)) {
          throw new SocketCommand.CommandFailedException(file + " exists; not overwritten (remove it, or choose "
              + "another --out)");
        }
      }
    }
    CurveKeyPair keys = CurveKeyPair.generate();
    if (out != null) {
      CurveCertificate.of(keys).save(out);
    }
    PrintWriter stdout = spec.commandLine().getOut();
    if (json) {
      // Z85 has no '"' or '\', so keys need no escaping; paths may.
      stdout.println(out == null
          ? "{\"public\":\"" + keys.publicKeyZ85() + "\",\"secret\":\"" + keys.secretKeyZ85() + "\"}"
          : "{\"public\":\"" + keys.publicKeyZ85() + "\",\"publicFile\":" + jsonString(publicFile.toString())
              + ",\"secretFile\":" + jsonString(secretFile.toString()) + "}");
    } else {
      stdout.println("public: " + keys.publicKeyZ85());
      if (out == null) {
        stdout.println("secret: " + keys.secretKeyZ85());
      }
    }
    stdout.flush();
    if (out != null) {
      spec.commandLine().getErr().println(spec.qualifiedName() + ": wrote " + publicFile + " (public) and "
          + secretFile + " (secret: keep it private)");
    }
    return 0;
  }

  private static Path sibling(Path base, String suffix) {
    return base.resolveSibling(base.getFileName() + suffix);
  }

  /** A JSON string literal. */
  static String jsonString(String text) {
    StringBuilder sb = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }
}
