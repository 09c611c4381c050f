package io.switchboard.examples;

import io.switchboard.socket.Context;
import io.switchboard.socket.InterruptedOperationException;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketType;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * One worker process of {@code filer-rep-cluster}: a REP socket connected to the cluster's DEALER, serving files as
 * {@code filer-rep} does. The cluster starts it as {@code java -cp CLASSPATH io.switchboard.examples.FilerWorker
 * --connect EP --root DIR}.
 */
@Command(name = "filer-worker", mixinStandardHelpOptions = true,
    description = "A filer-rep-cluster worker: REP connected to EP, serving files under DIR.")
public final class FilerWorker implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--connect", required = true, paramLabel = "EP", description = "The cluster's DEALER endpoint.")
  String connect;

  @Option(names = "--root", paramLabel = "DIR", description = "Serve only files under DIR (default: .).")
  Path root = Path.of("");

  /** Not instantiated by callers: run {@link #main}. */
  FilerWorker() {}

  @Override
  public Integer call() {
    String ep = Options.endpoint(spec, connect, "", 0);
    FileService service = FilerRep.service(spec, root);
    PrintWriter out = spec.commandLine().getOut();
    long pid = ProcessHandle.current().pid();
    // like a Node cluster worker, do not outlive the cluster, even one killed with SIGKILL
    ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(0)));
    try (Context context = new Context(); Socket rep = context.socket(SocketType.REP)) {
      rep.connect(ep);
      out.println("Worker " + pid + " ready, connected to " + ep);
      out.flush();
      for (;;) {
        byte[] request = rep.receive().frame(0);
        out.println("Worker " + pid + " received request for: " + FileService.describe(request));
        out.flush();
        rep.send(Message.of(service.handle(request)));
      }
    } catch (InterruptedOperationException stopped) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** Runs the worker until it is stopped (SIGTERM). */
  public static void main(String[] args) {
    ExamplesCommand.exit(new FilerWorker(), args);
  }
}
