package io.leadcycle.runtime;

import java.io.InputStream;
import java.net.URI;
import java.time.Duration;

/**
 * Where imported files live until they are read: in AWS the import bucket ({@link S3ImportFiles}); on
 * the local server a directory of its data directory. A file's key is {@code imports/<job id>/<name>}
 * ({@link #keyOf}); the function that reads it is triggered by the file's arrival.
 */
public interface ImportFiles {

  /** A URL the client PUTs the file to, without other credentials, valid for {@code validFor}. */
  URI uploadUrl(String key, Duration validFor);

  /** Stores a file the API received in its request body. */
  void put(String key, byte[] content);

  /** Reads a stored file as a stream (never all of it in memory). */
  InputStream open(String bucket, String key);

  /** Reads a stored file of the import bucket by its key alone: for a run no file's arrival started. */
  InputStream open(String key);

  /** Loads what the first use runs (the signer), without calling AWS: for SnapStart's snapshot. */
  default void prime() {
  }

  /** No bucket configured: imports cannot take files. */
  ImportFiles NONE = new ImportFiles() {
    @Override
    public URI uploadUrl(String key, Duration validFor) {
      throw new IllegalStateException("no import bucket is configured (IMPORT_BUCKET)");
    }

    @Override
    public void put(String key, byte[] content) {
      throw new IllegalStateException("no import bucket is configured (IMPORT_BUCKET)");
    }

    @Override
    public InputStream open(String bucket, String key) {
      throw new IllegalStateException("no import bucket is configured (IMPORT_BUCKET)");
    }

    @Override
    public InputStream open(String key) {
      throw new IllegalStateException("no import bucket is configured (IMPORT_BUCKET)");
    }
  };

  /** The prefix every import file's key starts with. */
  String PREFIX = "imports/";

  /**
   * The key of a job's file: the job's id, then the file's name made safe for a key and a path (letters,
   * digits, {@code . _ -}; at most 100 characters).
   */
  static String keyOf(java.util.UUID jobId, String fileName) {
    String safe = fileName.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("^[._]+", "");
    safe = safe.isEmpty() ? "file.csv" : safe.length() > 100 ? safe.substring(safe.length() - 100) : safe;
    return PREFIX + jobId + "/" + safe;
  }

  /** The job a key belongs to; null when the key is not an import file's. */
  static java.util.UUID jobOf(String key) {
    if (key == null || !key.startsWith(PREFIX)) {
      return null;
    }
    String[] parts = key.substring(PREFIX.length()).split("/", 2);
    try {
      return parts.length == 2 ? java.util.UUID.fromString(parts[0]) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
