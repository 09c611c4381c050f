package io.switchboard.socket.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.socket.Context;
import io.switchboard.socket.Message;
import io.switchboard.socket.NoLeakedThreads;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Received messages tell who sent them: {@link Message#userId()} and {@link Message#property(String)}. */
@ExtendWith(NoLeakedThreads.class)
class PeerIdentityTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String ANY_PORT = "tcp://127.0.0.1:*";

  @AutoClose private final Context context = new Context();

  private Socket socket(SocketType type, SocketOptions.Builder options) {
    return context.socket(type, options.handshakeTimeout(Duration.ofSeconds(5)).build());
  }

  @Test
  void plainServerSeesTheUserNameAndTheSendersProperties() {
    Authenticator auth = Authenticator.builder().plainUser("alice", "secret").build();
    Socket pull = socket(SocketType.PULL, SocketOptions.builder().plainServer(auth));
    Socket push = socket(SocketType.PUSH, SocketOptions.builder().plainClient("alice", "secret"));
    push.connect(pull.bind(ANY_PORT));

    push.send(Message.of("one"));
    push.send(Message.of("two", "frames"));
    Message first = pull.receive(WAIT);
    Message second = pull.receive(WAIT);

    assertThat(first.userId()).contains("alice");
    assertThat(second.userId()).contains("alice");
    assertThat(first.property("Socket-Type")).contains("PUSH");
    assertThat(first.property("socket-type")).contains("PUSH");
    assertThat(first.property("User-Id")).contains("alice");
    assertThat(first.property("No-Such-Property")).isEmpty();
  }

  @Test
  void repSeesTheUserIdOfEachRequestAndTheClientSeesNone() {
    Authenticator auth = Authenticator.builder().plainUser("alice", "secret").plainUser("bob", "builder").build();
    Socket rep = socket(SocketType.REP, SocketOptions.builder().plainServer(auth));
    String endpoint = rep.bind(ANY_PORT);
    Socket alice = socket(SocketType.REQ, SocketOptions.builder().plainClient("alice", "secret"));
    Socket bob = socket(SocketType.REQ, SocketOptions.builder().plainClient("bob", "builder"));
    alice.connect(endpoint);
    bob.connect(endpoint);

    for (Socket req : new Socket[] {alice, bob}) {
      req.send(Message.of("who am I?"));
      Message request = rep.receive(WAIT);
      assertThat(request).isEqualTo(Message.of("who am I?")); // the envelope is gone, the sender is not
      rep.send(Message.of(request.userId().orElse("nobody")));
      Message reply = req.receive(WAIT);
      assertThat(reply.frameString(0)).isEqualTo(req == alice ? "alice" : "bob");
      // a client does not authenticate its server, but still sees what the server announced
      assertThat(reply.userId()).isEmpty();
      assertThat(reply.property("Socket-Type")).contains("REP");
    }
  }

  @Test
  void routerKeepsTheUserIdBehindTheRoutingId() {
    Authenticator auth = Authenticator.builder().plainUser("alice", "secret").build();
    Socket router = socket(SocketType.ROUTER, SocketOptions.builder().plainServer(auth));
    Socket dealer = socket(SocketType.DEALER, SocketOptions.builder().plainClient("alice", "secret"));
    dealer.connect(router.bind(ANY_PORT));

    dealer.send(Message.of("hi"));
    Message received = router.receive(WAIT);

    assertThat(received.size()).isEqualTo(2);
    assertThat(received.userId()).contains("alice");
    assertThat(received.dropFirst(1).userId()).contains("alice");
  }

  @Test
  void curveServerSeesTheClientKeyInZ85() {
    CurveKeyPair server = CurveKeyPair.generate();
    CurveKeyPair client = CurveKeyPair.generate();
    Authenticator auth = Authenticator.builder().curveAllow(client.publicKeyZ85()).build();
    Socket pull = socket(SocketType.PULL, SocketOptions.builder().curveServer(server).authenticator(auth));
    Socket push = socket(SocketType.PUSH, SocketOptions.builder().curveClient(client, server.publicKeyZ85()));
    push.connect(pull.bind(ANY_PORT));

    push.send(Message.of("sealed"));
    Message received = pull.receive(WAIT);

    assertThat(received.userId()).contains(client.publicKeyZ85());
    assertThat(received.property("Socket-Type")).contains("PUSH");
  }

  @Test
  void withoutAuthenticationThereIsNoUserId() {
    Socket pull = socket(SocketType.PULL, SocketOptions.builder());
    Socket push = socket(SocketType.PUSH, SocketOptions.builder());
    push.connect(pull.bind(ANY_PORT));
    push.send(Message.of("plain"));
    Message overTcp = pull.receive(WAIT);

    Socket inprocPull = socket(SocketType.PULL, SocketOptions.builder());
    inprocPull.bind("inproc://peer-identity");
    Socket inprocPush = socket(SocketType.PUSH, SocketOptions.builder());
    inprocPush.connect("inproc://peer-identity");
    inprocPush.send(Message.of("local"));
    Message overInproc = inprocPull.receive(WAIT);

    assertThat(overTcp.userId()).isEmpty();
    assertThat(overTcp.property("Socket-Type")).contains("PUSH");
    assertThat(overInproc.userId()).isEmpty();
    assertThat(overInproc.property("Socket-Type")).isEmpty();
    assertThat(Message.of("built here").userId()).isEmpty();
    assertThat(Message.of("built here").property("Socket-Type")).isEmpty();
  }
}
