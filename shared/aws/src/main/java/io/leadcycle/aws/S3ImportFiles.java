package io.leadcycle.aws;

import io.leadcycle.runtime.ImportFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The import bucket ({@code IMPORT_BUCKET}): presigned PUT URLs for uploads of any size, small files put
 * from the API with one signed PUT, and files read as a stream by the import ({@link S3ObjectReader}); all
 * without the AWS SDK, whose S3 client and presigner were most of every function's jar. Region,
 * credentials and endpoint come from the Lambda environment as for {@link S3ObjectReader}: the bucket's
 * virtual host in AWS, path-style at {@code AWS_ENDPOINT_URL_S3} or {@code AWS_ENDPOINT_URL} when set.
 */
public final class S3ImportFiles implements ImportFiles {

  public static final String BUCKET_VARIABLE = "IMPORT_BUCKET";

  /** A failed PUT is tried this often when S3 or the network failed (not when S3 refused it), as the SDK would. */
  private static final int PUT_ATTEMPTS = 3;

  private final String bucket;
  private final String region;
  private final Supplier<AwsCredentials> credentials;
  private final Clock clock;
  private final S3ObjectReader reader;

  public S3ImportFiles(String bucket, URI endpoint, String region, Supplier<AwsCredentials> credentials, Clock clock) {
    this.bucket = bucket;
    this.region = region;
    this.credentials = credentials;
    this.clock = clock;
    this.reader = new S3ObjectReader(endpoint, region, credentials, clock);
  }

  /** The bucket {@code IMPORT_BUCKET} names, or {@link ImportFiles#NONE} without one. */
  public static ImportFiles fromEnvironment(Map<String, String> env) {
    String bucket = env.get(BUCKET_VARIABLE);
    if (bucket == null || bucket.isBlank()) {
      return ImportFiles.NONE;
    }
    return new S3ImportFiles(bucket.strip(), AwsEnvironment.endpointOverride(env, "AWS_ENDPOINT_URL_S3"),
        AwsEnvironment.region(env, "use the import bucket"), () -> AwsCredentials.fromEnvironment(env),
        Clock.systemUTC());
  }

  /**
   * Runs the signer's code once with made-up credentials (nothing is sent, no credentials are read), so
   * that SnapStart's snapshot holds its classes loaded.
   */
  @Override
  public void prime() {
    AwsRequestSigner.presigned("PUT", reader.url(bucket, "imports/priming.csv"), "s3", region,
        new AwsCredentials("PRIMING", "priming", "priming"), clock.instant(), Duration.ofMinutes(1));
  }

  /** The content type is not signed, so a client may PUT with whatever Content-Type it sends. */
  @Override
  public URI uploadUrl(String key, Duration validFor) {
    return AwsRequestSigner.presigned("PUT", reader.url(bucket, key), "s3", region, credentials.get(),
        clock.instant(), validFor);
  }

  @Override
  public void put(String key, byte[] content) {
    AwsCredentials signer = credentials.get();
    for (int attempt = 1; ; attempt++) {
      try {
        putOnce(key, content, signer);
        return;
      } catch (Retryable e) {
        if (attempt == PUT_ATTEMPTS) {
          throw e;
        }
      }
      try {
        Thread.sleep(50L << attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while putting s3://" + bucket + "/" + key, e);
      }
    }
  }

  private void putOnce(String key, byte[] content, AwsCredentials signer) {
    URI url = reader.url(bucket, key);
    try {
      HttpURLConnection connection = (HttpURLConnection) url.toURL().openConnection();
      connection.setConnectTimeout(5_000);
      connection.setReadTimeout(30_000);
      connection.setRequestMethod("PUT");
      connection.setDoOutput(true);
      connection.setFixedLengthStreamingMode(content.length);
      AwsRequestSigner.setOn(connection, AwsRequestSigner.signedPut(url, Map.of("content-type", "text/csv"), content,
          "s3", region, signer, clock.instant()));
      try (OutputStream out = connection.getOutputStream()) {
        out.write(content);
      }
      int status = connection.getResponseCode();
      if (status == 200) {
        try (InputStream in = connection.getInputStream()) {
          in.readAllBytes();
        }
        return;
      }
      String code = S3ObjectReader.errorCode(connection);
      String message = "S3 answered " + status + (code == null ? "" : " " + code) + " to the PUT of s3://" + bucket
          + "/" + key;
      if (status >= 500) {
        throw new Retryable(message);
      }
      throw new IllegalStateException(message);
    } catch (IOException e) {
      throw new Retryable("cannot put s3://" + bucket + "/" + key + " to S3: " + e, e);
    }
  }

  /** The file import's read, on every cold start of that function: one signed GET ({@link S3ObjectReader}). */
  @Override
  public InputStream open(String bucket, String key) {
    return reader.open(bucket, key);
  }

  @Override
  public InputStream open(String key) {
    return reader.open(bucket, key);
  }

  private static final class Retryable extends IllegalStateException {
    Retryable(String message) {
      super(message);
    }

    Retryable(String message, IOException cause) {
      super(message, cause);
    }
  }
}
