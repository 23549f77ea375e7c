package io.leadcycle.scoring;

import io.leadcycle.domain.InteractionType;
import java.time.Instant;

/** One interaction as scoring sees it: what, in which context, when. */
public record InteractionFact(InteractionType type, String contextId, Instant occurredAt) {
}
