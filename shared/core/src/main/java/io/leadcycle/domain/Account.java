package io.leadcycle.domain;

import java.time.Instant;
import java.util.UUID;

/** A stored account (company). */
public record Account(UUID id, AccountDetails details, Instant createdAt, Instant updatedAt) {
}
