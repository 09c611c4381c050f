package io.switchboard.devices;

import io.switchboard.socket.SwitchboardException;
import java.util.Objects;

/**
 * A request got no reply: a {@link LazyPirateClient} request that no attempt got an answer to, or a {@link
 * BrokerClient} request that the {@link ReliableBroker} answered with {@code ERROR} or that got no answer in time.
 * {@link #reason()} says which.
 */
public final class RequestFailedException extends SwitchboardException {
  private static final long serialVersionUID = 1L;

  /** Why a request failed. */
  public enum Reason {
    /** No answer came in time: the client's own timeout ran out (for a {@link LazyPirateClient}, every attempt's). */
    NO_ANSWER,
    /** The broker answered {@value ReliableBroker#DEADLINE_EXCEEDED}: not served within the request's deadline. */
    DEADLINE_EXCEEDED,
    /** The broker answered {@value ReliableBroker#ATTEMPTS_EXHAUSTED}: every worker given the request was lost. */
    ATTEMPTS_EXHAUSTED,
    /** The broker answered {@code handler failed: …}: the worker's handler threw; {@link #detail()} has its text. */
    HANDLER_FAILED,
    /** The broker answered {@code bad request: …}: the request's options were malformed or out of range. */
    BAD_REQUEST,
    /** The broker answered {@code ERROR} with a reason this client does not know; {@link #detail()} has it. */
    BROKER_ERROR,
    /** The client was closed (or its context) before an answer came. */
    CLOSED
  }

  private final Reason reason;
  private final String detail;
  private final int attempts;

  /** Creates the exception for a request that was sent {@code attempts} times without an answer. */
  public RequestFailedException(String message, int attempts) {
    this(Reason.NO_ANSWER, "", message, attempts);
  }

  /**
   * Creates the exception for a request that failed for {@code reason}, with {@code detail} the broker's text after
   * the reason's prefix (the handler's message, say), or empty.
   */
  public RequestFailedException(Reason reason, String detail, String message, int attempts) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.detail = Objects.requireNonNull(detail, "detail");
    this.attempts = attempts;
  }

  /** Why the request failed. */
  public Reason reason() {
    return reason;
  }

  /** The broker's text for {@link Reason#HANDLER_FAILED}, {@link Reason#BAD_REQUEST} and {@link Reason#BROKER_ERROR}. */
  public String detail() {
    return detail;
  }

  /** How many times the request was sent. */
  public int attempts() {
    return attempts;
  }
}
