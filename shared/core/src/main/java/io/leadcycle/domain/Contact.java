package io.leadcycle.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A stored contact with its open leads. */
public record Contact(
    UUID id,
    UUID accountId,
    ContactDetails details,
    Map<String, Object> consent,
    List<UUID> openLeadIds,
    Instant createdAt,
    Instant updatedAt) {
}
