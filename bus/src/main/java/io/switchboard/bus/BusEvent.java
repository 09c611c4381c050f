package io.switchboard.bus;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bus.internal.DataCodec;
import io.switchboard.bus.internal.Protocol;

/**
 * One event as a listener or handler receives it, or the reply to a request. Its data stays encoded until asked for;
 * each call to {@link #data(Class)} decodes it anew.
 */
public final class BusEvent {
  private final String channel;
  private final String event;
  private final String from;
  private final byte[] format;
  private final byte[] data;

  BusEvent(String channel, String event, String from, byte[] format, byte[] data) {
    this.channel = channel;
    this.event = event;
    this.from = from;
    this.format = format;
    this.data = data;
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
    return from;
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
    return "BusEvent[" + channel + " " + event + " from " + from + ", " + data.length + " octets of "
        + format() + "]";
  }
}
