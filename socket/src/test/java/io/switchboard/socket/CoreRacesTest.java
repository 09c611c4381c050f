package io.switchboard.socket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.switchboard.zmtp.ZmtpCommand;
import io.switchboard.zmtp.ZmtpGreeting;
import io.switchboard.zmtp.ZmtpMetadata;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Races between threads of one socket, and between a socket's user and its I/O threads (issue 17). */
@ExtendWith(NoLeakedThreads.class)
class CoreRacesTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @AutoClose private final Context context = new Context();
  @TempDir Path dir;

  /**
   * A peer that connects the instant the listener is up meets a binding that {@code bind} has not published yet. A
   * raw client spins on connect() while the socket binds, so that its connection is accepted in that window.
   */
  @Test
  @Timeout(60)
  void aConnectionAcceptedWhileBindCompletesIsServed() throws Exception {
    for (int i = 0; i < 20; i++) {
      Path file = dir.resolve("race-" + i + ".ipc");
      try (Socket pull = context.socket(SocketType.PULL)) {
        List<MonitorEvent> events = new CopyOnWriteArrayList<>();
        pull.addMonitor(events::add);
        AtomicBoolean giveUp = new AtomicBoolean();
        CompletableFuture<SocketChannel> client = CompletableFuture.supplyAsync(() -> spinConnect(file, giveUp));
        String bound;
        try {
          bound = pull.bind("ipc://" + file);
        } finally {
          giveUp.set(true);
        }
        try (SocketChannel raw = client.get(10, TimeUnit.SECONDS)) {
          raw.write(ByteBuffer.wrap(pushHandshakeAndMessage("m" + i)));
          assertThat(pull.receive(WAIT)).as("message %d", i).isEqualTo(Message.of("m" + i));
          assertThat(events).filteredOn(e -> e.type() == MonitorEvent.Type.ACCEPTED)
              .extracting(MonitorEvent::endpoint).singleElement().asString().startsWith(bound + " from ");
        }
      }
    }
  }

  private static SocketChannel spinConnect(Path file, AtomicBoolean giveUp) {
    UnixDomainSocketAddress address = UnixDomainSocketAddress.of(file);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() - deadline < 0) {
      SocketChannel channel = null;
      try {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(address);
        return channel;
      } catch (IOException notYet) {
        closeQuietly(channel);
        if (giveUp.get() && !file.toFile().exists()) {
          throw new IllegalStateException("bind finished and " + file + " does not exist");
        }
      }
    }
    throw new IllegalStateException("no connection to " + file + " within 10 s");
  }

  private static void closeQuietly(SocketChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }

  /** A ZMTP 3.1 greeting, a NULL handshake as PUSH, and one message frame. */
  private static byte[] pushHandshakeAndMessage(String text) {
    ByteBuf out = Unpooled.buffer();
    ZmtpGreeting.ours("NULL", false).encode(out);
    new ZmtpCommand.Ready(ZmtpMetadata.of(Map.of(ZmtpMetadata.SOCKET_TYPE, "PUSH".getBytes(StandardCharsets.US_ASCII))))
        .encode(out);
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    out.writeByte(0).writeByte(body.length).writeBytes(body);
    byte[] bytes = new byte[out.readableBytes()];
    out.readBytes(bytes);
    return bytes;
  }
}
