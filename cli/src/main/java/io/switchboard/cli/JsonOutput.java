package io.switchboard.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.socket.Message;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import picocli.CommandLine.Option;

/**
 * {@code --json}, for the commands that print messages: each message as one JSON object on one line,
 * {@code {"frames":["a","b"]}}. A frame that is text (valid UTF-8 whose only control characters are TAB, LF and
 * CR) is a JSON string; any other frame, such as a generated routing id or a subscription frame, is an object
 * {@code {"hex":"00ff"}}. Without it, messages print in {@link Frames}'s printable form.
 */
final class JsonOutput {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HexFormat HEX_FORMAT = HexFormat.of();

  @Option(
      names = "--json",
      description = "Print each message as one line of JSON: {\"frames\":[\"text\",{\"hex\":\"00ff\"}]}; "
          + "frames that are not text are hex.")
  boolean json;

  /** A message as one line, in JSON with {@code --json}, in printable form without. */
  String format(Message message) {
    return json ? toJson(message) : Frames.format(message);
  }

  /** A message as one line of JSON. */
  static String toJson(Message message) {
    ObjectNode object = MAPPER.createObjectNode();
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
      return MAPPER.writeValueAsString(object);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // writing a tree of strings to a String does not fail
    }
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
