package io.switchboard.cli;

import io.switchboard.bus.BusClient;
import io.switchboard.bus.BusException;
import io.switchboard.bus.BusNode;
import io.switchboard.socket.Endpoint;
import io.switchboard.socket.EndpointException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --node} and {@code --token}, shared by {@code bus} and {@code ctl}: which node to talk to, and how. */
final class NodeOptions {
  @Option(names = "--node", paramLabel = "EP",
      description = "The node's endpoint, ipc://PATH or tcp://HOST:PORT (default: the local node).")
  String node;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "The control token, for control commands over tcp.")
  String token;

  /** Errors the node reported to the client (a refused emit, a closed channel). */
  final List<BusException> errors = new CopyOnWriteArrayList<>();

  /** The endpoint to use: checked, and for ipc, present. */
  String endpoint(CommandSpec spec) {
    String ep = node == null ? BusNode.defaultEndpoint() : node;
    Endpoint parsed;
    try {
      parsed = Endpoint.parse(ep);
    } catch (EndpointException e) {
      throw new ParameterException(spec.commandLine(), "--node: " + e.getMessage());
    }
    if (parsed.transport() == Endpoint.Transport.INPROC) {
      throw new ParameterException(spec.commandLine(), "--node: " + ep + " (expected: ipc://PATH or tcp://HOST:PORT)");
    }
    if (parsed.transport() == Endpoint.Transport.IPC && !Files.exists(Path.of(parsed.path()))) {
      throw new SocketCommand.CommandFailedException("no node at " + ep + " (start one with 'switchboard node'"
          + (node == null ? "" : ", or check --node") + ")");
    }
    return ep;
  }

  /** A client of the node, whose reported errors go to {@link #errors}. */
  BusClient connect(CommandSpec spec) {
    return BusClient.builder().node(endpoint(spec)).controlToken(token).onError(errors::add).build();
  }

  /**
   * Waits for a future of the node's answer.
   *
   * @throws SocketCommand.CommandFailedException with the node's reason, or saying no node answered in time
   */
  static <T> T await(CompletableFuture<T> future, Duration timeout, String endpoint) throws InterruptedException {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new SocketCommand.CommandFailedException("no answer from the node at " + endpoint + " within "
          + Durations.format(timeout));
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw new SocketCommand.CommandFailedException(cause.getMessage() == null ? cause.toString()
          : cause.getMessage());
    }
  }
}
