package io.switchboard.zmtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;

/**
 * Records what a {@link ZmtpFrameDecoder} delivers, in order: {@link Frame}s and {@link ZmtpCommand}s. In buffer mode
 * it takes frames as buffers, records their octets and releases them.
 */
final class RecordingListener implements ZmtpFrameListener {
  private final List<Object> events = new ArrayList<>();
  private final boolean buffers;

  RecordingListener() {
    this(false);
  }

  RecordingListener(boolean buffers) {
    this.buffers = buffers;
  }

  /** One message frame, compared by content. */
  record Frame(byte[] body, boolean more) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Frame f && f.more == more && Arrays.equals(f.body, body);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(body) * 31 + Boolean.hashCode(more);
    }

    @Override
    public String toString() {
      return describe(this);
    }
  }

  static Frame frame(String body, boolean more) {
    return new Frame(Wire.ascii(body), more);
  }

  static Frame frame(byte[] body, boolean more) {
    return new Frame(body, more);
  }

  @Override
  public void onFrame(byte[] body, boolean more) {
    events.add(new Frame(body, more));
  }

  @Override
  public boolean framesAsBuffers() {
    return buffers;
  }

  @Override
  public void onFrame(ByteBuf body, boolean more) {
    assertThat(buffers).as("a buffer for a listener of arrays").isTrue();
    try {
      events.add(new Frame(ByteBufUtil.getBytes(body), more));
    } finally {
      body.release();
    }
  }

  @Override
  public void onCommand(ZmtpCommand command) {
    events.add(command);
  }

  List<Object> events() {
    return events;
  }

  /** Asserts that exactly these frames and commands arrived, in this order. */
  void assertEvents(Object... expected) {
    assertEvents(events, expected);
  }

  /** Compares events by {@link #describe description}: commands hold arrays, which records compare by identity. */
  static void assertEvents(List<Object> actual, Object... expected) {
    assertThat(actual.stream().map(RecordingListener::describe))
        .containsExactly(Arrays.stream(expected).map(RecordingListener::describe).toArray(String[]::new));
  }

  /** A record as its type and components, arrays in hex: {@code Ping[ttlDeciseconds=100, context=6162]}. */
  static String describe(Object value) {
    if (value instanceof byte[] octets) {
      return Wire.hex(octets);
    }
    if (!(value instanceof Record)) {
      return String.valueOf(value);
    }
    StringJoiner joiner = new StringJoiner(", ", value.getClass().getSimpleName() + "[", "]");
    for (RecordComponent component : value.getClass().getRecordComponents()) {
      try {
        joiner.add(component.getName() + "=" + describe(component.getAccessor().invoke(value)));
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }
    return joiner.toString();
  }
}
