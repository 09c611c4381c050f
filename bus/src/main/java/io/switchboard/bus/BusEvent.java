package io.switchboard.bus;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bus.internal.DataCodec;
import io.switchboard.bus.internal.Protocol;
import java.nio.charset.StandardCharsets;

/**
 * One event as a listener or handler receives it, or the reply to a request. Its data stays encoded until asked for;
 * each call to {@link #data(Class)} decodes it anew.
 */
public final class BusEvent {
  private final String channel;
  private final String event;
  private final byte[] format;
  private final byte[] data;
  /** Where the sender's id is, decoded only when asked for: few listeners look at it. */
  private final byte[] fromHeader;
  private final int fromStart;
  private final int fromEnd;
  private String from;

  BusEvent(String channel, String event, byte[] format, byte[] data, byte[] fromHeader, int fromStart, int fromEnd) {
    this.channel = channel;
    this.event = event;
    this.format = format;
    this.data = data;
    this.fromHeader = fromHeader;
    this.fromStart = fromStart;
    this.fromEnd = fromEnd;
  }

  /** The channel it arrived on (for a copy made by a propagation rule, the channel it was copied to). */
  public String channel() {
    return channel;
  }

  /** The event's name. */
  public String event() {
    return event;
  }

  /** The id of the client that emitted it (empty for a reply). */
  public String from() {
    String f = from;
    if (f == null) {
      f = fromHeader == null ? "" : new String(fromHeader, fromStart, fromEnd - fromStart, StandardCharsets.UTF_8);
      from = f;
    }
    return f;
  }

  /** The name of its data's format: {@code json}, {@code msgpack}, {@code bytes}, or another a foreign client used. */
  public String format() {
    return Protocol.string(format);
  }

  /** The encoded data, as it came; shared, so do not change it. */
  public byte[] rawData() {
    return data;
  }

  /**
   * Decodes the data into a type, as Jackson does (any bean, record, {@code Map}, {@code String}, {@link JsonNode}).
   * Raw bytes decode to {@code byte[]} or a UTF-8 {@code String}.
   *
   * @throws BusException if the data cannot be decoded as that type
   */
  public <T> T data(Class<T> type) {
    return DataCodec.decode(format, data, type);
  }

  /** The data as a JSON tree, whatever its format (raw bytes become a string node). */
  public JsonNode json() {
    return data(JsonNode.class);
  }

  @Override
  public String toString() {
    return "BusEvent[" + channel + " " + event + " from " + from() + ", " + data.length + " octets of "
        + format() + "]";
  }
}
