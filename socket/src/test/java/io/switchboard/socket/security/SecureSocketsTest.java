package io.switchboard.socket.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import io.switchboard.socket.MonitorEvent;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PLAIN and CURVE between Switchboard sockets over tcp: right credentials work, wrong ones show as monitor events. */
class SecureSocketsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration QUIET = Duration.ofMillis(300);
  @AutoClose private final Context context = new Context();

  private Socket socket(SocketType type, SocketOptions.Builder options) {
    return context.socket(type, options.handshakeTimeout(Duration.ofSeconds(5)).reconnectInterval(
        Duration.ofMillis(50)).build());
  }

  /** Monitors a socket and returns its HANDSHAKE_FAILED events. */
  private static BlockingQueue<MonitorEvent> failures(Socket socket) {
    BlockingQueue<MonitorEvent> q = new LinkedBlockingQueue<>();
    socket.addMonitor(e -> {
      if (e.type() == MonitorEvent.Type.HANDSHAKE_FAILED) {
        q.add(e);
      }
    });
    return q;
  }

  private static void assertFlows(Socket push, Socket pull) {
    push.send(Message.of("secret", "stuff"));
    assertThat(pull.receive(WAIT)).isEqualTo(Message.of("secret", "stuff"));
  }

  private static void assertNothingArrives(Socket push, Socket pull) {
    push.trySend(Message.of("must not arrive"));
    assertThat(pull.receive(QUIET)).isNull();
  }

  // ---- PLAIN ----

  @Test
  void plainWithTheRightPassword() {
    Authenticator auth = Authenticator.builder().plainUser("alice", "secret").build();
    Socket pull = socket(SocketType.PULL, SocketOptions.builder().plainServer(auth));
    Socket push = socket(SocketType.PUSH, SocketOptions.builder().plainClient("alice", "secret"));
    push.connect(pull.bind("tcp://127.0.0.1:*"));
    assertFlows(push, pull);
    assertThat(auth.acceptedCount()).isEqualTo(1);
  }

  @Test
  void plainWithAWrongPasswordIsRefusedAndReported() throws Exception {
    Authenticator auth = Authenticator.builder().plainUser("alice", "secret").build();
    Socket pull = socket(SocketType.PULL, SocketOptions.builder().plainServer(auth));
    BlockingQueue<MonitorEvent> refused = failures(pull);
    Socket push = socket(SocketType.PUSH, SocketOptions.builder().plainClient("alice", "guess"));
    BlockingQueue<MonitorEvent> clientSide = failures(push);
    push.connect(pull.bind("tcp://127.0.0.1:*"));

    MonitorEvent event = refused.poll(10, TimeUnit.SECONDS);
    assertThat(event).isNotNull();
    assertThat(event.detail()).contains("PLAIN user alice: wrong password (from 127.0.0.1)");
    assertThat(clientSide.poll(10, TimeUnit.SECONDS).detail()).contains("ERROR: 400");
    assertThat(auth.refusedCount()).isPositive();
    assertNothingArrives(push, pull);
  }

  @Test
  void plainUsersFromAFileAndReload(@TempDir Path dir) throws Exception {
    Path users = dir.resolve("users");
    Files.writeString(users, "# users\nbob:builder\n");
    Authenticator auth = Authenticator.builder().plainUsersFile(users).build();
    Socket pull = socket(SocketType.PULL, SocketOptions.builder().plainServer(auth));
    BlockingQueue<MonitorEvent> refused = failures(pull);
    String endpoint = pull.bind("tcp://127.0.0.1:*");

    Socket carol = socket(SocketType.PUSH, SocketOptions.builder().plainClient("carol", "x"));
    carol.connect(endpoint);
    assertThat(refused.poll(10, TimeUnit.SECONDS).detail()).contains("PLAIN user carol is unknown");
    carol.close();

    Files.writeString(users, "bob:builder\ncarol:x\n");
    auth.reload();
    Socket carolAgain = socket(SocketType.PUSH, SocketOptions.builder().plainClient("carol", "x"));
    carolAgain.connect(endpoint);
    assertFlows(carolAgain, pull);
  }

  // ---- CURVE ----

  @Test
  void curveWithAnAllowedClientKey() {
    CurveKeyPair server = CurveKeyPair.generate();
    CurveKeyPair client = CurveKeyPair.generate();
    Authenticator auth = Authenticator.builder().curveAllow(client.publicKeyZ85()).build();
    Socket rep = socket(SocketType.REP, SocketOptions.builder().curveServer(server).authenticator(auth));
    Socket req = socket(SocketType.REQ, SocketOptions.builder().curveClient(client, server.publicKeyZ85()));
    req.connect(rep.bind("tcp://127.0.0.1:*"));
    for (int i = 0; i < 20; i++) {
      req.send(Message.of("ping " + i));
      assertThat(rep.receive(WAIT)).isEqualTo(Message.of("ping " + i));
      rep.send(Message.of(new byte[100_000]));
      assertThat(req.receive(WAIT)).isEqualTo(Message.of(new byte[100_000]));
    }
  }

  @Test
  void curvePubSubSubscriptionsTravelSealed() throws Exception {
    CurveKeyPair server = CurveKeyPair.generate();
    Socket pub = socket(SocketType.PUB, SocketOptions.builder().curveServer(server));
    Socket sub = socket(SocketType.SUB, SocketOptions.builder().curveClient(CurveKeyPair.generate(),
        server.publicKey()));
    sub.subscribe("news".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    sub.connect(pub.bind("tcp://127.0.0.1:*"));
    Message received = null;
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (received == null && System.nanoTime() < deadline) {
      pub.send(Message.of("weather", "rain"));
      pub.send(Message.of("news", "hello"));
      received = sub.receive(Duration.ofMillis(100));
    }
    assertThat(received).isEqualTo(Message.of("news", "hello"));
  }

  @Test
  void curveClientWithTheWrongServerKeyIsRefused() throws Exception {
    CurveKeyPair server = CurveKeyPair.generate();
    Socket pull = socket(SocketType.PULL, SocketOptions.builder().curveServer(server));
    BlockingQueue<MonitorEvent> refused = failures(pull);
    Socket push = socket(SocketType.PUSH, SocketOptions.builder().curveClient(CurveKeyPair.generate(),
        CurveKeyPair.generate().publicKey()));
    push.connect(pull.bind("tcp://127.0.0.1:*"));

    assertThat(refused.poll(10, TimeUnit.SECONDS).detail()).contains("CURVE").contains("failed authentication");
    assertNothingArrives(push, pull);
  }

  @Test
  void curveUnknownClientIsRefusedAndCertificateDirectoryReloads(@TempDir Path dir) throws Exception {
    CurveKeyPair server = CurveKeyPair.generate();
    CurveKeyPair client = CurveKeyPair.generate();
    Authenticator auth = Authenticator.builder().curveCertificateDirectory(dir).build();
    Socket pull = socket(SocketType.PULL, SocketOptions.builder().curveServer(server).authenticator(auth));
    BlockingQueue<MonitorEvent> refused = failures(pull);
    String endpoint = pull.bind("tcp://127.0.0.1:*");
    Socket push = socket(SocketType.PUSH, SocketOptions.builder().curveClient(client, server.publicKey()));
    push.connect(endpoint);

    assertThat(refused.poll(10, TimeUnit.SECONDS).detail())
        .contains("CURVE client key " + client.publicKeyZ85() + " is not allowed");
    assertThat(auth.refusedCount()).isPositive();

    CurveCertificate.ofPublicKey(client.publicKey()).save(dir.resolve("client"));
    auth.reload();
    assertFlows(push, pull); // the client reconnects by itself and is now admitted
  }

  @Test
  void addressDenyList() throws Exception {
    Authenticator auth = Authenticator.builder().deny("127.0.0.1").build();
    Socket pull = socket(SocketType.PULL, SocketOptions.builder().authenticator(auth));
    BlockingQueue<MonitorEvent> refused = failures(pull);
    Socket push = socket(SocketType.PUSH, SocketOptions.builder());
    push.connect(pull.bind("tcp://127.0.0.1:*"));
    assertThat(refused.poll(10, TimeUnit.SECONDS).detail()).contains("address 127.0.0.1 is on the deny list");
  }

  @Test
  void addressRangesOverRealConnections() throws Exception {
    Authenticator lan = Authenticator.builder().allow("10.0.0.0/8", "fd00::/8").build();
    Socket pull = socket(SocketType.PULL, SocketOptions.builder().authenticator(lan));
    BlockingQueue<MonitorEvent> refused = failures(pull);
    Socket push = socket(SocketType.PUSH, SocketOptions.builder());
    push.connect(pull.bind("tcp://127.0.0.1:*"));
    assertThat(refused.poll(10, TimeUnit.SECONDS).detail()).contains("address 127.0.0.1 is not on the allow list");

    Authenticator loopback = Authenticator.builder().allow("127.0.0.0/8", "::1").build();
    Socket pull2 = socket(SocketType.PULL, SocketOptions.builder().authenticator(loopback));
    Socket push2 = socket(SocketType.PUSH, SocketOptions.builder());
    push2.connect(pull2.bind("tcp://127.0.0.1:*"));
    assertFlows(push2, pull2);
  }

  @Test
  void theSocketsZapDomainReachesTheAuthenticator() throws Exception {
    CurveKeyPair server = CurveKeyPair.generate();
    CurveKeyPair client = CurveKeyPair.generate();
    Authenticator auth = Authenticator.builder().curveAllow(client.publicKey()).domains("inside").build();
    Socket inside = socket(SocketType.PULL, SocketOptions.builder().curveServer(server).authenticator(auth)
        .zapDomain("inside"));
    Socket outside = socket(SocketType.PULL, SocketOptions.builder().curveServer(server).authenticator(auth)
        .zapDomain("outside"));
    BlockingQueue<MonitorEvent> refused = failures(outside);
    Socket push = socket(SocketType.PUSH, SocketOptions.builder().curveClient(client, server.publicKey()));
    push.connect(inside.bind("tcp://127.0.0.1:*"));
    assertFlows(push, inside);
    Socket push2 = socket(SocketType.PUSH, SocketOptions.builder().curveClient(client, server.publicKey()));
    push2.connect(outside.bind("tcp://127.0.0.1:*"));
    assertThat(refused.poll(10, TimeUnit.SECONDS).detail())
        .contains("ZAP domain 'outside' is not served by this authenticator");
    assertNothingArrives(push2, outside);
    assertThatThrownBy(() -> SocketOptions.builder().zapDomain("d".repeat(256)))
        .hasMessage("zapDomain: 256 octets (expected: at most 255)");
    assertThat(SocketOptions.builder().zapDomain("x").build().toBuilder().build().zapDomain()).isEqualTo("x");
  }

  @Test
  void optionsAreValidated() {
    assertThatThrownBy(() -> SocketOptions.builder().curveClient(CurveKeyPair.generate(), "short"))
        .hasMessage("serverPublicKey: 5 characters (expected: 40 characters of Z85)");
    assertThatThrownBy(() -> SocketOptions.builder().plainClient("u", "p")
        .authenticator(Authenticator.builder().build()).build())
        .hasMessageContaining("on a PLAIN client (expected: only on a server");
    assertThatThrownBy(() -> SocketOptions.builder().plainClient("u".repeat(256), "p"))
        .hasMessage("plainClient username: 256 octets (expected: at most 255)");
    assertThatThrownBy(() -> SocketOptions.builder().plainServer(null))
        .isInstanceOf(NullPointerException.class).hasMessage("authenticator");
    SocketOptions o = SocketOptions.builder().plainClient("u", "p").curveServer(CurveKeyPair.generate()).build();
    assertThat(o.security()).isInstanceOf(Security.CurveServer.class);
    assertThat(o.security().mechanism()).isEqualTo("CURVE");
    assertThat(o.security().authenticator()).isNull();
  }

  // ---- a ZAP handler of one's own ----

  @Test
  void aZapHandlerOfOnesOwnAdmitsAndRefusesWithItsStatusCode() throws Exception {
    CurveKeyPair server = CurveKeyPair.generate();
    CurveKeyPair welcome = CurveKeyPair.generate();
    BlockingQueue<ZapHandler.Request> asked = new LinkedBlockingQueue<>();
    ZapHandler onlyWelcome = request -> {
      asked.add(request);
      if (!java.util.Arrays.equals(request.clientKey(), welcome.publicKey())) {
        throw new AuthenticationRefusedException("not on the guest list", "300");
      }
      return "guest";
    };
    Socket pull = socket(SocketType.PULL, SocketOptions.builder()
        .security(new Security.CurveServer(server, onlyWelcome)).zapDomain("party"));
    String endpoint = pull.bind("tcp://127.0.0.1:*");
    BlockingQueue<MonitorEvent> refused = failures(pull);

    Socket stranger = socket(SocketType.PUSH, SocketOptions.builder()
        .security(new Security.CurveClient(CurveKeyPair.generate(), server.publicKey())));
    BlockingQueue<MonitorEvent> strangerSide = failures(stranger);
    stranger.connect(endpoint);
    assertThat(refused.poll(10, TimeUnit.SECONDS).detail()).contains("not on the guest list");
    assertThat(strangerSide.poll(10, TimeUnit.SECONDS).detail()).contains("ERROR: 300");

    Socket guest = socket(SocketType.PUSH, SocketOptions.builder().curveClient(welcome, server.publicKey()));
    guest.connect(endpoint);
    assertFlows(guest, pull);
    ZapHandler.Request first = asked.poll();
    assertThat(first.mechanism()).isEqualTo("CURVE");
    assertThat(first.domain()).isEqualTo("party");
  }
}
