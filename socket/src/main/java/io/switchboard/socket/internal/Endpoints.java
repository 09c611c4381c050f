package io.switchboard.socket.internal;

import io.switchboard.socket.Endpoint;
import io.switchboard.socket.EndpointException;
import io.switchboard.socket.MonitorEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One socket's endpoints over every transport: what it is bound to ({@link Binding}s), the endpoints it connects to
 * ({@link Connector}s for tcp and ipc, the pipes of inproc connections), and closing them all. Part of {@link
 * SocketCore}, which checks that the socket is open before calling in; thread-safe.
 */
final class Endpoints {
  private static final String INPROC = "inproc://";

  private final SocketCore core;
  private final Map<String, Connector> connectors = new ConcurrentHashMap<>();
  private final Map<String, Binding> bindings = new ConcurrentHashMap<>();
  private final Map<String, List<InprocPipe>> inprocConnections = new ConcurrentHashMap<>();

  Endpoints(SocketCore core) {
    this.core = core;
  }

  /** Binds and returns the endpoint as bound (an ephemeral port or ipc path filled in). */
  String bind(Endpoint endpoint) {
    if (endpoint.transport() == Endpoint.Transport.INPROC) {
      core.context.inproc().bind(endpoint.path(), core);
      String bound = endpoint.toString();
      bindings.put(bound, Binding.inproc(bound));
      return bound;
    }
    Binding binding = core.context.transports().bind(core, endpoint);
    bindings.put(binding.endpoint(), binding);
    core.monitor(MonitorEvent.Type.LISTENING, binding.endpoint(), "");
    return binding.endpoint();
  }

  /** Connects: joins an inproc peer (or waits for it), or starts a connector that keeps a tcp or ipc peer connected. */
  void connect(Endpoint endpoint) {
    String key = endpoint.toString();
    if (endpoint.transport() == Endpoint.Transport.INPROC) {
      InprocPipe pipe = core.context.inproc().connect(endpoint.path(), core);
      inprocConnections.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(pipe);
      return;
    }
    Connector connector = new Connector(core, endpoint);
    if (connectors.putIfAbsent(key, connector) != null) {
      throw new EndpointException("endpoint: " + key + " (expected: an endpoint this socket is not connected to)");
    }
    core.pipeAdded(connector.pipe());
    connector.start();
  }

  void unbind(Endpoint endpoint) {
    Binding binding = bindings.remove(endpoint.toString());
    if (binding == null) {
      throw new EndpointException("endpoint: " + endpoint + " (expected: an endpoint this socket is bound to)");
    }
    if (endpoint.transport() == Endpoint.Transport.INPROC) {
      core.context.inproc().unbind(endpoint.path(), core);
    }
    binding.close();
  }

  void disconnect(Endpoint endpoint) {
    String key = endpoint.toString();
    Connector connector = connectors.remove(key);
    List<InprocPipe> inproc = inprocConnections.remove(key);
    if (connector == null && inproc == null) {
      throw new EndpointException("endpoint: " + key + " (expected: an endpoint this socket is connected to)");
    }
    if (connector != null) {
      connector.close();
      core.pipeRemoved(connector.pipe());
    }
    if (inproc != null) {
      for (InprocPipe pipe : inproc) {
        pipe.close();
        core.pipeRemoved(pipe);
      }
    }
  }

  /** The bound endpoints, as {@link #bind} returned them. */
  List<String> bound() {
    return List.copyOf(bindings.keySet());
  }

  /**
   * Closes every connector and binding and gives up the inproc names; what throws is added to {@code failures} and
   * the rest still closed. The pipes are the socket's to close.
   */
  void closeAll(List<Throwable> failures) {
    for (Connector connector : connectors.values()) {
      run(failures, connector::close);
    }
    for (Binding binding : bindings.values()) {
      run(failures, binding::close);
    }
    for (String bound : bindings.keySet()) {
      if (bound.startsWith(INPROC)) {
        run(failures, () -> core.context.inproc().unbind(bound.substring(INPROC.length()), core));
      }
    }
    connectors.clear();
    bindings.clear();
  }

  static void run(List<Throwable> failures, Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      failures.add(e);
    }
  }
}
