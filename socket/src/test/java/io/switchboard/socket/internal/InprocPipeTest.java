package io.switchboard.socket.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.socket.Endpoint;
import io.switchboard.socket.Message;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link InprocPipe}: queueing before the peer binds, the joined window, closing. */
@Timeout(30)
class InprocPipeTest {
  private final ContextCore context = new ContextCore(1);

  @AfterEach
  void close() {
    context.close();
  }

  private static Endpoint inproc(String name) {
    return Endpoint.parse("inproc://" + name);
  }

  @Test
  void beforeTheBindMessagesWaitUpToTheSendMarkThenGoOverInOrder() {
    SocketCore push = context.newSocket(SocketType.PUSH, SocketOptions.builder().sendHighWaterMark(3).build());
    push.connect(inproc("later"));
    InprocPipe pipe = (InprocPipe) push.pipes[0];
    for (int i = 0; i < 3; i++) {
      assertThat(pipe.hasRoom()).isTrue();
      assertThat(pipe.offer(Message.of("m" + i))).isTrue();
    }
    assertThat(pipe.hasRoom()).isFalse();
    assertThat(pipe.offer(Message.of("m3"))).isFalse();
    assertThat(pipe.isIdle()).as("waiting for the binder").isFalse();
    assertThat(pipe.isAttached()).isFalse();

    SocketCore pull = context.newSocket(SocketType.PULL, SocketOptions.builder().receiveHighWaterMark(2).build());
    pull.bind(inproc("later"));
    assertThat(pipe.isIdle()).isTrue();
    assertThat(pipe.isAttached()).isTrue();
    for (int i = 0; i < 3; i++) {
      assertThat(pull.receive(0)).isEqualTo(Message.of("m" + i));
    }
    assertThat(pull.receive(0)).isNull();
  }

  @Test
  void oneJoinedEndTakesTheSumOfTheSendAndReceiveMarks() {
    SocketCore pull = context.newSocket(SocketType.PULL, SocketOptions.builder().receiveHighWaterMark(2).build());
    pull.bind(inproc("window"));
    SocketCore push = context.newSocket(SocketType.PUSH, SocketOptions.builder().sendHighWaterMark(3).build());
    push.connect(inproc("window"));
    InprocPipe pipe = (InprocPipe) push.pipes[0];
    int taken = 0;
    while (pipe.offer(Message.of("x"))) {
      taken++;
    }
    assertThat(taken).isEqualTo(5);
    assertThat(pipe.queued()).isEqualTo(5);
    assertThat(pipe.hasRoom()).isFalse();
    assertThat(pull.receive(0)).isNotNull();
    assertThat(pipe.hasRoom()).isTrue();
    assertThat(pipe.queued()).isEqualTo(4);
    assertThat(pipe.sent()).isEqualTo(5);
    // the sender looks at what was taken again when the window looks full: the freed place is taken, then no more
    assertThat(pipe.offer(Message.of("y"))).isTrue();
    assertThat(pipe.offer(Message.of("z"))).isFalse();
    assertThat(pipe.sent()).isEqualTo(6);
  }

  @Test
  void closingOneEndRemovesTheOtherFromItsSocket() {
    SocketCore pull = context.newSocket(SocketType.PULL, SocketOptions.DEFAULTS);
    pull.bind(inproc("gone"));
    SocketCore push = context.newSocket(SocketType.PUSH, SocketOptions.DEFAULTS);
    push.connect(inproc("gone"));
    assertThat(pull.pipes).hasSize(1);
    InprocPipe pushEnd = (InprocPipe) push.pipes[0];
    push.disconnect(inproc("gone"));
    assertThat(pull.pipes).isEmpty();
    assertThat(pushEnd.offer(Message.of("late"))).isFalse();
    assertThat(pushEnd.hasRoom()).isFalse();
  }

  @Test
  void aReceivedMessageIsTheSendersFramesByReferenceInAMessageOfItsOwn() {
    SocketCore pull = context.newSocket(SocketType.PULL, SocketOptions.DEFAULTS);
    pull.bind(inproc("ref"));
    SocketCore push = context.newSocket(SocketType.PUSH, SocketOptions.DEFAULTS);
    push.connect(inproc("ref"));
    byte[] body = {1, 2, 3};
    Message sent = Message.of(body);
    assertThat(push.send(sent, 0)).isTrue();
    Message received = pull.receive(0);
    assertThat(received).isNotSameAs(sent).isEqualTo(sent);
    assertThat(received.frame(0)).isSameAs(body);
  }
}
