package io.switchboard.bus;

import java.util.Locale;
import java.util.Objects;

/**
 * A request that got no answer: no handler, a handler that failed, or no reply within its timeout. {@link #reason()}
 * says which, so that callers need not read the message.
 */
public final class RequestFailedException extends BusException {
  private static final long serialVersionUID = 1L;

  /** Why a request failed. */
  public enum Reason {
    /** No client handles the event on the channel, anywhere the node can reach, or every one is too busy. */
    NO_HANDLER,
    /** The node has no such channel. */
    NO_CHANNEL,
    /** No reply came within the request's timeout. */
    TIMEOUT,
    /** The handler refused the request or failed; the message has its reason. */
    HANDLER_FAILED,
    /** The client was closed before an answer came. */
    CLOSED;

    private final String wireName = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** The code in a node's {@code FAIL} header: {@code no-handler}, {@code no-channel}, …. */
    public String wireName() {
      return wireName;
    }

    /** The reason a {@code FAIL} header's code names; {@link #HANDLER_FAILED} for none or an unknown one. */
    public static Reason fromWire(String code) {
      for (Reason r : values()) {
        if (r.wireName.equals(code)) {
          return r;
        }
      }
      return HANDLER_FAILED;
    }
  }

  private final Reason reason;

  /** A request whose handler failed, with the reason. */
  public RequestFailedException(String message) {
    this(Reason.HANDLER_FAILED, message);
  }

  /** A failed request, with why and the message. */
  public RequestFailedException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** Why the request failed. */
  public Reason reason() {
    return reason;
  }
}
