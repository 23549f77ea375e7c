package io.leadcycle.local;

import io.leadcycle.platform.S3Function;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The object-created functions' buckets, one directory each under {@code <data dir>/buckets}
 * ({@link LocalBucket}), and the import files kept in the import function's bucket.
 */
final class LocalBuckets {

  private final Map<String, LocalBucket> buckets;
  private final Path dataDirectory;

  private LocalBuckets(Map<String, LocalBucket> buckets, Path dataDirectory) {
    this.buckets = buckets;
    this.dataDirectory = dataDirectory;
  }

  /** A bucket for each object-created function. */
  static LocalBuckets create(LocalFunctions functions, Path dataDirectory) {
    Map<String, LocalBucket> buckets = new LinkedHashMap<>();
    for (LocalFunctions.Hosted function : functions.all()) {
      if (function.handler() instanceof S3Function objects) {
        buckets.put(function.name(), new LocalBucket("leadcycle-" + function.name(),
            dataDirectory.resolve("buckets").resolve(function.name()), objects));
      }
    }
    return new LocalBuckets(buckets, dataDirectory);
  }

  /** Each bucket looks for new files every {@code LEADCYCLE_BUCKET_SCAN_MILLIS} (1 s). */
  void scanOn(LocalTimers timers, Map<String, String> env) {
    int scanMillis = LocalSettings.positive(env, "LEADCYCLE_BUCKET_SCAN_MILLIS", 1000);
    buckets.forEach((function, bucket) -> timers.every(function, scanMillis, bucket::scan));
  }

  /**
   * The import files, in the import function's bucket (the only bucket, or the one named file-import),
   * uploaded through {@code <data dir>/uploads}, with a new key for this run's upload URLs; null when no
   * function takes files.
   */
  LocalImportFiles importFiles() {
    LocalBucket importBucket = buckets.containsKey("file-import") ? buckets.get("file-import")
        : buckets.size() == 1 ? buckets.values().iterator().next() : null;
    return importBucket == null ? null
        : new LocalImportFiles(importBucket, dataDirectory.resolve("uploads"), randomKey());
  }

  /** Where the object-created function {@code function} watches for files. */
  Path directory(String function) {
    return buckets.get(function).directory();
  }

  private static byte[] randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }
}
