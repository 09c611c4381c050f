package io.switchboard.zmtp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The properties carried by READY (and INITIATE) commands: names are ASCII and compared without case, values are
 * opaque octets.
 *
 * <pre>
 * metadata       = *property
 * property       = name-size:1 name:name-size value-size:4 value:value-size
 * </pre>
 */
public final class ZmtpMetadata {
  /** The property that names the sender's socket type. */
  public static final String SOCKET_TYPE = "Socket-Type";
  /** The property that carries the sender's identity (routing id). */
  public static final String IDENTITY = "Identity";

  private final Map<String, byte[]> properties;

  private ZmtpMetadata(Map<String, byte[]> properties) {
    this.properties = properties;
  }

  /** Metadata with the given properties; they are kept, and encoded, in order of their names without case. */
  public static ZmtpMetadata of(Map<String, byte[]> properties) {
    Map<String, byte[]> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    properties.forEach((name, value) -> copy.put(checkName(name), value.clone()));
    return new ZmtpMetadata(copy);
  }

  private static String checkName(String name) {
    if (name.isEmpty() || name.length() > 255) {
      throw new IllegalArgumentException("property name: " + name + " (expected: 1 to 255 characters)");
    }
    return name;
  }

  /** The value of a property, or {@code null} if it is absent. Names are compared without case. */
  public byte[] get(String name) {
    byte[] value = properties.get(name);
    return value == null ? null : value.clone();
  }

  /** The value of a property as ASCII text, or {@code null} if it is absent. */
  public String getString(String name) {
    byte[] value = properties.get(name);
    return value == null ? null : new String(value, StandardCharsets.US_ASCII);
  }

  /** Every property, names mapped to copies of their values. */
  public Map<String, byte[]> asMap() {
    Map<String, byte[]> copy = new LinkedHashMap<>();
    properties.forEach((name, value) -> copy.put(name, value.clone()));
    return Collections.unmodifiableMap(copy);
  }

  /** The encoded length of these properties. */
  public int encodedLength() {
    int length = 0;
    for (Map.Entry<String, byte[]> e : properties.entrySet()) {
      length += 1 + e.getKey().length() + 4 + e.getValue().length;
    }
    return length;
  }

  /** Appends the encoded properties. */
  public void encode(ByteBuf out) {
    for (Map.Entry<String, byte[]> e : properties.entrySet()) {
      out.writeByte(e.getKey().length());
      out.writeCharSequence(e.getKey(), StandardCharsets.US_ASCII);
      out.writeInt(e.getValue().length);
      out.writeBytes(e.getValue());
    }
  }

  /**
   * Decodes every readable byte of {@code in} as properties.
   *
   * @throws ZmtpException if a property is truncated or has an empty name
   */
  public static ZmtpMetadata decode(ByteBuf in) {
    Map<String, byte[]> properties = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    while (in.isReadable()) {
      int nameLength = in.readUnsignedByte();
      if (nameLength == 0 || in.readableBytes() < nameLength + 4) {
        throw new ZmtpException("metadata: truncated or empty property name");
      }
      String name = in.readCharSequence(nameLength, StandardCharsets.US_ASCII).toString();
      long valueLength = in.readUnsignedInt();
      if (valueLength > in.readableBytes()) {
        throw new ZmtpException("metadata: property " + name + " claims " + valueLength + " octets, "
            + in.readableBytes() + " remain");
      }
      byte[] value = new byte[(int) valueLength];
      in.readBytes(value);
      properties.put(name, value);
    }
    return new ZmtpMetadata(properties);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    properties.forEach((name, value) -> {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(name).append('=').append(new String(value, StandardCharsets.US_ASCII));
    });
    return sb.append('}').toString();
  }
}
