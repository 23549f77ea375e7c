package io.leadcycle.local;

import io.leadcycle.platform.S3Function;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.local.examples.RecordingBucketFunction;
import io.leadcycle.platform.S3Function.CreatedObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A directory standing in for a bucket: each file announced once, across restarts of the server. */
class LocalBucketTest {

  @TempDir
  Path buckets;

  @BeforeEach
  void forget() {
    RecordingBucketFunction.OBJECTS.clear();
  }

  private LocalBucket bucket() {
    return new LocalBucket("leadcycle-imports", buckets.resolve("imports"), new RecordingBucketFunction());
  }

  @Test
  void aFileIsAnnouncedOnceItHasSettledAndNeverTwice() throws Exception {
    LocalBucket bucket = bucket();
    Files.writeString(buckets.resolve("imports/list.csv"), "email\n");

    bucket.scan();
    assertThat(RecordingBucketFunction.OBJECTS).as("still settling after one look").isEmpty();
    bucket.scan();
    bucket.scan();

    assertThat(RecordingBucketFunction.OBJECTS).extracting(CreatedObject::key).containsExactly("list.csv");
  }

  @Test
  void aRestartAnnouncesWhatArrivedMeanwhileAndNotWhatWasAnnouncedBefore() throws Exception {
    LocalBucket before = bucket();
    Files.writeString(buckets.resolve("imports/first.csv"), "email\n");
    before.scan();
    before.scan();

    Files.writeString(buckets.resolve("imports/while-stopped.csv"), "email\nada@example.com\n");
    LocalBucket after = bucket();
    after.scan();
    after.scan();

    assertThat(RecordingBucketFunction.OBJECTS).extracting(CreatedObject::key)
        .containsExactly("first.csv", "while-stopped.csv");
  }

  @Test
  void aReplacedFileIsAnnouncedAgainAsANewObject() throws Exception {
    LocalBucket bucket = bucket();
    Path file = buckets.resolve("imports/list.csv");
    Files.writeString(file, "email\n");
    bucket.scan();
    bucket.scan();

    Files.writeString(file, "email\nada@example.com\n");
    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    bucket.scan();
    bucket.scan();

    assertThat(RecordingBucketFunction.OBJECTS).extracting(CreatedObject::size).containsExactly(6L, 22L);
  }
}
