package io.leadcycle.domain;

import java.util.UUID;

/**
 * A submission, webhook or import row refused because the person it names was erased (docs/privacy.md):
 * a replay of what was seen before the erasure, or the person again without a fresh consent. Answered as
 * 410 with the problem type {@code urn:leadcycle:problem:erased}; nothing was written.
 */
public class Erased extends Conflict {

  private final UUID erasureId;

  public Erased(String message, UUID erasureId) {
    super(message);
    this.erasureId = erasureId;
  }

  public UUID erasureId() {
    return erasureId;
  }
}
