package io.switchboard.gateway.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** The gateway's one JSON mapper, and the envelopes of the service protocol. */
public final class Json {
  /** Nesting is bounded, so a hostile request cannot exhaust the stack. */
  public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
      .build()).build();

  private Json() {}

  /** Parses JSON text; a {@link JsonProcessingException}'s first line says what is wrong and where. */
  public static JsonNode parse(byte[] bytes, int offset, int length) throws IOException {
    return MAPPER.readTree(bytes, offset, length);
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

  /** The encoded bytes of a tree. */
  public static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }
}
