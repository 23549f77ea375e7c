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
 * written is not read half-way (copying it in under another name and renaming it is best). What was
 * announced is kept beside the directory ({@code .<function>.announced}), so a file that arrived while
 * the server was stopped is announced at the next start, and one already announced is not announced
 * again. A failed event is retried twice, as Lambda retries asynchronous invocations.
 */
final class LocalBucket {

  private record Seen(long size, long modified) {
  }

  static final int ATTEMPTS = 3;

  private final String bucket;
  private final Path directory;
  private final S3Function function;
  private final Path index;
  private final Map<Path, Seen> announced = new HashMap<>();
  private final Map<Path, Seen> pending = new HashMap<>();
  private final Map<Path, Integer> failures = new HashMap<>();

  LocalBucket(String bucket, Path directory, S3Function function) {
    this.bucket = bucket;
    this.directory = directory;
    this.function = function;
    this.index = directory.resolveSibling("." + directory.getFileName() + ".announced");
    try {
      Files.createDirectories(directory);
      if (Files.exists(index)) {
        for (String line : Files.readAllLines(index, java.nio.charset.StandardCharsets.UTF_8)) {
          String[] parts = line.split(" ", 3); // size, time, key
          if (parts.length == 3) {
            announced.put(directory.resolve(parts[2]), new Seen(Long.parseLong(parts[0]), Long.parseLong(parts[1])));
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot read the bucket directory " + directory + " or " + index, e);
    }
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
        save();
      }
    }
  }

  /** Writes the index of announced files (to a temporary file first, so a crash leaves the old one). */
  private void save() {
    StringBuilder lines = new StringBuilder();
    announced.forEach((path, seen) -> lines.append(seen.size()).append(' ').append(seen.modified()).append(' ')
        .append(key(path)).append('\n'));
    try {
      Path temporary = index.resolveSibling(index.getFileName() + ".tmp");
      Files.writeString(temporary, lines);
      Files.move(temporary, index, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + index, e);
    }
  }

  private String key(Path path) {
    return directory.relativize(path).toString().replace('\\', '/');
  }

  private boolean announce(Path path, Seen seen) {
    String key = key(path);
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
