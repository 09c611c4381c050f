package io.switchboard.examples;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * {@code time-pubsub}: the seed's "pubsub" pair (000, port 8000) on PUB/SUB instead of a bare TCP server, so the
 * client needs no reconnection library: it may start first, and it carries on when the server goes and comes back.
 * Each message is one frame of JSON, {@code {"pid":PID,"time":MS}}.
 */
@Command(
    name = "time-pubsub",
    mixinStandardHelpOptions = true,
    description = "PUB/SUB: a server publishes {\"pid\",\"time\"} every second; clients print it (port 8000).",
    subcommands = {TimePubSub.Server.class, TimePubSub.Client.class})
final class TimePubSub implements Runnable {
  static final int DEFAULT_PORT = 8000;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing 'server' or 'client'");
  }

  /** The publisher: binds PUB and sends the time every interval to every subscriber. */
  @Command(name = "server", mixinStandardHelpOptions = true,
      description = "Bind PUB on tcp://*:8000 and publish {\"pid\":…,\"time\":…} every second.")
  static final class Server implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", description = "Bind tcp://*:N (default 8000; 0 for any free port).")
    int port = DEFAULT_PORT;

    @Option(names = "--endpoint", paramLabel = "EP", description = "Bind EP instead, as tcp://127.0.0.1:*.")
    String endpoint;

    @Option(names = "--interval", paramLabel = "DURATION", converter = Options.DurationConverter.class,
        description = "Time between messages (default 1s).")
    Duration interval = Duration.ofSeconds(1);

    @Override
    public Integer call() {
      String ep = Options.endpoint(spec, endpoint, "tcp://*:", port);
      if (interval.isZero()) {
        throw new ParameterException(spec.commandLine(), "--interval: 0ms (expected: > 0)");
      }
      PrintWriter out = spec.commandLine().getOut();
      try (Context context = new Context(); Socket pub = context.socket(SocketType.PUB)) {
        out.println("Listening on " + pub.bind(ep));
        out.flush();
        long pid = ProcessHandle.current().pid();
        while (!Thread.currentThread().isInterrupted()) {
          ObjectNode message = Json.object().put("pid", pid).put("time", System.currentTimeMillis());
          pub.send(Message.of(Json.bytes(message)));
          Thread.sleep(interval.toMillis());
        }
      } catch (InterruptedException | InterruptedOperationException stopped) {
        Thread.currentThread().interrupt();
      }
      return 0;
    }
  }

  /** The subscriber: connects SUB, subscribes to everything, prints each message as it came. */
  @Command(name = "client", mixinStandardHelpOptions = true,
      description = "Connect SUB to tcp://127.0.0.1:8000 and print every message; survives server restarts.")
  static final class Client implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", description = "Connect to tcp://127.0.0.1:N (default 8000).")
    int port = DEFAULT_PORT;

    @Option(names = "--endpoint", paramLabel = "EP", description = "Connect to EP instead.")
    String endpoint;

    @Option(names = "--count", paramLabel = "N", description = "Exit after N messages (default: never).")
    int count;

    @Override
    public Integer call() {
      String ep = Options.endpoint(spec, endpoint, "tcp://127.0.0.1:", port);
      if (count < 0) {
        throw new ParameterException(spec.commandLine(), "--count: " + count + " (expected: >= 0)");
      }
      PrintWriter out = spec.commandLine().getOut();
      try (Context context = new Context(); Socket sub = context.socket(SocketType.SUB)) {
        sub.subscribe("");
        sub.connect(ep);
        for (int received = 0; count == 0 || received < count; received++) {
          out.println(sub.receive().firstString());
          out.flush();
        }
      } catch (InterruptedOperationException stopped) {
        Thread.currentThread().interrupt();
      }
      return 0;
    }
  }
}
