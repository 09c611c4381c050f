package io.switchboard.gateway;

import java.util.Locale;

/**
 * A service call that failed, and why: thrown by a {@link Command} to refuse its input, and by {@link ServiceClient}
 * futures when a call fails. The {@link Kind} travels on the wire ({@code {"err":"…","kind":"invalid"}}) and decides
 * the gateway's HTTP status.
 */
public final class ServiceException extends GatewayException {
  private static final long serialVersionUID = 1L;

  /** Why a call failed. */
  public enum Kind {
    /** The input was invalid (HTTP 400). */
    INVALID(400),
    /** What the input names does not exist (HTTP 404). */
    NOT_FOUND(404),
    /** The input conflicts with what exists (HTTP 409). */
    CONFLICT(409),
    /** The command failed (HTTP 500). */
    FAILED(500),
    /** No instance of the service is registered on the bus (HTTP 503). */
    UNAVAILABLE(503),
    /** No answer came in time (HTTP 504). */
    TIMEOUT(504);

    private final int httpStatus;

    Kind(int httpStatus) {
      this.httpStatus = httpStatus;
    }

    /** The HTTP status the gateway answers with. */
    public int httpStatus() {
      return httpStatus;
    }

    /** The name on the wire: {@code invalid}, {@code not_found}, …. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The kind a wire name names; {@link #FAILED} for a missing or unknown one. */
    public static Kind fromWire(String name) {
      for (Kind k : values()) {
        if (k.wireName().equals(name)) {
          return k;
        }
      }
      return FAILED;
    }
  }

  private final Kind kind;

  /** A failure of a kind, with the reason. */
  public ServiceException(Kind kind, String reason) {
    super(reason);
    this.kind = java.util.Objects.requireNonNull(kind, "kind");
  }

  /** Invalid input: {@code what} names the field, as in {@code name: "" (expected: 1 to 100 characters)}. */
  public static ServiceException invalid(String reason) {
    return new ServiceException(Kind.INVALID, reason);
  }

  /** What the input names does not exist. */
  public static ServiceException notFound(String reason) {
    return new ServiceException(Kind.NOT_FOUND, reason);
  }

  /** The input conflicts with what exists. */
  public static ServiceException conflict(String reason) {
    return new ServiceException(Kind.CONFLICT, reason);
  }

  /** Why the call failed. */
  public Kind kind() {
    return kind;
  }
}
