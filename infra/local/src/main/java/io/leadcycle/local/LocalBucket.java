package io.leadcycle.local;

import io.leadcycle.platform.S3Function;
import io.leadcycle.runtime.JsonLog;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * An S3 bucket stood in for by a directory: a file that appears there (or is replaced) becomes an
 * {@code ObjectCreated:Put} event for the bucket's function, with the file's path below the directory
 * as the key. A file is announced once it has kept its size and time for one scan, so one still being
 * written is not read half-way (copying it in under another name and renaming it is best). Files there
 * when the server starts were announced when they arrived and are not announced again. A failed event
 * is retried twice, as Lambda retries asynchronous invocations.
 */
final class LocalBucket {

  private record Seen(long size, long modified) {
  }

  static final int ATTEMPTS = 3;

  private final String bucket;
  private final Path directory;
  private final S3Function function;
  private final Map<Path, Seen> announced = new HashMap<>();
  private final Map<Path, Seen> pending = new HashMap<>();
  private final Map<Path, Integer> failures = new HashMap<>();

  LocalBucket(String bucket, Path directory, S3Function function) {
    this.bucket = bucket;
    this.directory = directory;
    this.function = function;
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the bucket directory " + directory, e);
    }
    files().forEach((path, seen) -> announced.put(path, seen));
  }

  Path directory() {
    return directory;
  }

  /** One look at the directory: announces the files that are new or changed and have settled. */
  synchronized void scan() {
    Map<Path, Seen> now = files();
    announced.keySet().retainAll(now.keySet());
    pending.keySet().retainAll(now.keySet());
    for (Map.Entry<Path, Seen> file : now.entrySet()) {
      Path path = file.getKey();
      Seen seen = file.getValue();
      if (seen.equals(announced.get(path))) {
        continue;
      }
      if (!seen.equals(pending.put(path, seen))) {
        continue; // new or still changing: look again next scan
      }
      if (announce(path, seen)) {
        announced.put(path, seen);
        pending.remove(path);
        failures.remove(path);
      }
    }
  }

  private boolean announce(Path path, Seen seen) {
    String key = directory.relativize(path).toString().replace('\\', '/');
    String eTag = LocalEvents.md5(key + ":" + seen.size() + ":" + seen.modified());
    try {
      function.handleRequest(LocalEvents.objectCreated(bucket, key, seen.size(), eTag, Instant.now()), null);
      return true;
    } catch (RuntimeException | Error e) {
      int attempts = failures.merge(path, 1, Integer::sum);
      JsonLog.error(null, "bucket " + bucket + ": the function failed on " + key + " (attempt " + attempts + " of "
          + ATTEMPTS + ")", e);
      if (attempts >= ATTEMPTS) {
        JsonLog.warn(null, "bucket " + bucket + ": giving up on the object", new JsonObject().put("key", key));
        return true;
      }
      return false;
    }
  }

  private Map<Path, Seen> files() {
    Map<Path, Seen> files = new HashMap<>();
    try (Stream<Path> walk = Files.walk(directory)) {
      walk.filter(Files::isRegularFile).forEach(path -> {
        try {
          files.put(path, new Seen(Files.size(path), Files.getLastModifiedTime(path).toMillis()));
        } catch (IOException gone) {
          // removed between listing and reading: it is simply not there
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the bucket directory " + directory, e);
    }
    return files;
  }
}
