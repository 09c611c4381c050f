package io.switchboard.examples;

import io.switchboard.socket.Context;
import io.switchboard.socket.InterruptedOperationException;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketType;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code filer-rep}: the book's zmq-filer-rep.js, serving only files under a root directory. */
@Command(
    name = "filer-rep",
    mixinStandardHelpOptions = true,
    description = "REP: answer {\"path\"} with {\"content\",\"timestamp\",\"pid\"} or {\"error\"} (port 5433).")
final class FilerRep implements Callable<Integer> {
  static final int DEFAULT_PORT = 5433;

  @Spec CommandSpec spec;

  @Option(names = "--port", paramLabel = "N", description = "Bind tcp://127.0.0.1:N (default 5433; 0: any).")
  int port = DEFAULT_PORT;

  @Option(names = "--endpoint", paramLabel = "EP", description = "Bind EP instead.")
  String endpoint;

  @Option(names = "--root", paramLabel = "DIR",
      description = "Serve only files under DIR (default: the working directory).")
  Path root = Path.of("");

  @Override
  public Integer call() {
    String ep = Options.endpoint(spec, endpoint, "tcp://127.0.0.1:", port);
    FileService service = service(spec, root);
    PrintWriter out = spec.commandLine().getOut();
    try (Context context = new Context(); Socket rep = context.socket(SocketType.REP)) {
      out.println("Listening on " + rep.bind(ep) + ", serving " + service.root());
      out.flush();
      for (;;) {
        byte[] request = rep.receive().frame(0);
        out.println("Received request to get: " + FileService.describe(request));
        out.flush();
        rep.send(Message.of(service.handle(request)));
      }
    } catch (InterruptedOperationException stopped) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** The service for {@code --root}; a root that is not a directory is a usage error. */
  static FileService service(CommandSpec spec, Path root) {
    try {
      FileService service = new FileService(root.toAbsolutePath());
      if (!java.nio.file.Files.isDirectory(service.root())) {
        throw new ParameterException(spec.commandLine(), "--root: " + root + " (expected: a directory)");
      }
      return service;
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), "--root: " + root + " (expected: a directory; "
          + e.getClass().getSimpleName() + ")");
    }
  }
}
