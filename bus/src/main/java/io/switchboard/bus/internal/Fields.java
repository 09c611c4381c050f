package io.switchboard.bus.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A parsed header: where each NUL-separated field starts and ends, read in place. One instance is reused for every
 * message a thread reads, so parsing allocates nothing; a field becomes a String or an array only when asked.
 */
public final class Fields {
  /** The most fields a header may have; CTL's arguments count too. */
  public static final int MAX = 32;

  private final int[] start = new int[MAX];
  private final int[] end = new int[MAX];
  private byte[] bytes;
  private int count;

  /**
   * Splits a header.
   *
   * @return the verb, or {@code null} if the first field names none or there are more than {@link #MAX} fields
   */
  public Protocol.Verb parse(byte[] header) {
    bytes = header;
    count = 0;
    int from = 0;
    for (int i = 0; i <= header.length; i++) {
      if (i == header.length || header[i] == Protocol.SEPARATOR) {
        if (count == MAX) {
          return null;
        }
        start[count] = from;
        end[count] = i;
        count++;
        from = i + 1;
      }
    }
    return Protocol.Verb.of(header, end[0]);
  }

  /** The number of fields, the verb included. */
  public int count() {
    return count;
  }

  /** The header these fields are in. */
  public byte[] bytes() {
    return bytes;
  }

  public int start(int i) {
    return start[i];
  }

  public int end(int i) {
    return end[i];
  }

  /** Field {@code i} as text. */
  public String string(int i) {
    return new String(bytes, start[i], end[i] - start[i], StandardCharsets.UTF_8);
  }

  /** Field {@code i} as a new array. */
  public byte[] copy(int i) {
    return Arrays.copyOfRange(bytes, start[i], end[i]);
  }

  /** Whether field {@code i} holds exactly {@code value}. */
  public boolean is(int i, byte[] value) {
    return value != null && Arrays.equals(bytes, start[i], end[i], value, 0, value.length);
  }
}
