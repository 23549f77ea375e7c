package io.leadcycle.aws;

import io.leadcycle.runtime.HmacSha256;

import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * AWS Signature Version 4 for the calls the functions make without the AWS SDK: a POST of a JSON body to a
 * service's root path, as AWS's JSON protocols send it (Secrets Manager's GetSecretValue, SQS's
 * SendMessage), a GET and a PUT of an S3 object, and S3's presigned URLs (the signature in the query).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html; held to
 * the SDK's own signer by AwsRequestSignerTest, S3ObjectReaderTest and S3ImportFilesTest.
 */
public final class AwsRequestSigner {

  private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);
  private static final HexFormat HEX = HexFormat.of();

  private AwsRequestSigner() {
  }

  /**
   * The headers to send with a POST of {@code body} to {@code endpoint}'s root: {@code headers} (names in
   * lower case), {@code host}, {@code x-amz-content-sha256}, {@code x-amz-date}, {@code x-amz-security-token}
   * for temporary credentials, and {@code authorization}; every one of them signed.
   */
  public static Map<String, String> signedPost(URI endpoint, Map<String, String> headers, byte[] body,
      String service, String region, AwsCredentials credentials, Instant now) {
    return signed("POST", endpoint.resolve("/"), headers, HEX.formatHex(sha256(body)), service, region, credentials,
        now);
  }

  /**
   * The headers to send with a GET of {@code url} (its path already percent-encoded as S3 wants it, once;
   * no query), as {@link #signedPost} gives them.
   */
  public static Map<String, String> signedGet(URI url, String service, String region, AwsCredentials credentials,
      Instant now) {
    if (url.getRawQuery() != null) {
      throw new IllegalArgumentException("a signed GET here has no query");
    }
    return signed("GET", url, Map.of(), HEX.formatHex(sha256(new byte[0])), service, region, credentials, now);
  }

  /**
   * The headers to send with a PUT of {@code body} to {@code url} (an S3 object's, its path percent-encoded
   * once, no query), as {@link #signedPost} gives them.
   */
  public static Map<String, String> signedPut(URI url, Map<String, String> headers, byte[] body, String service,
      String region, AwsCredentials credentials, Instant now) {
    if (url.getRawQuery() != null) {
      throw new IllegalArgumentException("a signed PUT here has no query");
    }
    return signed("PUT", url, headers, HEX.formatHex(sha256(body)), service, region, credentials, now);
  }

  /**
   * {@code url} (its path percent-encoded once, no query) with the signature in its query, as S3's presigned
   * URLs carry it: only Host is signed and the payload is not ({@code UNSIGNED-PAYLOAD}), so whoever has the
   * URL may {@code method} it with any body and Content-Type until {@code validFor} has passed. The query's
   * parameters are in the order the SDK's S3Presigner writes them, so that the URL is the SDK's to the byte.
   */
  public static URI presigned(String method, URI url, String service, String region, AwsCredentials credentials,
      Instant now, Duration validFor) {
    if (url.getRawQuery() != null) {
      throw new IllegalArgumentException("a presigned URL here has no query of its own");
    }
    String timestamp = TIMESTAMP.format(now);
    String scope = timestamp.substring(0, 8) + "/" + region + "/" + service + "/aws4_request";
    Map<String, String> query = new LinkedHashMap<>();
    if (credentials.sessionToken() != null) {
      query.put("X-Amz-Security-Token", credentials.sessionToken());
    }
    query.put("X-Amz-Algorithm", "AWS4-HMAC-SHA256");
    query.put("X-Amz-Date", timestamp);
    query.put("X-Amz-SignedHeaders", "host");
    query.put("X-Amz-Credential", credentials.accessKeyId() + "/" + scope);
    query.put("X-Amz-Expires", Long.toString(validFor.toSeconds()));
    StringBuilder canonicalQuery = new StringBuilder();
    new TreeMap<>(query).forEach((name, value) -> canonicalQuery.append(canonicalQuery.isEmpty() ? "" : "&")
        .append(name).append('=').append(encode(value)));
    String canonicalRequest = method + "\n" + url.getRawPath() + "\n" + canonicalQuery + "\nhost:" + host(url)
        + "\n\nhost\nUNSIGNED-PAYLOAD";
    StringBuilder presigned = new StringBuilder(url.toString()).append('?');
    query.forEach((name, value) -> presigned.append(name).append('=').append(encode(value)).append('&'));
    presigned.append("X-Amz-Signature=").append(signature(canonicalRequest, timestamp, scope, region, service,
        credentials));
    return URI.create(presigned.toString());
  }

  /** Sets {@code signed} on {@code connection}, but Host, which the connection sends itself with the same value. */
  static void setOn(HttpURLConnection connection, Map<String, String> signed) {
    signed.forEach((name, value) -> {
      if (!name.equals("host")) {
        connection.setRequestProperty(name, value);
      }
    });
  }

  private static Map<String, String> signed(String method, URI url, Map<String, String> headers, String payloadHash,
      String service, String region, AwsCredentials credentials, Instant now) {
    String timestamp = TIMESTAMP.format(now);
    String date = timestamp.substring(0, 8);
    Map<String, String> signed = new TreeMap<>();
    headers.forEach((name, value) -> signed.put(name.toLowerCase(Locale.ROOT), value.strip()));
    signed.put("host", host(url));
    // Required by S3 only, accepted by every service, and sent by the SDK's signer: sent here too.
    signed.put("x-amz-content-sha256", payloadHash);
    signed.put("x-amz-date", timestamp);
    if (credentials.sessionToken() != null) {
      signed.put("x-amz-security-token", credentials.sessionToken());
    }
    StringBuilder canonicalHeaders = new StringBuilder();
    signed.forEach((name, value) -> canonicalHeaders.append(name).append(':').append(value).append('\n'));
    String signedHeaders = String.join(";", signed.keySet());
    // The path as sent: S3 signs it encoded once; the JSON services' root path is "/" either way.
    String canonicalRequest = method + "\n" + url.getRawPath() + "\n\n" + canonicalHeaders + "\n" + signedHeaders
        + "\n" + payloadHash;
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String signature = signature(canonicalRequest, timestamp, scope, region, service, credentials);
    Map<String, String> all = new LinkedHashMap<>(signed);
    all.put("authorization", "AWS4-HMAC-SHA256 Credential=" + credentials.accessKeyId() + "/" + scope
        + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature);
    return all;
  }

  /** As HTTP clients send Host: the port only when it is not the scheme's own. */
  private static String host(URI url) {
    int defaultPort = "https".equals(url.getScheme()) ? 443 : 80;
    return url.getPort() < 0 || url.getPort() == defaultPort ? url.getHost() : url.getHost() + ":" + url.getPort();
  }

  private static String signature(String canonicalRequest, String timestamp, String scope, String region,
      String service, AwsCredentials credentials) {
    String stringToSign = "AWS4-HMAC-SHA256\n" + timestamp + "\n" + scope + "\n"
        + HEX.formatHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + credentials.secretAccessKey()).getBytes(StandardCharsets.UTF_8),
        timestamp.substring(0, 8));
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    return HEX.formatHex(hmac(key, stringToSign));
  }

  /** RFC 3986's unreserved characters as they are, every other byte of the UTF-8 text as %XX ('/' too). */
  static String encode(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-_.~".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(HEX.withUpperCase().toHexDigits(b));
      }
    }
    return out.toString();
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String text) {
    return HmacSha256.of(key, text);
  }
}
