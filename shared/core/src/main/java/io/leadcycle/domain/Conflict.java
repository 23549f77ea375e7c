package io.leadcycle.domain;

import java.util.UUID;

/** A request that contradicts what is stored (answered as 409); may name the existing record. */
public class Conflict extends RuntimeException {

  private final UUID existingId;

  public Conflict(String message) {
    this(message, null);
  }

  public Conflict(String message, UUID existingId) {
    super(message);
    this.existingId = existingId;
  }

  public UUID existingId() {
    return existingId;
  }
}
