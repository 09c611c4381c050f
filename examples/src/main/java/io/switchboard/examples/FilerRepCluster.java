package io.switchboard.examples;

import io.switchboard.devices.Proxy;
import io.switchboard.devices.WorkerPool;
import io.switchboard.socket.Context;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketType;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code filer-rep-cluster}: the book's zmq-filer-rep-cluster.js, a drop-in replacement for {@code filer-rep}. A
 * ROUTER on tcp (port 5433) and a DEALER on {@code ipc://filer-dealer.ipc} with a {@link Proxy} between them; a
 * {@link WorkerPool} of {@link FilerWorker} processes ({@code java -cp} this process's class path) connect REP
 * sockets to the DEALER, which deals requests to them round-robin. A worker that dies is replaced (after 100 ms,
 * doubling to 5 s; at most 10 times a minute per slot); a request it held is lost, so clients should retry.
 */
@Command(
    name = "filer-rep-cluster",
    mixinStandardHelpOptions = true,
    description = "ROUTER/DEALER + worker processes: filer-rep on many cores, dead workers replaced (port 5433).")
final class FilerRepCluster implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--port", paramLabel = "N", description = "Bind the ROUTER at tcp://127.0.0.1:N (default 5433).")
  int port = FilerRep.DEFAULT_PORT;

  @Option(names = "--endpoint", paramLabel = "EP", description = "Bind the ROUTER at EP instead.")
  String endpoint;

  @Option(names = "--backend", paramLabel = "EP",
      description = "Bind the workers' DEALER at EP (default ipc://filer-dealer.ipc, in the working directory).")
  String backend = "ipc://filer-dealer.ipc";

  @Option(names = "--workers", paramLabel = "N", description = "How many worker processes (default: one per core).")
  int workers = Runtime.getRuntime().availableProcessors();

  @Option(names = "--root", paramLabel = "DIR",
      description = "Serve only files under DIR (default: the working directory).")
  Path root = Path.of("");

  @Option(names = "--worker-log", paramLabel = "FILE",
      description = "Append the workers' output to FILE (default: this process's output).")
  Path workerLog;

  @Override
  public Integer call() throws InterruptedException {
    String front = Options.endpoint(spec, endpoint, "tcp://127.0.0.1:", port);
    String back = Options.endpoint(spec, backend, "", 0);
    Options.positive(spec, "--workers", workers);
    FileService service = FilerRep.service(spec, root);
    PrintWriter out = spec.commandLine().getOut();
    try (Context context = new Context()) {
      Socket router = context.socket(SocketType.ROUTER);
      Socket dealer = context.socket(SocketType.DEALER);
      String frontBound = router.bind(front);
      String backBound = dealer.bind(back);
      try (Proxy proxy = Proxy.start(router, dealer)) {
        out.println("Listening on " + frontBound + ", workers on " + backBound + ", serving " + service.root());
        out.flush();
        try (WorkerPool pool = WorkerPool.builder(workerCommand(backBound, service.root()))
            .size(workers)
            .output(workerLog == null ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.appendTo(
                workerLog.toFile()))
            .stopTimeout(Duration.ofSeconds(2))
            .listener(event -> {
              out.println(event.describe());
              out.flush();
            })
            .start()) {
          // SIGTERM or Ctrl-C: stop the workers too, not just this JVM
          Thread hook = new Thread(pool::close, "filer-rep-cluster-shutdown");
          Runtime.getRuntime().addShutdownHook(hook);
          try {
            while (!proxy.awaitTermination(Duration.ofSeconds(1))) {
              if (Thread.currentThread().isInterrupted()) {
                break;
              }
            }
            proxy.failure().ifPresent(failure -> spec.commandLine().getErr()
              .println(spec.qualifiedName() + ": the proxy stopped: " + failure));
            out.println("Stopping " + pool.size() + " workers");
            out.flush();
          } finally {
            try {
              Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
              // the hook is running or about to
            }
          }
        }
      }
    }
    return 0;
  }

  /** {@code java -cp <this class path> FilerWorker --connect EP --root DIR}. */
  static List<String> workerCommand(String backend, Path root) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(FilerWorker.class.getName());
    command.add("--connect");
    command.add(backend);
    command.add("--root");
    command.add(root.toString());
    return command;
  }
}
