package io.leadcycle.aws;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an S3 object as a stream with one signed GET, not the AWS SDK: the SDK's S3 client loads about
 * 1,600 classes on its first request, a third of a second on the file import's cold start, to read one
 * file. Region, credentials and endpoint come from the Lambda environment as for
 * {@link SecretsManagerSecrets}: {@code AWS_ENDPOINT_URL_S3} or {@code AWS_ENDPOINT_URL}, when set, is
 * addressed path-style ({@code <endpoint>/<bucket>/<key>}), as the SDK addresses an IP endpoint;
 * otherwise the bucket's virtual host ({@code https://<bucket>.s3.<region>.amazonaws.com/<key>}).
 */
public final class S3ObjectReader {

  private static final Pattern CODE = Pattern.compile("<Code>([^<]*)</Code>");

  private final URI endpoint;
  private final String region;
  private final Supplier<AwsCredentials> credentials;
  private final Clock clock;

  public S3ObjectReader(URI endpoint, String region, Supplier<AwsCredentials> credentials, Clock clock) {
    this.endpoint = endpoint;
    this.region = region;
    this.credentials = credentials;
    this.clock = clock;
  }

  public static S3ObjectReader fromEnvironment(Map<String, String> env) {
    String region = AwsEnvironment.region(env, "read files from S3");
    String override = AwsEnvironment.firstOf(env, "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL");
    return new S3ObjectReader(override == null ? null : URI.create(override.replaceAll("/+$", "")), region,
        () -> AwsCredentials.fromEnvironment(env), Clock.systemUTC());
  }

  /** Where the object is: the key percent-encoded once (but its slashes), as S3 signs it. */
  URI url(String bucket, String key) {
    String path = "/" + encode(key);
    if (endpoint != null) {
      return URI.create(endpoint + "/" + bucket + path);
    }
    return URI.create("https://" + bucket + ".s3." + region + "." + AwsEnvironment.domain(region) + path);
  }

  /** The object's content as it arrives; the caller closes it. */
  public InputStream open(String bucket, String key) {
    URI url = url(bucket, key);
    try {
      HttpURLConnection connection = (HttpURLConnection) url.toURL().openConnection();
      connection.setConnectTimeout(5_000);
      connection.setReadTimeout(60_000);
      AwsRequestSigner.setOn(connection, AwsRequestSigner.signedGet(url, "s3", region, credentials.get(),
          clock.instant()));
      int status = connection.getResponseCode();
      if (status == 200) {
        return connection.getInputStream();
      }
      String code = errorCode(connection);
      throw new IllegalStateException("S3 answered " + status + (code == null ? "" : " " + code) + " for s3://"
          + bucket + "/" + key);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read s3://" + bucket + "/" + key + " from S3", e);
    }
  }

  private static String errorCode(HttpURLConnection connection) throws IOException {
    try (InputStream in = connection.getErrorStream()) {
      if (in == null) {
        return null;
      }
      Matcher code = CODE.matcher(new String(in.readNBytes(4096), StandardCharsets.UTF_8));
      return code.find() ? code.group(1) : null;
    }
  }

  /** RFC 3986's unreserved characters and '/' as they are, every other byte of the UTF-8 key as %XX. */
  static String encode(String key) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-_.~/".indexOf(c) >= 0) {
        out.write(c);
      } else {
        out.writeBytes(("%" + HexFormat.of().withUpperCase().toHexDigits(b)).getBytes(StandardCharsets.US_ASCII));
      }
    }
    return out.toString(StandardCharsets.US_ASCII);
  }
}
