package io.leadcycle.process;

import java.time.Instant;
import java.util.List;

/**
 * A stored process definition: its latest version's definition, where it is in its life, and which
 * versions exist (each one's definition is kept).
 *
 * @param version the latest version: 1 for a draft (edited in place), one more for each edit once live
 * @param versions every version's number, oldest first
 * @param readOnly the shipped process ({@code default}): never edited or retired through the API
 */
public record BusinessProcess(String id, ProcessDefinition definition, ProcessStatus status, int version,
    List<Integer> versions, boolean readOnly, Instant createdAt, Instant updatedAt, Instant publishedAt,
    Instant retiredAt) {

  public BusinessProcess {
    versions = List.copyOf(versions);
  }

  /** One version of a process, as it was written. {@code publishedAt} is null while it is a draft. */
  public record Version(String processId, int version, ProcessDefinition definition, Instant createdAt,
      Instant publishedAt) {
  }
}
