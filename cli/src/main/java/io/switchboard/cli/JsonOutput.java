package io.switchboard.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.socket.Message;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --json}, for the commands that print messages: each message as one JSON object on one line,
 * {@code {"frames":["a","b"]}}. A frame that is text (valid UTF-8 whose only control characters are TAB, LF and
 * CR) is a JSON string; any other frame, such as a generated routing id or a subscription frame, is an object
 * {@code {"hex":"00ff"}}. Without it, messages print in {@link Frames}'s printable form.
 */
final class JsonOutput {
  /** Made on first use: Jackson takes a fifth of a second to load, which commands that print no JSON save. */
  private static final class Mapper {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }
  private static final HexFormat HEX_FORMAT = HexFormat.of();

  @Option(
      names = "--json",
      description = "Print each message as one line of JSON: {\"frames\":[\"text\",{\"hex\":\"00ff\"}]}; "
          + "frames that are not text are hex.")
  boolean json;

  /** A message as one line: in JSON with {@code --json}, else as {@code otherwise} has it. */
  String format(Message message, Framing otherwise) {
    return json ? toJson(message) : otherwise.format(message);
  }

  /** A message as one line of JSON. */
  static String toJson(Message message) {
    ObjectNode object = Mapper.MAPPER.createObjectNode();
    ArrayNode frames = object.putArray("frames");
    for (int i = 0; i < message.size(); i++) {
      byte[] frame = message.frame(i);
      String text = text(frame);
      if (text != null) {
        frames.add(text);
      } else {
        frames.addObject().put("hex", HEX_FORMAT.formatHex(frame));
      }
    }
    try {
      return Mapper.MAPPER.writeValueAsString(object);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // writing a tree of strings to a String does not fail
    }
  }

  /**
   * A message from one line of JSON, {@code {"frames":["text",{"hex":"00ff"},{"base64":"AP8="}]}}, or a bare array
   * of frames.
   *
   * @throws IllegalArgumentException if the line is not such JSON, saying what was expected
   */
  static Message fromJson(String line) {
    String expected = " (expected: {\"frames\":[\"text\",{\"hex\":\"00ff\"}]})";
    JsonNode root;
    try {
      root = Mapper.MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage() + expected);
    }
    JsonNode frames = root != null && root.isObject() ? root.get("frames") : root;
    if (frames == null || !frames.isArray() || frames.isEmpty()) {
      throw new IllegalArgumentException("no frames: " + line + expected);
    }
    List<byte[]> result = new ArrayList<>();
    for (JsonNode frame : frames) {
      if (frame.isTextual()) {
        result.add(frame.textValue().getBytes(StandardCharsets.UTF_8));
      } else if (frame.isObject() && frame.path("hex").isTextual()) {
        try {
          result.add(HEX_FORMAT.parseHex(frame.get("hex").textValue()));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("not hex: " + frame + expected);
        }
      } else if (frame.isObject() && frame.path("base64").isTextual()) {
        try {
          result.add(Base64.getDecoder().decode(frame.get("base64").textValue()));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("not base64: " + frame + expected);
        }
      } else {
        throw new IllegalArgumentException("a frame is " + frame + expected);
      }
    }
    return Message.of(result.toArray(byte[][]::new));
  }

  /** The frame as text if it is valid UTF-8 with no control characters but TAB, LF and CR, else {@code null}. */
  private static String text(byte[] frame) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(frame)).toString();
    } catch (CharacterCodingException notText) {
      return null;
    }
    boolean binary = text.chars().anyMatch(c -> Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r');
    return binary ? null : text;
  }
}
