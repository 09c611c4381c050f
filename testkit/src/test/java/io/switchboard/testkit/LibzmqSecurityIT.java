package io.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import io.switchboard.socket.MonitorEvent;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;
import io.switchboard.socket.security.Authenticator;
import io.switchboard.socket.security.CurveKeyPair;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PLAIN (RFC 24) and CURVE (RFC 26) against libzmq 4.3 through pyzmq, with libzmq as server (its ZAP handler is
 * pyzmq's ThreadAuthenticator) and as client; skipped when there is no Python with pyzmq.
 */
class LibzmqSecurityIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static Path script;
  private final List<Process> processes = new ArrayList<>();
  private Context context;

  @BeforeAll
  static void findPython() throws IOException {
    assumeTrue(LibzmqLibrary.isAvailable(), "no /usr/bin/python3 with pyzmq");
    script = Files.createTempFile("zmq_secure_peer", ".py");
    try (InputStream in = LibzmqSecurityIT.class.getResourceAsStream("zmq_secure_peer.py")) {
      Files.write(script, in.readAllBytes());
    }
    script.toFile().deleteOnExit();
  }

  @BeforeEach
  void open() {
    context = new Context();
  }

  @AfterEach
  void close() {
    context.close();
    processes.forEach(Process::destroyForcibly);
  }

  private BufferedReader python(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    processes.add(p);
    return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
  }

  private Socket socket(SocketType type, SocketOptions.Builder options) {
    return context.socket(type, options.handshakeTimeout(Duration.ofSeconds(5)).build());
  }

  private static BlockingQueue<MonitorEvent> failures(Socket socket) {
    BlockingQueue<MonitorEvent> q = new LinkedBlockingQueue<>();
    socket.addMonitor(e -> {
      if (e.type() == MonitorEvent.Type.HANDSHAKE_FAILED) {
        q.add(e);
      }
    });
    return q;
  }

  private static void echo(Socket rep) {
    Message request = rep.receive(WAIT);
    assertThat(request).isEqualTo(Message.of("hello"));
    rep.send(request);
  }

  // ---- libzmq is the server ----

  @Test
  void plainClientToLibzmqServer() throws Exception {
    String endpoint = python("server", "plain", "alice", "secret").readLine().substring(3);
    Socket req = socket(SocketType.REQ, SocketOptions.builder().plainClient("alice", "secret"));
    req.connect(endpoint);
    req.send(Message.of("ping"));
    assertThat(req.receive(WAIT)).isEqualTo(Message.of("ping"));
    req.send(Message.of("quit"));
    assertThat(req.receive(WAIT)).isEqualTo(Message.of("quit"));
  }

  @Test
  void plainClientWithAWrongPasswordIsRefusedByLibzmq() throws Exception {
    String endpoint = python("server", "plain", "alice", "secret").readLine().substring(3);
    Socket req = socket(SocketType.REQ, SocketOptions.builder().plainClient("alice", "guess"));
    BlockingQueue<MonitorEvent> refused = failures(req);
    req.connect(endpoint);
    assertThat(refused.poll(10, TimeUnit.SECONDS).detail()).contains("peer sent ERROR: 400");
  }

  @Test
  void curveClientToLibzmqServer() throws Exception {
    CurveKeyPair server = CurveKeyPair.generate();
    String endpoint = python("server", "curve", server.secretKeyZ85()).readLine().substring(3);
    Socket req = socket(SocketType.REQ, SocketOptions.builder().curveClient(CurveKeyPair.generate(),
        server.publicKeyZ85()));
    req.connect(endpoint);
    for (int i = 0; i < 5; i++) {
      Message m = Message.of("frame " + i, "x".repeat(300 * i));
      req.send(m);
      assertThat(req.receive(WAIT)).isEqualTo(m);
    }
    req.send(Message.of("quit"));
    assertThat(req.receive(WAIT)).isEqualTo(Message.of("quit"));
  }

  // ---- we are the server ----

  @Test
  void libzmqPlainClientToOurServer() throws Exception {
    Authenticator auth = Authenticator.builder().plainUser("bob", "builder").build();
    Socket rep = socket(SocketType.REP, SocketOptions.builder().plainServer(auth));
    BufferedReader client = python("client", "plain", "bob", "builder", rep.bind("tcp://127.0.0.1:*"));
    echo(rep);
    assertThat(client.readLine()).isEqualTo("OK hello");
  }

  @Test
  void libzmqPlainClientWithAWrongPasswordIsRefused() throws Exception {
    Authenticator auth = Authenticator.builder().plainUser("bob", "builder").build();
    Socket rep = socket(SocketType.REP, SocketOptions.builder().plainServer(auth));
    BlockingQueue<MonitorEvent> refused = failures(rep);
    BufferedReader client = python("client", "plain", "bob", "wrong", rep.bind("tcp://127.0.0.1:*"));
    assertThat(refused.poll(10, TimeUnit.SECONDS).detail()).contains("PLAIN user bob: wrong password");
    assertThat(client.readLine()).isEqualTo("TIMEOUT");
    assertThat(auth.refusedCount()).isPositive();
  }

  @Test
  void libzmqCurveClientToOurServer() throws Exception {
    CurveKeyPair server = CurveKeyPair.generate();
    CurveKeyPair client = CurveKeyPair.generate();
    Authenticator auth = Authenticator.builder().curveAllow(client.publicKey()).build();
    Socket rep = socket(SocketType.REP, SocketOptions.builder().curveServer(server).authenticator(auth));
    BufferedReader out = python("client", "curve", client.secretKeyZ85(), server.publicKeyZ85(),
        rep.bind("tcp://127.0.0.1:*"));
    echo(rep);
    assertThat(out.readLine()).isEqualTo("OK hello");
  }

  @Test
  void libzmqCurveClientWithAnUnknownKeyIsRefused() throws Exception {
    CurveKeyPair server = CurveKeyPair.generate();
    Authenticator auth = Authenticator.builder().curveAllow(CurveKeyPair.generate().publicKey()).build();
    Socket rep = socket(SocketType.REP, SocketOptions.builder().curveServer(server).authenticator(auth));
    BlockingQueue<MonitorEvent> refused = failures(rep);
    CurveKeyPair client = CurveKeyPair.generate();
    BufferedReader out = python("client", "curve", client.secretKeyZ85(), server.publicKeyZ85(),
        rep.bind("tcp://127.0.0.1:*"));
    assertThat(refused.poll(10, TimeUnit.SECONDS).detail())
        .contains("CURVE client key " + client.publicKeyZ85() + " is not allowed");
    assertThat(out.readLine()).isEqualTo("TIMEOUT");
  }

  @Test
  void libzmqCurveClientWithTheWrongServerKeyIsRefused() throws Exception {
    CurveKeyPair server = CurveKeyPair.generate();
    Socket rep = socket(SocketType.REP, SocketOptions.builder().curveServer(server));
    BlockingQueue<MonitorEvent> refused = failures(rep);
    BufferedReader out = python("client", "curve", CurveKeyPair.generate().secretKeyZ85(),
        CurveKeyPair.generate().publicKeyZ85(), rep.bind("tcp://127.0.0.1:*"));
    assertThat(refused.poll(10, TimeUnit.SECONDS).detail()).contains("failed authentication");
    assertThat(out.readLine()).isEqualTo("TIMEOUT");
  }
}
