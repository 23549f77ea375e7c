package io.leadcycle.scoring;

import java.time.Instant;
import java.util.UUID;

/** A stored scoring model: its definition, where it is in its life, and its full rescoring's progress. */
public record ScoringModel(UUID id, ModelDefinition definition, ModelStatus status, UUID copiedFrom, Instant createdAt,
    Instant updatedAt, Instant publishedAt, Instant retiredAt, Rescoring rescoring) {

  /**
   * The progress of the full rescoring a model gets when it goes live: {@code idle} (none to do),
   * {@code pending} (not started), {@code running}.
   */
  public record Rescoring(String status, long leadsScored, Instant startedAt, Instant finishedAt) {
  }
}
