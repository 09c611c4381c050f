package io.switchboard.examples;

import io.switchboard.socket.Context;
import io.switchboard.socket.InterruptedOperationException;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketType;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hello-reqrep}: the seed's nanomsg req/rep pair (000, port 8000) on REQ/REP: the client sends {@code hello},
 * the server answers with the request and {@code " world"} appended.
 */
@Command(
    name = "hello-reqrep",
    mixinStandardHelpOptions = true,
    description = "REQ/REP: the client sends 'hello', the server answers 'hello world' (port 8000).",
    subcommands = {HelloReqRep.Server.class, HelloReqRep.Client.class})
final class HelloReqRep implements Runnable {
  static final int DEFAULT_PORT = 8000;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing 'server' or 'client'");
  }

  /** The responder: binds REP and answers each request with the request plus " world". */
  @Command(name = "server", mixinStandardHelpOptions = true,
      description = "Bind REP on tcp://127.0.0.1:8000; answer each request with the request + ' world'.")
  static final class Server implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", description = "Bind tcp://127.0.0.1:N (default 8000; 0: any).")
    int port = DEFAULT_PORT;

    @Option(names = "--endpoint", paramLabel = "EP", description = "Bind EP instead.")
    String endpoint;

    @Override
    public Integer call() {
      String ep = Options.endpoint(spec, endpoint, "tcp://127.0.0.1:", port);
      PrintWriter out = spec.commandLine().getOut();
      try (Context context = new Context(); Socket rep = context.socket(SocketType.REP)) {
        out.println("Listening on " + rep.bind(ep));
        out.flush();
        for (;;) {
          String request = rep.receive().firstString();
          out.println("received " + request);
          out.flush();
          rep.send(request + " world");
        }
      } catch (InterruptedOperationException stopped) {
        Thread.currentThread().interrupt();
      }
      return 0;
    }
  }

  /** The requester: connects REQ, sends one request, prints the reply. */
  @Command(name = "client", mixinStandardHelpOptions = true,
      description = "Connect REQ to tcp://127.0.0.1:8000, send 'hello', print the reply.")
  static final class Client implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", description = "Connect to tcp://127.0.0.1:N (default 8000).")
    int port = DEFAULT_PORT;

    @Option(names = "--endpoint", paramLabel = "EP", description = "Connect to EP instead.")
    String endpoint;

    @Option(names = "--message", paramLabel = "TEXT", description = "The request (default hello).")
    String message = "hello";

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Options.DurationConverter.class,
        description = "How long to wait for the reply (default 30s); the server may start later.")
    Duration timeout = Duration.ofSeconds(30);

    @Override
    public Integer call() {
      String ep = Options.endpoint(spec, endpoint, "tcp://127.0.0.1:", port);
      PrintWriter out = spec.commandLine().getOut();
      try (Context context = new Context(); Socket req = context.socket(SocketType.REQ)) {
        req.connect(ep);
        req.send(message);
        Message reply = req.receive(timeout);
        if (reply == null) {
          spec.commandLine().getErr().println(spec.qualifiedName() + ": no reply from " + ep + " within "
              + timeout.toMillis() + " ms");
          return 1;
        }
        out.println("received " + reply.firstString());
        out.flush();
      }
      return 0;
    }
  }
}
