package io.switchboard.bus.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.switchboard.bus.BusException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.msgpack.jackson.dataformat.MessagePackMapper;

/** The data formats' wire names and the shared (thread-safe) Jackson mappers behind them. */
public final class DataCodec {
  public static final byte[] JSON_NAME = Protocol.utf8("json");
  public static final byte[] MSGPACK_NAME = Protocol.utf8("msgpack");
  public static final byte[] BYTES_NAME = Protocol.utf8("bytes");
  public static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules().build();
  public static final ObjectMapper MSGPACK = new MessagePackMapper();

  private DataCodec() {}

  /** Header field {@code i}, a format name: one of the shared constants when it is one of ours, else a copy. */
  public static byte[] format(Fields f, int i) {
    if (f.is(i, JSON_NAME)) {
      return JSON_NAME;
    }
    if (f.is(i, MSGPACK_NAME)) {
      return MSGPACK_NAME;
    }
    return f.is(i, BYTES_NAME) ? BYTES_NAME : f.copy(i);
  }

  /** Encodes a value as JSON or MessagePack. */
  public static byte[] encode(ObjectMapper mapper, Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new BusException("cannot encode " + value.getClass().getName() + ": " + e.getMessage(), e);
    }
  }

  /** Decodes data of the named format into a type; bytes decode to {@code byte[]} or UTF-8 {@code String}. */
  public static <T> T decode(byte[] format, byte[] data, Class<T> type) {
    try {
      if (java.util.Arrays.equals(format, BYTES_NAME)) {
        if (type == byte[].class) {
          return type.cast(data.clone());
        }
        if (type == String.class || type == Object.class) {
          return type.cast(new String(data, StandardCharsets.UTF_8));
        }
        if (type == JsonNode.class) {
          return type.cast(JSON.getNodeFactory().textNode(new String(data, StandardCharsets.UTF_8)));
        }
        throw new BusException("raw bytes decode to byte[] or String, not " + type.getName());
      }
      return mapperFor(format).readValue(data, type);
    } catch (IOException e) {
      throw new BusException("cannot decode " + Protocol.string(format) + " data as " + type.getSimpleName() + ": "
          + e.getMessage(), e);
    }
  }

  private static ObjectMapper mapperFor(byte[] format) {
    if (java.util.Arrays.equals(format, JSON_NAME)) {
      return JSON;
    }
    if (java.util.Arrays.equals(format, MSGPACK_NAME)) {
      return MSGPACK;
    }
    throw new BusException("unknown data format \"" + Protocol.string(format) + "\" (expected json, msgpack or bytes)");
  }
}
