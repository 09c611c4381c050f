package io.switchboard.socket.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.socket.DirectMessage;
import io.switchboard.socket.Message;
import io.switchboard.socket.MonitorEvent;
import io.switchboard.socket.SocketOptions;
import io.switchboard.socket.SocketType;
import io.switchboard.zmtp.ZmtpCommand;
import io.switchboard.zmtp.ZmtpGreeting;
import io.switchboard.zmtp.ZmtpHandshakeHandler;
import io.switchboard.zmtp.ZmtpMetadata;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link PipeHandler} and {@link NetPipe} on an {@link EmbeddedChannel}, the way the zmtp module tests its codec: a
 * connection accepted by a socket, the peer's octets fed in whole or one at a time, what the socket writes read back.
 */
@Timeout(30)
class PipeHandlerTest {
  private final ContextCore context = new ContextCore(1);
  private final EmbeddedChannel server = new EmbeddedChannel();

  @AfterEach
  void close() {
    context.close();
    server.finishAndReleaseAll();
  }

  /** An accepted connection of {@code core}, its handshake handler and pipe handler installed as Transports does. */
  private EmbeddedChannel accepted(SocketCore core) {
    Binding binding = Binding.network("tcp://127.0.0.1:5555", server, null);
    PipeHandler handler = new PipeHandler(core, null, binding);
    ZmtpHandshakeHandler handshake = new ZmtpHandshakeHandler(Transports.handshakeOptions(core), handler::onHandshake);
    EmbeddedChannel channel = new EmbeddedChannel(handshake, handler);
    drain(channel); // our greeting
    return channel;
  }

  private static byte[] peerHandshake(String socketType) {
    ByteBuf out = Unpooled.buffer();
    ZmtpGreeting.ours("NULL", false).encode(out);
    new ZmtpCommand.Ready(ZmtpMetadata.of(Map.of(ZmtpMetadata.SOCKET_TYPE,
        socketType.getBytes(StandardCharsets.US_ASCII)))).encode(out);
    return bytes(out);
  }

  private static byte[] frame(String body, boolean more) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ByteBuf out = Unpooled.buffer();
    out.writeByte(more ? 1 : 0).writeByte(b.length).writeBytes(b);
    return bytes(out);
  }

  private static byte[] command(ZmtpCommand command) {
    ByteBuf out = Unpooled.buffer();
    command.encode(out);
    return bytes(out);
  }

  private static byte[] bytes(ByteBuf buf) {
    byte[] b = new byte[buf.readableBytes()];
    buf.readBytes(b);
    buf.release();
    return b;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** Everything the socket wrote so far, after running its pending tasks (flushes). */
  private static byte[] drain(EmbeddedChannel channel) {
    channel.runPendingTasks();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
      out.writeBytes(bytes(buf));
    }
    return out.toByteArray();
  }

  private static void feed(EmbeddedChannel channel, byte[] octets, boolean oneAtATime) {
    if (oneAtATime) {
      for (byte b : octets) {
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
      }
    } else {
      channel.writeInbound(Unpooled.wrappedBuffer(octets));
    }
  }

  @Test
  void zeroCopyMessagesArriveWholeAndInOrderFedWholeOrOneOctetAtATime() {
    for (boolean oneAtATime : new boolean[] {false, true}) {
      SocketCore pull = context.newSocket(SocketType.PULL, SocketOptions.builder().zeroCopyReceive(true).build());
      EmbeddedChannel channel = accepted(pull);
      feed(channel, concat(peerHandshake("PUSH"), frame("one", false), frame("two", true), frame("parts", true),
          frame("", false)), oneAtATime);
      try (DirectMessage one = pull.receiveDirect(0); DirectMessage two = pull.receiveDirect(0)) {
        assertThat(one.toMessage()).isEqualTo(Message.of("one"));
        assertThat(two.toMessage()).isEqualTo(Message.of("two", "parts", ""));
      }
      assertThat(pull.receiveDirect(0)).isNull();
      channel.finishAndReleaseAll();
      pull.close();
    }
  }

  @Test
  void aZeroCopyMessageCutOffByTheConnectionsEndIsReleasedAndOnesQueuedAtTheCloseToo() {
    SocketCore pull = context.newSocket(SocketType.PULL, SocketOptions.builder().zeroCopyReceive(true).build());
    EmbeddedChannel channel = accepted(pull);
    feed(channel, peerHandshake("PUSH"), false);
    // Frames over 64 octets, so that they are slices of what was read: the read buffer lives while they do.
    ByteBuf read = Unpooled.buffer().writeBytes(concat(frame("queued ".repeat(10), false),
        frame("first of two ".repeat(10), true)));
    channel.writeInbound(read.retain());
    assertThat(read.refCnt()).isGreaterThan(2);
    channel.finishAndReleaseAll();
    pull.close();
    assertThat(read.release()).as("the last reference, ours").isTrue();
  }

  @Test
  void messagesArriveWholeAndInOrderFedWholeOrOneOctetAtATime() {
    for (boolean oneAtATime : new boolean[] {false, true}) {
      SocketCore pull = context.newSocket(SocketType.PULL, SocketOptions.DEFAULTS);
      List<MonitorEvent> events = new CopyOnWriteArrayList<>();
      pull.addMonitor(events::add);
      EmbeddedChannel channel = accepted(pull);
      feed(channel, concat(peerHandshake("PUSH"), frame("one", false), frame("two", true), frame("parts", true),
          frame("", false), frame("three", false)), oneAtATime);
      assertThat(pull.receive(0)).isEqualTo(Message.of("one"));
      assertThat(pull.receive(0)).isEqualTo(Message.of("two", "parts", ""));
      assertThat(pull.receive(0)).isEqualTo(Message.of("three"));
      assertThat(pull.receive(0)).isNull();
      assertThat(events).extracting(MonitorEvent::type).contains(MonitorEvent.Type.ACCEPTED);
      assertThat(pull.statistics().messagesReceived()).isEqualTo(3);
      channel.finishAndReleaseAll();
      pull.close();
    }
  }

  /** A connection of {@code push} to a PULL peer, past the handshake, our READY drained. */
  private EmbeddedChannel connectedToPull(SocketCore push) {
    EmbeddedChannel channel = accepted(push);
    feed(channel, peerHandshake("PULL"), false);
    drain(channel); // our READY
    return channel;
  }

  @Test
  void whatTheSocketSendsIsWrittenAsFramesOnTheNextFlush() {
    SocketCore push = context.newSocket(SocketType.PUSH, SocketOptions.DEFAULTS);
    EmbeddedChannel channel = connectedToPull(push);
    assertThat(push.send(Message.of("a"), 0)).isTrue();
    assertThat(push.send(Message.of("b", "c"), 0)).isTrue();
    assertThat(drain(channel)).isEqualTo(concat(frame("a", false), frame("b", true), frame("c", false)));
    assertThat(push.statistics().queuedOutbound()).isZero();
    assertThat(push.statistics().messagesSent()).isEqualTo(2);
    channel.finishAndReleaseAll();
  }

  @Test
  void aFlushOfAFewSmallMessagesWritesABufferOfAboutTheirSize() {
    // The write buffer's high-water mark counts octets written, not capacity: a 64 KiB buffer per small flush once
    // let a publisher's stopped subscribers exhaust its direct memory.
    SocketCore push = context.newSocket(SocketType.PUSH, SocketOptions.DEFAULTS);
    EmbeddedChannel channel = connectedToPull(push);
    for (int i = 0; i < 3; i++) {
      assertThat(push.send(Message.of("small"), 0)).isTrue();
    }
    channel.runPendingTasks();
    ByteBuf written = channel.readOutbound();
    assertThat(written.readableBytes()).isEqualTo(3 * 7);
    assertThat(written.capacity()).isLessThanOrEqualTo(64);
    written.release();
    channel.finishAndReleaseAll();
  }

  @Test
  void aSubscribeCommandReachesThePublisherStrategy() {
    SocketCore pub = context.newSocket(SocketType.PUB, SocketOptions.DEFAULTS);
    EmbeddedChannel channel = accepted(pub);
    feed(channel, concat(peerHandshake("SUB"), command(new ZmtpCommand.Subscribe(
        "news".getBytes(StandardCharsets.UTF_8)))), false);
    drain(channel);
    pub.send(Message.of("weather"), 0);
    pub.send(Message.of("news today"), 0);
    assertThat(drain(channel)).isEqualTo(frame("news today", false));
    feed(channel, command(new ZmtpCommand.Cancel("news".getBytes(StandardCharsets.UTF_8))), false);
    pub.send(Message.of("news tomorrow"), 0);
    assertThat(drain(channel)).isEmpty();
    channel.finishAndReleaseAll();
  }

  @Test
  void aSubscribeCommandIsIgnoredBySocketsThatDoNotPublish() {
    SocketCore pull = context.newSocket(SocketType.PULL, SocketOptions.DEFAULTS);
    EmbeddedChannel channel = accepted(pull);
    feed(channel, concat(peerHandshake("PUSH"), command(new ZmtpCommand.Subscribe(new byte[0])),
        frame("after", false)), false);
    assertThat(pull.receive(0)).isEqualTo(Message.of("after"));
    assertThat(pull.receive(0)).isNull();
    assertThat(channel.isOpen()).isTrue();
    channel.finishAndReleaseAll();
  }

  @Test
  void aPingIsAnsweredWithAPongCarryingItsContext() {
    SocketCore pull = context.newSocket(SocketType.PULL, SocketOptions.DEFAULTS);
    EmbeddedChannel channel = accepted(pull);
    feed(channel, peerHandshake("PUSH"), false);
    drain(channel);
    byte[] context = "ctx".getBytes(StandardCharsets.UTF_8);
    feed(channel, command(new ZmtpCommand.Ping(0, context)), false);
    assertThat(drain(channel)).isEqualTo(command(new ZmtpCommand.Pong(context)));
    channel.finishAndReleaseAll();
  }

  @Test
  void readingPausesAtTheReceiveHighWaterMarkAndResumesAtHalf() {
    SocketCore pull = context.newSocket(SocketType.PULL, SocketOptions.builder().receiveHighWaterMark(4).build());
    EmbeddedChannel channel = accepted(pull);
    feed(channel, concat(peerHandshake("PUSH"), frame("1", false), frame("2", false), frame("3", false),
        frame("4", false)), false);
    assertThat(channel.config().isAutoRead()).as("paused at the mark").isFalse();
    assertThat(pull.receive(0)).isEqualTo(Message.of("1"));
    channel.runPendingTasks();
    assertThat(channel.config().isAutoRead()).as("3 left: above half").isFalse();
    assertThat(pull.receive(0)).isEqualTo(Message.of("2"));
    channel.runPendingTasks();
    assertThat(channel.config().isAutoRead()).as("2 left: half").isTrue();
    channel.finishAndReleaseAll();
  }

  @Test
  void aClosedConnectionTakesItsPipeAwayAndIsReported() {
    SocketCore pull = context.newSocket(SocketType.PULL, SocketOptions.DEFAULTS);
    List<MonitorEvent> events = new CopyOnWriteArrayList<>();
    pull.addMonitor(events::add);
    EmbeddedChannel channel = accepted(pull);
    feed(channel, peerHandshake("PUSH"), false);
    assertThat(pull.pipes).hasSize(1);
    assertThat(pull.statistics().connections()).isEqualTo(1);
    channel.close();
    assertThat(pull.pipes).isEmpty();
    assertThat(events).extracting(MonitorEvent::type).contains(MonitorEvent.Type.DISCONNECTED);
    channel.finishAndReleaseAll();
  }

  @Test
  void aPeerOfTheWrongTypeIsRefusedAndNoPipeIsMade() {
    SocketCore pull = context.newSocket(SocketType.PULL, SocketOptions.DEFAULTS);
    EmbeddedChannel channel = accepted(pull);
    feed(channel, peerHandshake("PULL"), false);
    assertThat(channel.isOpen()).isFalse();
    assertThat(pull.pipes).isEmpty();
    channel.finishAndReleaseAll();
  }

  @Test
  void aClosedNetPipeRefusesMessagesCountsAsIdleAndDropsItsQueueWhenNoConnectionDrainsIt() {
    SocketCore push = context.newSocket(SocketType.PUSH, SocketOptions.builder().sendHighWaterMark(2).build());
    NetPipe pipe = new NetPipe(push, "tcp://127.0.0.1:5555");
    assertThat(pipe.offer(Message.of("1"))).isTrue();
    assertThat(pipe.hasRoom()).isTrue();
    assertThat(pipe.offer(Message.of("2"))).isTrue();
    assertThat(pipe.hasRoom()).isFalse();
    assertThat(pipe.offer(Message.of("3"))).as("at the mark").isFalse();
    assertThat(pipe.isIdle()).isFalse();
    pipe.close();
    assertThat(pipe.offer(Message.of("4"))).isFalse();
    assertThat(pipe.hasRoom()).isFalse();
    assertThat(pipe.isIdle()).isTrue();
    assertThat(pipe.queued()).isZero();
    // With no connection attached, the close is the queue's one consumer: it drops what waits (releasing direct
    // messages), and no connection can attach any more to become a second consumer.
    assertThat(pipe.out.size()).isZero();
    assertThat(pipe.attach(new PipeHandler(push, null, null))).isFalse();
  }
}
