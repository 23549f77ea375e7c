package io.leadcycle.domain;

import java.util.List;
import java.util.UUID;

/**
 * A request that contradicts what is stored (answered as 409); may name the existing record, or the fields that
 * must be filled before the request fits ({@code missingFields} in the problem body).
 */
public class Conflict extends RuntimeException {

  private final UUID existingId;
  private final List<String> missingFields;

  public Conflict(String message) {
    this(message, (UUID) null);
  }

  public Conflict(String message, UUID existingId) {
    super(message);
    this.existingId = existingId;
    this.missingFields = List.of();
  }

  public Conflict(String message, List<String> missingFields) {
    super(message);
    this.existingId = null;
    this.missingFields = List.copyOf(missingFields);
  }

  /** The fields still empty that the request needs filled; empty for every other conflict. */
  public List<String> missingFields() {
    return missingFields;
  }

  public UUID existingId() {
    return existingId;
  }
}
