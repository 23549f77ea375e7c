package io.leadcycle.domain;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * A receiver of signed outbound webhooks, as the management API shows it: never with its secrets.
 * {@code previousSecretExpiresAt} is set after a rotation while the previous secret still signs beside
 * the new one.
 */
public record Subscriber(UUID id, String url, List<String> events, String description, boolean disabled,
    String disabledReason, Instant previousSecretExpiresAt, Instant createdAt, Instant updatedAt) {

  /** How long the previous secret keeps signing beside the new one after a rotation. */
  public static final Duration PREVIOUS_SECRET_OVERLAP = Duration.ofHours(24);

  /** {@code disabledReason} of a subscriber disabled through the API ({@code PATCH {"disabled": true}}). */
  public static final String DISABLED_BY_HAND = "disabled by hand";

  /** {@code disabledReason} the delivery side writes when the receiver answered {@code 410 Gone}. */
  public static final String DISABLED_GONE = "the receiver answered 410 Gone";

  private static final SecureRandom RANDOM = new SecureRandom();

  public Subscriber {
    events = List.copyOf(events);
  }

  /** A new signing secret the Standard Webhooks way: {@code whsec_} and the base64 of 32 random bytes. */
  public static String newSecret() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return "whsec_" + Base64.getEncoder().encodeToString(key);
  }

  /** A new subscriber and its secret, shown this once. */
  public record Created(Subscriber subscriber, String secret) {
  }

  /** A rotated secret, shown this once, and until when the previous one keeps signing. */
  public record Rotated(Subscriber subscriber, String secret, Instant previousSecretExpiresAt) {
  }
}
