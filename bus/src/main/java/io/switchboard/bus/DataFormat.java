package io.switchboard.bus;

import io.switchboard.bus.internal.DataCodec;
import java.nio.charset.StandardCharsets;

/**
 * How event data is encoded on the wire. Data is encoded once per emit, whatever the number of receivers, and decoded
 * by each receiver when it asks for it ({@link BusEvent#data(Class)}).
 */
public enum DataFormat {
  /** JSON (Jackson): any value Jackson can write. The default. */
  JSON(DataCodec.JSON_NAME),
  /** MessagePack (Jackson's MessagePack format): any value Jackson can write, more compact. */
  MSGPACK(DataCodec.MSGPACK_NAME),
  /** Raw bytes: a {@code byte[]} as it is, or a {@code String} as UTF-8. */
  BYTES(DataCodec.BYTES_NAME);

  private final byte[] wireName;

  DataFormat(byte[] wireName) {
    this.wireName = wireName;
  }

  /** The name in the format frame: {@code json}, {@code msgpack} or {@code bytes}. */
  public String wireName() {
    return new String(wireName, StandardCharsets.US_ASCII);
  }

  byte[] wireNameBytes() {
    return wireName;
  }

  /**
   * Encodes a value.
   *
   * @throws BusException if the value cannot be encoded (for BYTES: it is neither {@code byte[]} nor {@code String})
   */
  public byte[] encode(Object value) {
    return switch (this) {
      case JSON -> DataCodec.encode(DataCodec.JSON, value);
      case MSGPACK -> DataCodec.encode(DataCodec.MSGPACK, value);
      case BYTES -> {
        if (value instanceof byte[] bytes) {
          yield bytes;
        }
        if (value instanceof String s) {
          yield s.getBytes(StandardCharsets.UTF_8);
        }
        throw new BusException("BYTES data must be a byte[] or a String, not "
            + (value == null ? "null" : value.getClass().getName()));
      }
    };
  }
}
