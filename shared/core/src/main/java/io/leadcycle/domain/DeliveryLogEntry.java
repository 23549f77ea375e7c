package io.leadcycle.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One delivery of an outbox event to a subscriber as its log shows it: its status and every attempt at
 * it, oldest first (redeliveries by hand keep the earlier attempts).
 */
public record DeliveryLogEntry(UUID id, UUID eventId, String type, String status, Instant nextAttemptAt,
    Instant deliveredAt, Instant createdAt, List<Attempt> attempts) {

  public static final String PENDING = "pending";
  public static final String DELIVERED = "delivered";
  public static final String FAILED = "failed";
  public static final List<String> STATUSES = List.of(PENDING, DELIVERED, FAILED);

  public DeliveryLogEntry {
    attempts = List.copyOf(attempts);
  }

  /** One attempt: when, the receiver's HTTP status or the network error, how long it took. */
  public record Attempt(Instant at, Integer httpStatus, String error, int durationMs) {
  }
}
