package io.switchboard.examples;

import io.switchboard.socket.Context;
import io.switchboard.socket.InterruptedOperationException;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketType;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code watcher-pub FILE}: the book's zmq-watcher-pub.js. Watches FILE's directory with the JDK's {@link
 * WatchService} (the only way to watch one file with it), keeps the events that name FILE, and publishes {@code
 * {"type":"changed","file":FILE,"timestamp":MS}} for each, with FILE as given on the command line. One save may
 * raise more than one event, so subscribers may see more than one message per change, as with the book's {@code
 * fs.watch}.
 */
@Command(
    name = "watcher-pub",
    mixinStandardHelpOptions = true,
    description = "PUB: publish {\"type\":\"changed\",\"file\",\"timestamp\"} when FILE changes (port 5432).")
final class WatcherPub implements Callable<Integer> {
  static final int DEFAULT_PORT = 5432;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The file to watch; it must exist.")
  Path file;

  @Option(names = "--port", paramLabel = "N", description = "Bind tcp://*:N (default 5432; 0: any free port).")
  int port = DEFAULT_PORT;

  @Option(names = "--endpoint", paramLabel = "EP", description = "Bind EP instead.")
  String endpoint;

  @Override
  public Integer call() throws IOException {
    String ep = Options.endpoint(spec, endpoint, "tcp://*:", port);
    if (!Files.isRegularFile(file)) {
      throw new ParameterException(spec.commandLine(), "FILE: " + file + " (expected: an existing file)");
    }
    Path absolute = file.toAbsolutePath().normalize();
    Path directory = absolute.getParent();
    Path name = absolute.getFileName();
    PrintWriter out = spec.commandLine().getOut();
    try (WatchService watcher = FileSystems.getDefault().newWatchService();
        Context context = new Context();
        Socket pub = context.socket(SocketType.PUB)) {
      directory.register(watcher, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE);
      out.println("Listening for zmq subscribers on " + pub.bind(ep) + ", watching " + absolute);
      out.flush();
      for (;;) {
        WatchKey key = watcher.take();
        boolean changed = false;
        for (WatchEvent<?> event : key.pollEvents()) {
          changed |= name.equals(event.context()) || event.kind() == StandardWatchEventKinds.OVERFLOW;
        }
        key.reset();
        if (changed) {
          out.println("Sending change notification for " + file);
          out.flush();
          pub.send(Message.of(Json.bytes(Json.object()
              .put("type", "changed")
              .put("file", file.toString())
              .put("timestamp", System.currentTimeMillis()))));
        }
      }
    } catch (InterruptedException | InterruptedOperationException | ClosedWatchServiceException stopped) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
