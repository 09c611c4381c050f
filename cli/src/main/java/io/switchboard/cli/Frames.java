package io.switchboard.cli;

import io.switchboard.socket.Message;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Messages as lines: frames separated by a TAB, each frame in its printable form.
 *
 * <p>The printable form of a frame is its text when the frame is valid UTF-8 without control characters (TAB and
 * newline included) and does not itself look like the hex form; otherwise it is {@code 0x} followed by the frame in
 * lower-case hex ({@code 0x00a1b2c3d4}). So every frame prints on one line and the form can be read back.
 */
final class Frames {
  private static final Pattern HEX = Pattern.compile("0x(?:[0-9a-fA-F]{2})+");
  private static final HexFormat HEX_FORMAT = HexFormat.of();

  private Frames() {}

  /** A line of text as a message: each TAB-separated field is one UTF-8 frame. */
  static Message parse(String line) {
    return Message.of(line.split("\t", -1));
  }

  /** A field in printable form as bytes: {@code 0x}+hex is decoded, anything else is UTF-8. */
  static byte[] parseFrame(String field) {
    return HEX.matcher(field).matches()
        ? HEX_FORMAT.parseHex(field, 2, field.length())
        : field.getBytes(StandardCharsets.UTF_8);
  }

  /** A message as one line: its frames in printable form, separated by a TAB. */
  static String format(Message message) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < message.size(); i++) {
      if (i > 0) {
        line.append('\t');
      }
      line.append(format(message.frame(i)));
    }
    return line.toString();
  }

  /** One frame in printable form. */
  static String format(byte[] frame) {
    String text = text(frame);
    return text != null && text.codePoints().noneMatch(Character::isISOControl) ? text : hex(frame);
  }

  /**
   * One frame in printable form for records whose frames end at {@code separator} and which end at {@code
   * terminator}: text may then hold TAB, CR and newline, unless one of them is the separator or terminator.
   */
  static String format(byte[] frame, String separator, char terminator) {
    String text = text(frame);
    boolean printable = text != null && !text.contains(separator) && text.indexOf(terminator) < 0
        && text.chars().noneMatch(c -> Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r');
    return printable ? text : hex(frame);
  }

  /** The frame as UTF-8 text, unless it is not UTF-8 or looks like the hex form; else null. */
  private static String text(byte[] frame) {
    try {
      String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(frame)).toString();
      return HEX.matcher(text).matches() ? null : text;
    } catch (CharacterCodingException notText) {
      return null;
    }
  }

  private static String hex(byte[] frame) {
    return "0x" + HEX_FORMAT.formatHex(frame);
  }
}
