package io.leadcycle.segments;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A stored segment. {@code definition}: as the API took it (null for a static segment). {@code evaluationStatus}:
 * {@code pending} until its membership has been computed from its definition, then {@code evaluated} (dynamic
 * segments only). {@code memberCount}: its members now.
 */
public record Segment(UUID id, String name, SegmentInput.Kind kind, String requiresConsent,
    Map<String, Object> definition, String evaluationStatus, Instant evaluatedAt, long memberCount,
    Instant createdAt, Instant updatedAt) {

  public static final String PENDING = "pending";
  public static final String EVALUATED = "evaluated";

  public boolean dynamic() {
    return kind == SegmentInput.Kind.DYNAMIC;
  }
}
