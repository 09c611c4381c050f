package io.switchboard.socket.internal;

import io.switchboard.socket.EndpointException;
import io.switchboard.socket.MonitorEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The inproc names of one context. A connect before the bind is allowed: its pipe queues until the name is bound.
 */
final class InprocRegistry {
  private final Map<String, SocketCore> bound = new HashMap<>();
  private final Map<String, List<InprocPipe>> waiting = new HashMap<>();

  synchronized void bind(String name, SocketCore binder) {
    if (bound.containsKey(name)) {
      throw new EndpointException("endpoint: inproc://" + name + " (expected: a name not bound yet)");
    }
    bound.put(name, binder);
    List<InprocPipe> pipes = waiting.remove(name);
    if (pipes != null) {
      for (InprocPipe pipe : pipes) {
        join(pipe, binder, name);
      }
    }
  }

  synchronized void unbind(String name, SocketCore binder) {
    bound.remove(name, binder);
  }

  synchronized InprocPipe connect(String name, SocketCore connecter) {
    InprocPipe pipe = new InprocPipe(connecter, "inproc://" + name);
    connecter.pipeAdded(pipe);
    SocketCore binder = bound.get(name);
    if (binder == null) {
      waiting.computeIfAbsent(name, k -> new ArrayList<>()).add(pipe);
    } else {
      join(pipe, binder, name);
    }
    return pipe;
  }

  private static void join(InprocPipe connecterEnd, SocketCore binder, String name) {
    SocketCore connecter = connecterEnd.owner;
    if (!connecter.type().isCompatibleWith(binder.type()) || !binder.acceptsPeer(null)) {
      connecter.monitor(MonitorEvent.Type.HANDSHAKE_FAILED, "inproc://" + name,
          binder.type() + " cannot take a " + connecter.type() + " peer");
      return;
    }
    InprocPipe binderEnd = new InprocPipe(binder, "inproc://" + name);
    binder.pipeAdded(binderEnd);
    InprocPipe.join(connecterEnd, binderEnd, () -> binder.pipeAttached(binderEnd, connecter.options().identity()));
    connecter.pipeAttached(connecterEnd, binder.options().identity());
  }
}
