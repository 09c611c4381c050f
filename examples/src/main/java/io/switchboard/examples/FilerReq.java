package io.switchboard.examples;

import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketType;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code filer-req FILE}: the book's zmq-filer-req.js: one {@code {"path":FILE}} request, its reply printed as it
 * came. {@link FilerReqLoop} sends several. Exits 1 if a reply is an error ({@code {"error":WHY}}).
 */
@Command(
    name = "filer-req",
    mixinStandardHelpOptions = true,
    description = "REQ: ask filer-rep for FILE and print the reply (port 5433).")
class FilerReq implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The path to ask for, relative to the server's root.")
  String file;

  @Option(names = "--port", paramLabel = "N", description = "Connect to tcp://127.0.0.1:N (default 5433).")
  int port = FilerRep.DEFAULT_PORT;

  @Option(names = "--endpoint", paramLabel = "EP", description = "Connect to EP instead.")
  String endpoint;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = Options.DurationConverter.class,
      description = "How long to wait for each reply (default 30s); the server may start later.")
  Duration timeout = Duration.ofSeconds(30);

  /** How many requests to send, one after the other. */
  int requests() {
    return 1;
  }

  /** The reply's {@code error}, or null for a reply with the file (or one that is not JSON). */
  private static String error(Message reply) {
    try {
      JsonNode error = Json.parse(reply.frame(0)).get("error");
      return error == null ? null : error.asText();
    } catch (IOException notJson) {
      return null;
    }
  }

  @Override
  public Integer call() {
    int requests = requests();
    String ep = Options.endpoint(spec, endpoint, "tcp://127.0.0.1:", port);
    PrintWriter out = spec.commandLine().getOut();
    byte[] request = Json.bytes(Json.object().put("path", file));
    boolean failed = false;
    try (Context context = new Context(); Socket req = context.socket(SocketType.REQ)) {
      req.connect(ep);
      for (int i = 1; i <= requests; i++) {
        out.println("Sending request " + i + " for " + file);
        out.flush();
        req.send(Message.of(request));
        Message reply = req.receive(timeout);
        if (reply == null) {
          spec.commandLine().getErr().println(spec.qualifiedName() + ": no reply from " + ep + " within "
              + timeout.toMillis() + " ms");
          return 1;
        }
        out.println("Received response: " + reply.firstString());
        out.flush();
        String error = error(reply);
        if (error != null) {
          failed = true;
          spec.commandLine().getErr().println(spec.qualifiedName() + ": the server answered: " + error);
          spec.commandLine().getErr().flush();
        }
      }
    }
    return failed ? 1 : 0;
  }
}
