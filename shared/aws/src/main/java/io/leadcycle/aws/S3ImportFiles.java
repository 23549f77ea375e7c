package io.leadcycle.aws;

import io.leadcycle.runtime.ImportFiles;

import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PutObjectPresignRequest;

/**
 * The import bucket ({@code IMPORT_BUCKET}): presigned PUT URLs for uploads of any size and small files put
 * from the API (the AWS SDK's clients, built on first use, with region and credentials from the Lambda
 * environment as the SDK finds them), and files read as a stream by the import ({@link S3ObjectReader}).
 */
public final class S3ImportFiles implements ImportFiles {

  public static final String BUCKET_VARIABLE = "IMPORT_BUCKET";

  private final String bucket;
  private final Supplier<S3Client> client;
  private final Supplier<S3Presigner> presigner;
  private final S3ObjectReader reader;

  private S3ImportFiles(String bucket, Map<String, String> env) {
    this.bucket = bucket;
    this.client = memoize(() -> S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build());
    this.presigner = memoize(() -> S3Presigner.builder().build());
    this.reader = S3ObjectReader.fromEnvironment(env);
  }

  /** The bucket {@code IMPORT_BUCKET} names, or {@link ImportFiles#NONE} without one. */
  public static ImportFiles fromEnvironment(Map<String, String> env) {
    String bucket = env.get(BUCKET_VARIABLE);
    return bucket == null || bucket.isBlank() ? ImportFiles.NONE : new S3ImportFiles(bucket.strip(), env);
  }

  @Override
  public void prime() {
    client.get();
    presigner.get();
  }

  @Override
  public URI uploadUrl(String key, Duration validFor) {
    // The content type is not signed, so a client may PUT with whatever Content-Type it sends.
    PutObjectPresignRequest request = PutObjectPresignRequest.builder()
        .signatureDuration(validFor)
        .putObjectRequest(PutObjectRequest.builder().bucket(bucket).key(key).build())
        .build();
    return URI.create(presigner.get().presignPutObject(request).url().toString());
  }

  @Override
  public void put(String key, byte[] content) {
    client.get().putObject(PutObjectRequest.builder().bucket(bucket).key(key).contentType("text/csv").build(),
        RequestBody.fromBytes(content));
  }

  /** The file import's read, on every cold start of that function: one signed GET ({@link S3ObjectReader}). */
  @Override
  public InputStream open(String bucket, String key) {
    return reader.open(bucket, key);
  }

  private static <T> Supplier<T> memoize(Supplier<T> factory) {
    return new Supplier<>() {
      private volatile T value;

      @Override
      public synchronized T get() {
        if (value == null) {
          value = factory.get();
        }
        return value;
      }
    };
  }
}
