package io.switchboard.cli;

import io.switchboard.devices.Proxy;
import io.switchboard.socket.Context;
import io.switchboard.socket.Endpoint;
import io.switchboard.socket.EndpointException;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketType;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jline.utils.Signals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code switchboard proxy}: a {@link Proxy} between two sockets given on the command line. */
@Command(
    name = "proxy",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    description = {
      "Forward whole messages between a frontend and a backend socket until stopped: router/dealer (a request "
          + "queue), xsub/xpub (a pub-sub forwarder; subscriptions go upstream), pull/push (a pipeline).",
      "TYPE@EP binds the socket at EP; TYPE>EP (quote it in a shell) connects it to EP instead. With --capture, a "
          + "PUB bound at EP publishes a copy of every forwarded message (dropped when a subscriber is slow).",
      "One line on stderr says where it listens; SIGUSR1 (kill -USR1 PID) prints what it has forwarded so far, "
          + "and so does the last line, when it stops."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  switchboard proxy --frontend 'router@tcp://*:5433' --backend dealer@ipc://filer-dealer.ipc",
      "  switchboard proxy --frontend 'xsub>tcp://10.0.0.5:5556' --backend 'xpub@tcp://*:5557'",
      "  switchboard proxy --frontend 'pull@tcp://*:5557' --backend 'push@tcp://*:5558' --capture 'tcp://*:5559'",
      ExitStatus.HELP_UNTIL_STOPPED
    })
final class ProxyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--frontend", required = true, paramLabel = "TYPE@EP",
      description = "The frontend socket: TYPE@EP binds, TYPE>EP connects.")
  String frontend;

  @Option(names = "--backend", required = true, paramLabel = "TYPE@EP",
      description = "The backend socket: TYPE@EP binds, TYPE>EP connects.")
  String backend;

  @Option(names = "--capture", paramLabel = "EP", description = "Bind a PUB at EP that publishes every message.")
  String capture;

  /** One side from the command line: a type, and an endpoint to bind or connect. */
  record Side(SocketType type, boolean bind, String endpoint) {
    static Side parse(CommandSpec spec, String option, String text) {
      int at = text.indexOf('@');
      int gt = text.indexOf('>');
      int sep = at < 0 ? gt : gt < 0 ? at : Math.min(at, gt);
      SocketType type = null;
      if (sep > 0) {
        try {
          type = SocketType.valueOf(text.substring(0, sep).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
          type = null;
        }
      }
      if (type == null) {
        throw new ParameterException(spec.commandLine(), option + ": " + text
            + " (expected: TYPE@EP to bind or TYPE>EP to connect, TYPE one of router, dealer, xsub, xpub, pull, "
            + "push, ...)");
      }
      String endpoint = text.substring(sep + 1);
      checkEndpoint(spec, option, endpoint);
      return new Side(type, text.charAt(sep) == '@', endpoint);
    }

    String open(Socket socket) {
      if (bind) {
        return type.name().toLowerCase(Locale.ROOT) + "@" + socket.bind(endpoint);
      }
      socket.connect(endpoint);
      return type.name().toLowerCase(Locale.ROOT) + ">" + endpoint;
    }
  }

  static void checkEndpoint(CommandSpec spec, String option, String endpoint) {
    try {
      Endpoint.parse(endpoint);
    } catch (EndpointException e) {
      throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
    }
  }

  @Override
  public Integer call() {
    Side front = Side.parse(spec, "--frontend", frontend);
    Side back = Side.parse(spec, "--backend", backend);
    if (capture != null) {
      checkEndpoint(spec, "--capture", capture);
    }
    Context context = new Context();
    try {
      Socket frontSocket = context.socket(front.type());
      Socket backSocket = context.socket(back.type());
      Socket captureSocket = capture == null ? null : context.socket(SocketType.PUB);
      Proxy proxy;
      try {
        proxy = Proxy.start(frontSocket, backSocket, captureSocket);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      try {
        String where = "frontend " + front.open(frontSocket) + ", backend " + back.open(backSocket)
            + (captureSocket == null ? "" : ", capture pub@" + captureSocket.bind(capture));
        PrintWriter err = spec.commandLine().getErr();
        Runnable report = () -> {
          synchronized (err) {
            err.println(spec.qualifiedName() + ": " + describe(proxy.statistics()));
            err.flush();
          }
        };
        Object previous = onSignal("USR1", report); // before the ready line, which promises it
        synchronized (err) {
          err.println(spec.qualifiedName() + ": listening: " + where);
          err.flush();
        }
        try {
          runUntilStopped(proxy);
        } finally {
          proxy.terminate();
          report.run();
          restoreSignal("USR1", previous);
        }
      } finally {
        proxy.terminate();
      }
    } finally {
      context.close();
    }
    return 0;
  }

  /**
   * Runs until the proxy stops or the thread is interrupted, as {@link Stopping} does on Ctrl-C or SIGTERM; returns
   * normally when interrupted, and the caller closes what it opened.
   *
   * @throws SocketCommand.CommandFailedException if the proxy stopped by itself
   */
  static void runUntilStopped(Proxy proxy) {
    while (!proxy.awaitTermination(Duration.ofHours(1))) {
      if (Thread.interrupted()) {
        return;
      }
    }
    if (Thread.interrupted() || Stopping.isStopping()) {
      return;
    }
    throw new SocketCommand.CommandFailedException("the proxy stopped: " + proxy.failure()
        .map(Errors::describe).orElse("terminated"));
  }

  /** What a proxy has forwarded, in one line. */
  static String describe(Proxy.Statistics s) {
    return "forwarded " + s.frontendToBackendMessages() + " messages (" + s.frontendToBackendBytes()
        + " bytes) frontend to backend, " + s.backendToFrontendMessages() + " (" + s.backendToFrontendBytes()
        + " bytes) backend to frontend";
  }

  /**
   * Runs {@code handler} on the signal {@code name} (USR1), through JLine's {@link Signals}, which reaches the
   * JDK's signal API without compiling against it; returns the previous handler for {@link #restoreSignal}, or
   * null where signals cannot be handled.
   */
  static Object onSignal(String name, Runnable handler) {
    try {
      return Signals.register(name, handler);
    } catch (RuntimeException | LinkageError unsupported) {
      return null;
    }
  }

  static void restoreSignal(String name, Object previous) {
    if (previous != null) {
      try {
        Signals.unregister(name, previous);
      } catch (RuntimeException | LinkageError shuttingDown) {
        // the JVM is exiting; the handler goes with it
      }
    }
  }
}
