package io.switchboard.bench;

import io.switchboard.devices.ReliableBroker;
import io.switchboard.devices.ReliableWorker;
import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketClosedException;
import io.switchboard.socket.SocketOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Request-reply through a broker against direct REQ/REP, on Switchboard and on JeroMQ, printed as one table.
 *
 * <pre>
 *   direct:  DEALER client ──tcp──► REP server
 *   broker:  DEALER client ──tcp──► ROUTER ══ broker ══ ROUTER ◄──tcp── N DEALER workers (1, 2, 4)
 * </pre>
 *
 * <p>Switchboard's broker is {@link ReliableBroker} with {@link ReliableWorker}s; JeroMQ's is the same protocol
 * (READY / REQUEST ticket / REPLY ticket, one request per worker at a time, request ids echoed to clients) written
 * with a {@code ZMQ.Poller}, without heartbeats or deadlines, so it is the lower bound of what a broker costs there.
 * Workers echo the request. Throughput keeps {@code window} requests in flight from one client; latency is one
 * request at a time. Usage: {@code BrokerBench [requests [latencySamples [window [payloadBytes]]]]}, defaults
 * 20000 2000 64 64.
 */
public final class BrokerBench {
  private static final byte[] EMPTY = new byte[0];

  private BrokerBench() {}

  /** Runs every case and prints the table on standard output. */
  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int samples = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
    int window = args.length > 2 ? Integer.parseInt(args[2]) : 64;
    int payload = args.length > 3 ? Integer.parseInt(args[3]) : 64;
    System.out.printf(Locale.ROOT, "broker bench: %d requests (window %d), %d latency samples, %d-byte payload, "
        + "tcp loopback, %d cpus%n%n", requests, window, samples, payload, Runtime.getRuntime().availableProcessors());
    System.out.printf(Locale.ROOT, "%-12s %-16s %8s %12s %10s %10s %10s%n", "library", "topology", "workers", "req/s",
        "p50 µs", "p99 µs", "max µs");
    List<Setup> setups = new ArrayList<>();
    setups.add(new Setup("switchboard", 0));
    for (int n : new int[] {1, 2, 4}) {
      setups.add(new Setup("switchboard", n));
    }
    setups.add(new Setup("jeromq", 0));
    for (int n : new int[] {1, 2, 4}) {
      setups.add(new Setup("jeromq", n));
    }
    for (Setup setup : setups) {
      try (Topology topology = setup.library.equals("switchboard")
          ? new SwitchboardTopology(setup.workers) : new JeromqTopology(setup.workers)) {
        byte[] body = new byte[payload];
        run(topology, body, Math.max(1, requests / 10), Math.min(window, 8)); // warm-up
        double rate = run(topology, body, requests, window);
        long[] latencies = latencies(topology, body, samples);
        System.out.printf(Locale.ROOT, "%-12s %-16s %8s %12.0f %10.1f %10.1f %10.1f%n", setup.library,
            setup.workers == 0 ? "direct REQ/REP" : "broker", setup.workers == 0 ? "1 (REP)" : setup.workers, rate,
            micros(latencies, 0.50), micros(latencies, 0.99), latencies[latencies.length - 1] / 1000.0);
      }
    }
  }

  private record Setup(String library, int workers) {}

  private static double micros(long[] sorted, double quantile) {
    return sorted[Math.min(sorted.length - 1, (int) (sorted.length * quantile))] / 1000.0;
  }

  /** Requests per second with {@code window} in flight. */
  private static double run(Topology topology, byte[] body, int requests, int window) {
    long start = System.nanoTime();
    int sent = 0;
    int received = 0;
    while (sent < Math.min(window, requests)) {
      topology.send(sent++, body);
    }
    while (received < requests) {
      topology.receive();
      received++;
      if (sent < requests) {
        topology.send(sent++, body);
      }
    }
    return requests / ((System.nanoTime() - start) / 1e9);
  }

  private static long[] latencies(Topology topology, byte[] body, int samples) {
    long[] result = new long[samples];
    for (int i = 0; i < samples; i++) {
      long start = System.nanoTime();
      topology.send(i, body);
      topology.receive();
      result[i] = System.nanoTime() - start;
    }
    Arrays.sort(result);
    return result;
  }

  private static byte[] id(int n) {
    return ByteBuffer.allocate(Integer.BYTES).putInt(n).array();
  }

  /** A client and whatever serves it. */
  private interface Topology extends AutoCloseable {
    void send(int id, byte[] body);

    void receive();

    @Override
    void close();
  }

  private static final class SwitchboardTopology implements Topology {
    private final Context context = new Context(2);
    private final boolean direct;
    private final Socket client;
    private final List<AutoCloseable> parts = new ArrayList<>();

    SwitchboardTopology(int workers) {
      SocketOptions options = SocketOptions.builder().highWaterMark(100_000).linger(Duration.ZERO).build();
      direct = workers == 0;
      client = context.socket(io.switchboard.socket.SocketType.DEALER, options);
      if (direct) {
        Socket rep = context.socket(io.switchboard.socket.SocketType.REP, options);
        String endpoint = rep.bind("tcp://127.0.0.1:*");
        Thread server = new Thread(() -> {
          try {
            for (;;) {
              rep.send(rep.receive());
            }
          } catch (SocketClosedException closed) {
            // the bench is over
          }
        }, "bench-rep");
        server.setDaemon(true);
        server.start();
        client.connect(endpoint);
      } else {
        Socket frontend = context.socket(io.switchboard.socket.SocketType.ROUTER, options);
        Socket backend = context.socket(io.switchboard.socket.SocketType.ROUTER, options);
        String clients = frontend.bind("tcp://127.0.0.1:*");
        String workerEndpoint = backend.bind("tcp://127.0.0.1:*");
        ReliableBroker broker = ReliableBroker.builder(frontend, backend).maxOutstanding(100_000).start();
        parts.add(broker);
        for (int i = 0; i < workers; i++) {
          parts.add(ReliableWorker.builder(context, workerEndpoint, request -> request).start());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (broker.workers() < workers && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
        client.connect(clients);
      }
    }

    @Override
    public void send(int id, byte[] body) {
      client.send(direct ? Message.of(EMPTY, body) : Message.of(EMPTY, id(id), body));
    }

    @Override
    public void receive() {
      if (client.receive(Duration.ofSeconds(30)) == null) {
        throw new IllegalStateException("switchboard: no reply within 30 s");
      }
    }

    @Override
    public void close() {
      // workers first: each leaves the broker gracefully, which needs the broker running
      for (int i = parts.size() - 1; i >= 0; i--) {
        try {
          parts.get(i).close();
        } catch (Exception e) {
          e.printStackTrace();
        }
      }
      context.close();
    }
  }

  private static final class JeromqTopology implements Topology {
    private static final byte[] READY = "READY".getBytes(StandardCharsets.UTF_8);
    private static final byte[] REQUEST = "REQUEST".getBytes(StandardCharsets.UTF_8);
    private static final byte[] REPLY = "REPLY".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OK = "OK".getBytes(StandardCharsets.UTF_8);

    private final ZContext context = new ZContext(2);
    private final boolean direct;
    private final ZMQ.Socket client;
    private final List<Thread> threads = new ArrayList<>();

    JeromqTopology(int workers) {
      direct = workers == 0;
      client = socket(SocketType.DEALER);
      if (direct) {
        ZMQ.Socket rep = socket(SocketType.REP);
        int port = rep.bindToRandomPort("tcp://127.0.0.1");
        thread("bench-jeromq-rep", () -> {
          for (;;) {
            byte[] frame = rep.recv();
            rep.send(frame);
          }
        });
        client.connect("tcp://127.0.0.1:" + port);
      } else {
        ZMQ.Socket frontend = socket(SocketType.ROUTER);
        ZMQ.Socket backend = socket(SocketType.ROUTER);
        int clientPort = frontend.bindToRandomPort("tcp://127.0.0.1");
        int workerPort = backend.bindToRandomPort("tcp://127.0.0.1");
        thread("bench-jeromq-broker", () -> broker(frontend, backend));
        for (int i = 0; i < workers; i++) {
          ZMQ.Socket worker = socket(SocketType.DEALER);
          worker.connect("tcp://127.0.0.1:" + workerPort);
          thread("bench-jeromq-worker-" + i, () -> {
            worker.sendMore(EMPTY);
            worker.send(READY);
            for (;;) {
              List<byte[]> request = receiveAll(worker); // ["", "REQUEST", ticket, body...]
              worker.sendMore(EMPTY);
              worker.sendMore(REPLY);
              sendAll(worker, request.subList(2, request.size()));
            }
          });
        }
        client.connect("tcp://127.0.0.1:" + clientPort);
      }
    }

    private ZMQ.Socket socket(SocketType type) {
      ZMQ.Socket socket = context.createSocket(type);
      socket.setSndHWM(100_000);
      socket.setRcvHWM(100_000);
      socket.setLinger(0);
      return socket;
    }

    private void thread(String name, Runnable body) {
      Thread thread = new Thread(() -> {
        try {
          body.run();
        } catch (RuntimeException closed) {
          // the context was closed: the bench is over
        }
      }, name);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }

    /** The next message without waiting, or {@code null}. */
    private static List<byte[]> tryReceiveAll(ZMQ.Socket socket) {
      byte[] first = socket.recv(ZMQ.DONTWAIT);
      if (first == null) {
        return null;
      }
      List<byte[]> frames = new ArrayList<>();
      frames.add(first);
      while (socket.hasReceiveMore()) {
        frames.add(socket.recv());
      }
      return frames;
    }

    private static List<byte[]> receiveAll(ZMQ.Socket socket) {
      List<byte[]> frames = new ArrayList<>();
      do {
        byte[] frame = socket.recv();
        if (frame == null) {
          throw new IllegalStateException("interrupted");
        }
        frames.add(frame);
      } while (socket.hasReceiveMore());
      return frames;
    }

    private static void sendAll(ZMQ.Socket socket, List<byte[]> frames) {
      for (int i = 0; i < frames.size() - 1; i++) {
        socket.sendMore(frames.get(i));
      }
      socket.send(frames.get(frames.size() - 1));
    }

    /** The same LRU protocol as {@link ReliableBroker}, minus heartbeats and deadlines. */
    private void broker(ZMQ.Socket frontend, ZMQ.Socket backend) {
      ArrayDeque<byte[]> ready = new ArrayDeque<>();
      ArrayDeque<List<byte[]>> queue = new ArrayDeque<>();
      Map<Long, List<byte[]>> outstanding = new HashMap<>();
      long nextTicket = 0;
      try (ZMQ.Poller poller = context.createPoller(2)) {
        poller.register(backend, ZMQ.Poller.POLLIN);
        poller.register(frontend, ZMQ.Poller.POLLIN);
        for (;;) {
          if (poller.poll(1000) < 0) {
            return;
          }
          List<byte[]> m;
          while ((m = tryReceiveAll(backend)) != null) { // [worker, "", command, ticket?, reply...]
            String command = new String(m.get(2), StandardCharsets.UTF_8);
            if (command.equals("REPLY")) {
              List<byte[]> request = outstanding.remove(ByteBuffer.wrap(m.get(3)).getLong());
              if (request != null) {
                List<byte[]> reply = new ArrayList<>(List.of(request.get(0), EMPTY, request.get(2), OK));
                reply.addAll(m.subList(4, m.size()));
                sendAll(frontend, reply);
              }
            }
            ready.addLast(m.get(0));
          }
          List<byte[]> request;
          while ((request = tryReceiveAll(frontend)) != null) { // [client, "", id, body...]
            outstanding.put(nextTicket, request);
            List<byte[]> ticketed = new ArrayList<>(request);
            ticketed.add(0, ByteBuffer.allocate(Long.BYTES).putLong(nextTicket++).array());
            queue.addLast(ticketed);
          }
          while (!ready.isEmpty() && !queue.isEmpty()) {
            List<byte[]> ticketed = queue.pollFirst(); // [ticket, client, "", id, body...]
            List<byte[]> out = new ArrayList<>(List.of(ready.pollFirst(), EMPTY, REQUEST, ticketed.get(0)));
            out.addAll(ticketed.subList(4, ticketed.size()));
            sendAll(backend, out);
          }
        }
      }
    }

    @Override
    public void send(int id, byte[] body) {
      client.sendMore(EMPTY);
      if (!direct) {
        client.sendMore(id(id));
      }
      client.send(body);
    }

    @Override
    public void receive() {
      client.setReceiveTimeOut(30_000);
      if (receiveAll(client).isEmpty()) {
        throw new IllegalStateException("jeromq: no reply");
      }
    }

    @Override
    public void close() {
      // JeroMQ's close can wait on sockets blocked in other threads; bound it, the threads are daemons
      Thread closer = new Thread(context::close, "bench-jeromq-close");
      closer.setDaemon(true);
      closer.start();
      try {
        closer.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
