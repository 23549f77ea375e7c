package io.leadcycle.local;

import io.leadcycle.runtime.HmacSha256;
import io.leadcycle.runtime.ImportFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The local server's import bucket: the directory of the import function's {@link LocalBucket}, which
 * announces a file put there as S3 would. Upload URLs point at the local server's
 * {@code PUT /_local/uploads/{key}}, signed like presigned URLs (an HMAC of the key and expiry with a key
 * of the server's), so they work without the management token, for that key only, until they expire.
 */
final class LocalImportFiles implements ImportFiles {

  static final String UPLOAD_PATH = "/_local/uploads/";

  private volatile String baseUrl = "http://localhost";
  private final LocalBucket bucket;
  private final Path staging;
  private final byte[] signingKey;

  LocalImportFiles(LocalBucket bucket, Path staging, byte[] signingKey) {
    this.bucket = bucket;
    this.staging = staging;
    this.signingKey = signingKey.clone();
  }

  /** Upload URLs point at the server listening on {@code port}. */
  void listeningOn(int port) {
    baseUrl = "http://localhost:" + port;
  }

  @Override
  public URI uploadUrl(String key, Duration validFor) {
    long expires = Instant.now().plus(validFor).getEpochSecond();
    return URI.create(baseUrl + UPLOAD_PATH + URLEncoder.encode(key, StandardCharsets.UTF_8) + "?expires=" + expires
        + "&signature=" + signature(key, expires));
  }

  @Override
  public void put(String key, byte[] content) {
    try {
      Path temporary = newStagingFile();
      Files.write(temporary, content);
      moveIn(temporary, key);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store " + key, e);
    }
  }

  @Override
  public InputStream open(String bucketName, String key) {
    return open(key);
  }

  @Override
  public InputStream open(String key) {
    try {
      return Files.newInputStream(pathOf(key));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + key, e);
    }
  }

  /** Whether an upload URL's signature holds for {@code key} and has not expired. */
  boolean verify(String key, String expires, String signature) {
    if (expires == null || signature == null || !expires.matches("\\d{1,12}")) {
      return false;
    }
    long until = Long.parseLong(expires);
    return until >= Instant.now().getEpochSecond() && HmacSha256.matches(
        signature(key, until).getBytes(StandardCharsets.UTF_8), signature.getBytes(StandardCharsets.UTF_8));
  }

  /** Whether the job of {@code key} has its file: uploaded, or sent with the request. */
  boolean hasFile(String key) {
    return Files.exists(pathOf(key));
  }

  /** Moves an upload in unless its job has a file already (then answers false and leaves it). */
  synchronized boolean moveInFirst(Path complete, String key) throws IOException {
    if (hasFile(key)) {
      return false;
    }
    moveIn(complete, key);
    return true;
  }

  /** A new file outside the bucket for an upload to be written to, moved in only once complete. */
  Path newStagingFile() throws IOException {
    Files.createDirectories(staging);
    return Files.createTempFile(staging, "upload-", ".part");
  }

  /** Moves a complete file into the bucket under {@code key}, at once: the bucket never sees half a file. */
  void moveIn(Path complete, String key) throws IOException {
    Path target = pathOf(key);
    Files.createDirectories(target.getParent());
    Files.move(complete, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The key's file, never outside the bucket's directory. */
  Path pathOf(String key) {
    Path directory = bucket.directory().toAbsolutePath().normalize();
    Path path = directory.resolve(key).normalize();
    if (!path.startsWith(directory) || path.equals(directory) || ImportFiles.jobOf(key) == null) {
      throw new IllegalArgumentException("not an import file's key: " + key);
    }
    return path;
  }

  private String signature(String key, long expires) {
    return HexFormat.of().formatHex(HmacSha256.of(signingKey, key + "\n" + expires));
  }
}
