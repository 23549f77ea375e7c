package io.leadcycle.linkedin;

/**
 * LinkedIn's API did not give what was asked: the access token was refused (expired or revoked), the
 * rate limit or LinkedIn's servers stayed in the way after the retries, the thing asked for does not
 * exist, or something else. The message says what happened and never carries a token.
 */
public final class LinkedInApiException extends RuntimeException {

  /** Why. */
  public enum Reason {
    /** 401: the access token expired or was revoked; retrying does not help until it is renewed. */
    TOKEN_REFUSED,
    /** 429 after the retries. */
    RATE_LIMITED,
    /** 5xx, or no answer, after the retries. */
    UNAVAILABLE,
    /** 404. */
    NOT_FOUND,
    /** Anything else (403: a missing permission, 400 ...), or a configuration that is missing. */
    REFUSED
  }

  private final Reason reason;
  private final Integer status;

  public LinkedInApiException(Reason reason, Integer status, String message) {
    super(message);
    this.reason = reason;
    this.status = status;
  }

  public Reason reason() {
    return reason;
  }

  public Integer status() {
    return status;
  }
}
