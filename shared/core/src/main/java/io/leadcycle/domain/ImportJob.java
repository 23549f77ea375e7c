package io.leadcycle.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A file import as stored: what it imports, how far it got and what it did.
 *
 * @param columns how the header was read ({@link ImportColumns}), null until the file is read
 * @param encoding the text encoding the file was read in ({@code UTF-8}, {@code UTF-16LE}, {@code
 *     UTF-16BE}, {@code windows-1252}), null until the file is read and for a file in none of them
 * @param rowsRead data rows read and written so far (the progress)
 * @param counts per row: {@code created}, {@code updated}, {@code unchanged} (the entity: contacts, or
 *     leads), {@code failed}
 * @param contactCounts lead imports: what the rows did to their contacts
 * @param warnings what the import left out without refusing rows, in the order first met
 */
public record ImportJob(UUID id, ImportEntity entity, String fileName, String contactStrategyId,
    Map<String, Object> options, String status, Map<String, Object> columns, String encoding, long rowsRead,
    Counts counts, Counts contactCounts, String failure, Instant createdAt, Instant startedAt, Instant finishedAt,
    List<ImportWarning> warnings) {

  public static final String AWAITING_UPLOAD = "awaiting_upload";
  public static final String RUNNING = "running";
  public static final String COMPLETED = "completed";
  public static final String COMPLETED_WITH_ERRORS = "completed_with_errors";
  public static final String FAILED = "failed";

  public ImportJob {
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }

  public record Counts(long created, long updated, long unchanged, long failed) {

    public static final Counts NONE = new Counts(0, 0, 0, 0);

    public Counts plus(Counts other) {
      return new Counts(created + other.created, updated + other.updated, unchanged + other.unchanged,
          failed + other.failed);
    }
  }

  /** The request it was made from, to read the file by. */
  public ImportRequest request() {
    return ImportRequest.ofStored(entity, fileName, contactStrategyId, options);
  }

  public boolean finished() {
    return COMPLETED.equals(status) || COMPLETED_WITH_ERRORS.equals(status) || FAILED.equals(status);
  }
}
