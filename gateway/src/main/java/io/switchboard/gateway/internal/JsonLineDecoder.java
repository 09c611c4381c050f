package io.switchboard.gateway.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Frames newline-delimited JSON: a request ends at a line feed ({@code \r\n} works too) or, when it starts with
 * {@code {} or {@code [}, where that object or array closes, so that {@code echo -n '{"cmd":"status"}' | nc} gets
 * its answer without a line feed. Blank lines are skipped. A request longer than the limit is refused with {@link
 * #TOO_LONG} (once) and skipped up to the next line feed; the connection stays usable. At the end of input, what is
 * left is a last request.
 */
public final class JsonLineDecoder extends ByteToMessageDecoder {
  /** Emitted in place of a request longer than the limit. */
  public static final Object TOO_LONG = new Object();

  private final int maxLength;
  /** Octets of the current request already scanned, and the scanner's state after them. */
  private int scanned;
  private int depth;
  private boolean opened;
  private boolean inString;
  private boolean escape;
  private boolean discarding;

  /** A decoder of requests up to {@code maxLength} octets. */
  public JsonLineDecoder(int maxLength) {
    this.maxLength = maxLength;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    for (;;) {
      int start = in.readerIndex();
      int limit = in.writerIndex();
      int end = -1;
      int next = -1;
      int i = start + scanned;
      for (; i < limit; i++) {
        byte b = in.getByte(i);
        if (b == '\n') {
          end = i;
          next = i + 1;
          break;
        }
        if (discarding) {
          continue;
        }
        if (inString) {
          if (escape) {
            escape = false;
          } else if (b == '\\') {
            escape = true;
          } else if (b == '"') {
            inString = false;
          }
        } else if (b == '"') {
          inString = opened;
        } else if (b == '{' || b == '[') {
          if (depth == 0 && !opened && isBlank(in, start, i)) {
            opened = true;
          }
          depth++;
        } else if ((b == '}' || b == ']') && depth > 0 && --depth == 0 && opened) {
          end = i + 1;
          next = i + 1;
          break;
        }
        if (i - start >= maxLength) {
          discarding = true;
          out.add(TOO_LONG);
        }
      }
      if (end < 0) {
        scanned = i - start;
        if (discarding) {            // keep nothing of a request being skipped
          in.skipBytes(scanned);
          scanned = 0;
        }
        return;
      }
      boolean skipped = discarding;
      reset();
      if (!skipped) {
        emit(in, start, end, out);
      }
      in.readerIndex(next);
    }
  }

  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    decode(ctx, in, out);
    if (in.isReadable() && !discarding) {
      emit(in, in.readerIndex(), in.writerIndex(), out);
    }
    in.skipBytes(in.readableBytes());
    reset();
  }

  private void emit(ByteBuf in, int start, int end, List<Object> out) {
    if (end > start && in.getByte(end - 1) == '\r') {
      end--;
    }
    if (!isBlank(in, start, end)) {
      byte[] request = new byte[end - start];
      in.getBytes(start, request);
      out.add(request);
    }
  }

  private void reset() {
    scanned = 0;
    depth = 0;
    opened = false;
    inString = false;
    escape = false;
    discarding = false;
  }

  private static boolean isBlank(ByteBuf in, int start, int end) {
    for (int i = start; i < end; i++) {
      byte b = in.getByte(i);
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }
}
