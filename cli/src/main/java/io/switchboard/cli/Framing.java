package io.switchboard.cli;

import io.switchboard.socket.Message;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * How messages are written as records of text, in and out: {@code --format} (text, hex, base64, json), the frame
 * {@code --delimiter} (TAB by default) and the record separator (a newline, or NUL with {@code -0}).
 *
 * <ul>
 *   <li>{@code text}: {@link Frames}'s printable form (text as it is, other frames as {@code 0x}+hex); input is
 *       sent as UTF-8 text.
 *   <li>{@code hex}, {@code base64}: every frame encoded, in and out, so any bytes pass unchanged.
 *   <li>{@code json}: one object per message, {@code {"frames":["text",{"hex":"00ff"}]}}, in and out.
 * </ul>
 */
final class Framing {
  /** The formats of {@code --format}. */
  enum Format { TEXT, HEX, BASE64, JSON }

  private static final HexFormat HEX = HexFormat.of();

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
      converter = FormatConverter.class,
      description = "How messages are read and printed: text (the default; non-text frames print as 0x+hex), hex, "
          + "base64 (every frame encoded) or json ({\"frames\":[...]}).")
  Format format = Format.TEXT;

  @Option(names = "--delimiter", paramLabel = "TEXT",
      description = "Separate frames with TEXT instead of a TAB (\\t, \\0 and \\\\ may be written so).")
  String delimiter;

  @Option(names = {"-0", "--null"},
      description = "End each message with a NUL byte instead of a newline, in and out (as find -print0 and "
          + "xargs -0); text frames may then hold newlines.")
  boolean nul;

  /** Checks the options; a usage error for an empty delimiter. */
  void check(CommandSpec spec) {
    if (delimiter != null && unescape(delimiter).isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--delimiter: '' (expected: at least one character)");
    }
  }

  private String separator() {
    return delimiter == null ? "\t" : unescape(delimiter);
  }

  /** What ends a record on output. */
  char terminator() {
    return nul ? '\0' : '\n';
  }

  /**
   * One input record as a message.
   *
   * @throws IllegalArgumentException if the record is not in the format, with a message saying what was expected
   */
  Message parse(String record) {
    if (format == Format.JSON) {
      return JsonOutput.fromJson(record);
    }
    String[] fields = record.split(Pattern.quote(separator()), -1);
    List<byte[]> frames = new ArrayList<>(fields.length);
    for (String field : fields) {
      frames.add(decode(field));
    }
    return Message.of(frames.toArray(byte[][]::new));
  }

  /** A field of input as a frame: UTF-8 text, or hex or base64 decoded. */
  byte[] decode(String field) {
    switch (format) {
      case HEX:
        try {
          return HEX.parseHex(field.startsWith("0x") ? field.substring(2) : field);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("'" + field + "' is not hex (expected: pairs of 0-9 and a-f)");
        }
      case BASE64:
        try {
          return Base64.getDecoder().decode(field);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("'" + field + "' is not base64");
        }
      default:
        return field.getBytes(StandardCharsets.UTF_8);
    }
  }

  /** A message as one record, without its terminator. */
  String format(Message message) {
    if (format == Format.JSON) {
      return JsonOutput.toJson(message);
    }
    StringBuilder record = new StringBuilder();
    for (int i = 0; i < message.size(); i++) {
      if (i > 0) {
        record.append(separator());
      }
      byte[] frame = message.frame(i);
      switch (format) {
        case HEX:
          record.append(HEX.formatHex(frame));
          break;
        case BASE64:
          record.append(Base64.getEncoder().encodeToString(frame));
          break;
        default:
          record.append(nul || delimiter != null ? Frames.format(frame, separator(), terminator()) : Frames.format(frame));
      }
    }
    return record.toString();
  }

  /** Reads the next record (without its terminator, and for lines without a trailing CR); null at the end. */
  String next(Reader in) throws IOException {
    StringBuilder record = new StringBuilder();
    char end = terminator();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == end) {
        return stripCr(record);
      }
      record.append((char) c);
    }
    return record.length() == 0 ? null : stripCr(record);
  }

  private String stripCr(StringBuilder record) {
    int n = record.length();
    return !nul && n > 0 && record.charAt(n - 1) == '\r' ? record.substring(0, n - 1) : record.toString();
  }

  static String unescape(String text) {
    return text.replace("\\t", "\t").replace("\\0", "\0").replace("\\\\", "\\");
  }

  /** Parses {@code --format} without regard to case, naming the choices when it is none of them. */
  static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      try {
        return Format.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException("'" + value + "' (expected: text, hex, base64 or json"
            + Errors.didYouMean(value, List.of("text", "hex", "base64", "json")).replace(" (", "; ")
                .replace("?)", "?") + ")");
      }
    }
  }
}
