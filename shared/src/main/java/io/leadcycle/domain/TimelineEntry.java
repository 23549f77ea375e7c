package io.leadcycle.domain;

import java.time.Instant;

/** One step on a lead's path: which field changed from what to what, when, by whom and why. */
public record TimelineEntry(String field, String from, String to, Instant at, String actor, String reason) {
}
