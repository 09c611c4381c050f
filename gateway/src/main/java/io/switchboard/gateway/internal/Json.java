package io.switchboard.gateway.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Arrays;

/** The gateway's one JSON mapper, and the envelopes of the service protocol. */
public final class Json {
  /** Nesting is bounded, so a hostile request cannot exhaust the stack. */
  public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
      .build()).build();
  /** Reads trees; made once, as every reader and writer of the mapper would be per call. */
  private static final ObjectReader READER = MAPPER.reader();
  private static final ObjectWriter WRITER = MAPPER.writer();
  private static final byte[] EMPTY_OBJECT = {'{', '}'};

  private Json() {}

  /** Parses JSON text; a {@link JsonProcessingException}'s first line says what is wrong and where. */
  public static JsonNode parse(byte[] bytes, int offset, int length) throws IOException {
    return READER.readTree(bytes, offset, length);
  }

  /** A short reason for a parse error: Jackson's first line, without the source excerpt. */
  public static String reason(IOException e) {
    if (e instanceof JsonProcessingException j) {
      String message = j.getOriginalMessage();
      int newline = message.indexOf('\n');
      String first = newline < 0 ? message : message.substring(0, newline);
      return j.getLocation() == null ? first : first + " at column " + j.getLocation().getColumnNr();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** {@code {"err":reason,"kind":kind}}. */
  public static ObjectNode error(String reason, String kind) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("err", reason);
    n.put("kind", kind);
    return n;
  }

  /** The encoded bytes of a value (a tree, a map, a record). */
  public static byte[] bytes(Object value) {
    try {
      return WRITER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON value could not be written: " + e.getOriginalMessage(), e);
    }
  }

  /** The start of a request for {@code cmd}, {@code {"cmd":"…","payload":}, to which {@link #request} adds. */
  public static byte[] requestPrefix(String cmd) {
    byte[] name = bytes(MAPPER.getNodeFactory().textNode(cmd));
    byte[] head = "{\"cmd\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] tail = ",\"payload\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] prefix = Arrays.copyOf(head, head.length + name.length + tail.length);
    System.arraycopy(name, 0, prefix, head.length, name.length);
    System.arraycopy(tail, 0, prefix, head.length + name.length, tail.length);
    return prefix;
  }

  /** A request {@code {"cmd":…,"payload":…}} from its prefix and the encoded payload ({@code {}} if null). */
  public static byte[] request(byte[] prefix, byte[] payload) {
    byte[] p = payload == null ? EMPTY_OBJECT : payload;
    byte[] request = Arrays.copyOf(prefix, prefix.length + p.length + 1);
    System.arraycopy(p, 0, request, prefix.length, p.length);
    request[request.length - 1] = '}';
    return request;
  }
}
