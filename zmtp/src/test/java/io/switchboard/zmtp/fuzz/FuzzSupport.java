package io.switchboard.zmtp.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.zmtp.ZmtpCommand;
import io.switchboard.zmtp.ZmtpException;
import io.switchboard.zmtp.ZmtpFrameListener;
import io.switchboard.zmtp.ZmtpGreeting;
import io.switchboard.zmtp.ZmtpMetadata;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * What every fuzz target shares: the input layout, a buffer allocator that proves nothing leaked and nothing was
 * sized by a peer's claim, and the invariants checked after each input.
 *
 * <pre>
 * input   = split-count:1 split:split-count params payload
 *           split-count & 7 octets give the chunk lengths that the payload is cut into, cyclically (0 = the rest),
 *           so the fuzzer chooses every split point; params are the target's own (a limit, a mode)
 * </pre>
 *
 * <p>The invariants: an exception that leaves a handler is a {@link ZmtpException}, or Netty's {@link
 * DecoderException} around one; a failed handshake fails with a {@link ZmtpException} that is not the handler's
 * catch-all wrapping of some other exception, and its channel is closed; every buffer is released once the channel
 * is finished; no buffer and no body is larger than the limit (or the input) allows; the thread allocates at most
 * {@link #ALLOCATION_SLACK} plus a multiple of the input, so a size that a peer merely claims never becomes an array.
 */
final class FuzzSupport {
  /** What one input may allocate beyond a multiple of its length: far below any claimed size worth catching. */
  static final long ALLOCATION_SLACK = 4L << 20;
  /** The handler's catch-all turns a stray exception into "handshake: java.lang.FooException: ..." */
  private static final Pattern WRAPPED = Pattern.compile("handshake: (java|javax|io\\.netty|org\\.bouncycastle)\\."
      + "[\\w.$]*(Exception|Error)\\b.*", Pattern.DOTALL);
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private FuzzSupport() {}

  /** The parsed input: the target's parameters, then the payload cut into chunks. */
  static final class Input {
    final byte[] params;
    final byte[] payload;
    final int[] splits;

    private Input(byte[] params, byte[] payload, int[] splits) {
      this.params = params;
      this.payload = payload;
      this.splits = splits;
    }

    /** Parses {@code data}; missing octets read as zero. */
    static Input parse(byte[] data, int paramLength) {
      int at = 0;
      int count = data.length > 0 ? data[at++] & 7 : 0;
      int[] splits = new int[count];
      for (int i = 0; i < count; i++) {
        splits[i] = at < data.length ? data[at++] & 0xFF : 0;
      }
      byte[] params = new byte[paramLength];
      for (int i = 0; i < paramLength && at < data.length; i++) {
        params[i] = data[at++];
      }
      return new Input(params, Arrays.copyOfRange(data, Math.min(at, data.length), data.length), splits);
    }

    int param(int index) {
      return params[index] & 0xFF;
    }

    /** The payload as the chunks that arrive one read at a time. */
    List<byte[]> chunks() {
      return chunks(payload);
    }

    /** Any octets cut the same way as the payload would be. */
    List<byte[]> chunks(byte[] octets) {
      List<byte[]> chunks = new ArrayList<>();
      int at = 0;
      for (int i = 0; at < octets.length; i++) {
        int n = splits.length == 0 || splits[i % splits.length] == 0 ? octets.length - at
            : Math.min(splits[i % splits.length], octets.length - at);
        chunks.add(Arrays.copyOfRange(octets, at, at + n));
        at += n;
      }
      return chunks;
    }
  }

  /**
   * An unpooled heap allocator that keeps every buffer it makes, to prove that all were released, and the largest
   * capacity asked for by the code under test (the inputs it copies for the harness do not count).
   */
  static final class TrackingAllocator extends AbstractByteBufAllocator {
    private final List<ByteBuf> allocated = new ArrayList<>();
    private int largestRequest;
    private boolean harness;

    TrackingAllocator() {
      super(false);
    }

    /** A tracked buffer holding a copy of {@code octets}, as if read from a socket. */
    ByteBuf copyOf(byte[] octets) {
      harness = true;
      try {
        return buffer(octets.length).writeBytes(octets);
      } finally {
        harness = false;
      }
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
      if (!harness) {
        largestRequest = Math.max(largestRequest, initialCapacity);
      }
      ByteBuf buf = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
      allocated.add(buf);
      return buf;
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
      return newHeapBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
      return false;
    }

    int largestRequest() {
      return largestRequest;
    }

    void assertAllReleased() {
      for (ByteBuf buf : allocated) {
        assertThat(buf.refCnt()).as("refCnt of a buffer after finishAndReleaseAll (leak)").isZero();
      }
    }
  }

  /**
   * The last handler: keeps every exception that reaches it, and closes the channel on the first, as the socket
   * layer's handler does.
   */
  static final class Tail extends ChannelInboundHandlerAdapter {
    final List<Throwable> exceptions = new ArrayList<>();
    int strayMessages;

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      exceptions.add(cause);
      ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      strayMessages++;
      ReferenceCountUtil.release(msg);
    }
  }

  /** A listener that records what it gets and checks sizes as they arrive. */
  static final class Recorder implements ZmtpFrameListener {
    final List<String> events = new ArrayList<>();
    final long maxMessageSize;
    long messageSize;
    long bodyOctets;
    /** Set by the harness once an error was seen: nothing may arrive afterwards. */
    boolean failed;

    Recorder(long maxMessageSize) {
      this.maxMessageSize = maxMessageSize;
    }

    @Override
    public void onFrame(byte[] body, boolean more) {
      assertThat(failed).as("a frame arrived after a protocol error").isFalse();
      messageSize += body.length;
      bodyOctets += body.length;
      assertThat(messageSize).as("message size against maxMessageSize").isLessThanOrEqualTo(maxMessageSize);
      if (!more) {
        messageSize = 0;
      }
      events.add((more ? "M " : "F ") + ByteBufUtil.hexDump(body));
    }

    @Override
    public void onCommand(ZmtpCommand command) {
      assertThat(failed).as("a command arrived after a protocol error").isFalse();
      assertThat((long) command.encodedLength()).as("command size against maxMessageSize")
          .isLessThanOrEqualTo(maxMessageSize);
      events.add("C " + ByteBufUtil.hexDump(Unpooled.wrappedBuffer(encodeBody(command))));
    }
  }

  /** Whether {@code t} is a documented protocol error. */
  static boolean isProtocolError(Throwable t) {
    if (t instanceof DecoderException && t.getCause() != null) {
      t = t.getCause();
    }
    return t instanceof ZmtpException;
  }

  /** Fails with {@code t} attached unless it is a documented protocol error. */
  static void assertProtocolError(Throwable t) {
    if (!isProtocolError(t)) {
      throw new AssertionError("not a protocol error: " + t, t);
    }
  }

  /** Fails unless a handshake failure is a plain protocol error, not a stray exception the handler wrapped. */
  static void assertHandshakeFailure(Throwable cause) {
    assertProtocolError(cause);
    if (WRAPPED.matcher(String.valueOf(cause.getMessage())).matches()) {
      throw new AssertionError("the handshake handler caught a non-protocol exception: " + cause.getMessage(), cause);
    }
  }

  /** Octets the current thread has allocated so far. */
  static long allocatedBytes() {
    return THREADS.getCurrentThreadAllocatedBytes();
  }

  /**
   * Runs {@code target} and fails if the thread allocated more than the slack plus {@code perInputOctet} octets per
   * input octet. A run over the bound is repeated once and only the repeat counts: the first run down a new path also
   * loads and initialises classes, which allocates megabytes that no peer controls.
   */
  static void assertAllocationBounded(int inputLength, int perInputOctet, Runnable target) {
    assertAllocationBounded(perInputOctet, 0, () -> {
      target.run();
      return new Fed(inputLength, 0);
    });
  }

  /** What a harness fed to the code under test: so many octets, in so many reads. */
  record Fed(long octets, long reads) {}

  /**
   * As {@link #assertAllocationBounded(int, int, Runnable)}, but per octet and per read of what {@code target} fed to
   * the code under test, for a harness that expands its input (CURVE's seals a whole MESSAGE for each length octet of
   * the input, so its own allocations and the server's follow the octets on the wire, not the input). Each read costs
   * the harness and Netty's {@code EmbeddedChannel} something whatever its size (the chunk's copy, its buffer, the
   * tracking allocator's list): an input fed one octet per read is held to {@code perOctet + perRead} per octet.
   */
  static void assertAllocationBounded(int perOctet, int perRead, Supplier<Fed> target) {
    long before = allocatedBytes();
    Fed fed = target.get();
    long used = allocatedBytes() - before;
    if (used > bound(perOctet, perRead, fed)) {
      before = allocatedBytes();
      fed = target.get();
      used = allocatedBytes() - before;
    }
    assertThat(used).as("octets allocated for %s octets fed%s", fed.octets(),
            fed.reads() == 0 ? "" : " in " + fed.reads() + " reads")
        .isLessThanOrEqualTo(bound(perOctet, perRead, fed));
  }

  private static long bound(int perOctet, int perRead, Fed fed) {
    return ALLOCATION_SLACK + perOctet * fed.octets() + perRead * fed.reads();
  }

  /** Writes {@code octets} inbound if the channel is still open; a closed channel reads nothing more. */
  static void writeInbound(EmbeddedChannel channel, TrackingAllocator alloc, byte[] octets) {
    if (channel.isOpen()) {
      channel.writeInbound(alloc.copyOf(octets));
    }
  }

  /** Every buffer the handlers wrote, as octets, each released. */
  static byte[] drainOutbound(EmbeddedChannel channel) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (Object msg; (msg = channel.readOutbound()) != null; ) {
      ByteBuf buf = (ByteBuf) msg;
      try {
        out.writeBytes(ByteBufUtil.getBytes(buf));
      } finally {
        buf.release();
      }
    }
    return out.toByteArray();
  }

  // ---- wire builders for seeds and for the CURVE harness ----

  static byte[] written(Consumer<ByteBuf> writer) {
    ByteBuf out = Unpooled.buffer();
    try {
      writer.accept(out);
      return ByteBufUtil.getBytes(out);
    } finally {
      out.release();
    }
  }

  static byte[] greeting(String mechanism, boolean asServer) {
    return written(ZmtpGreeting.ours(mechanism, asServer)::encode);
  }

  static byte[] encodeBody(ZmtpCommand command) {
    return written(command::encodeBody);
  }

  static byte[] command(ZmtpCommand command) {
    return written(command::encode);
  }

  static byte[] command(String name, byte[] data) {
    return command(new ZmtpCommand.Other(name, data));
  }

  static byte[] metadata(String socketType) {
    return written(ZmtpMetadata.of(Map.of(ZmtpMetadata.SOCKET_TYPE, ascii(socketType)))::encode);
  }

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
