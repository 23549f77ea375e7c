package io.leadcycle.functions.fileimport;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import io.leadcycle.domain.ImportJob;
import io.leadcycle.domain.ImportRequest;
import io.leadcycle.imports.ImportService;
import io.leadcycle.runtime.ImportFiles;
import io.leadcycle.testing.LambdaEvents;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A bucket for the import tests: a temporary directory, its files read as the import reads S3 objects,
 * and the S3 event of a file's arrival built from the recorded {@code events/s3-event.json}.
 */
final class ImportFixtures {

  static final String BUCKET = "leadcycle-imports-123456789012-eu-central-1";

  private ImportFixtures() {
  }

  /** Files in a directory; {@code open} may be replaced to stream a generated file instead. */
  static final class DirectoryFiles implements ImportFiles {
    final Path directory;
    Supplier<InputStream> override;

    DirectoryFiles(Path directory) {
      this.directory = directory;
    }

    @Override
    public URI uploadUrl(String key, Duration validFor) {
      return URI.create("https://" + BUCKET + ".s3.amazonaws.com/" + key + "?X-Amz-Expires=" + validFor.toSeconds());
    }

    @Override
    public void put(String key, byte[] content) {
      try {
        Path file = directory.resolve(key);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public InputStream open(String bucket, String key) {
      return open(key);
    }

    @Override
    public InputStream open(String key) {
      if (override != null) {
        return override.get();
      }
      try {
        return Files.newInputStream(directory.resolve(key));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The recorded S3 event, for {@code key} (URL-encoded in the event, as S3 writes it) in the bucket. */
  static S3Event objectCreated(String key, long size) {
    JsonObject event = new JsonObject(LambdaEvents.resource("events/s3-event.json"));
    JsonObject record = event.getJsonArray("Records").getJsonObject(0);
    record.put("eventName", "ObjectCreated:Put");
    JsonObject s3 = record.getJsonObject("s3");
    s3.getJsonObject("bucket").put("name", BUCKET).put("arn", "arn:aws:s3:::" + BUCKET);
    s3.getJsonObject("object").put("key", URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/"))
        .put("size", size);
    s3.getJsonObject("object").remove("urlDecodedKey"); // not in what S3 sends: the library derives it
    return LambdaEvents.read(S3Event.class, event.encode());
  }

  /**
   * Creates a job as {@code requestJson} asks, puts {@code content} where its upload goes, and delivers
   * S3's event for it to {@code handler}, as an upload through the job's URL ends; the job as it ended.
   */
  static ImportJob importThroughBucket(ImportService service, DirectoryFiles files, FileImportHandler handler,
      String requestJson, byte[] content) {
    ImportJob job = service.create(ImportRequest.parse(new JsonObject(requestJson).getMap())).job();
    String key = ImportFiles.keyOf(job.id(), job.fileName());
    files.put(key, content);
    handler.handleRequest(objectCreated(key, content.length), null);
    return service.get(job.id());
  }
}
