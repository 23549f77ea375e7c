package io.leadcycle.aws;

import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 for the calls the functions make without the AWS SDK: a POST of a JSON body to a
 * service's root path, as AWS's JSON protocols send it (Secrets Manager's GetSecretValue), and a GET of an
 * S3 object.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html; held to
 * the SDK's own signer by AwsRequestSignerTest.
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
    // As HTTP clients send Host: the port only when it is not the scheme's own.
    int defaultPort = "https".equals(url.getScheme()) ? 443 : 80;
    signed.put("host", url.getPort() < 0 || url.getPort() == defaultPort ? url.getHost()
        : url.getHost() + ":" + url.getPort());
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
    String stringToSign = "AWS4-HMAC-SHA256\n" + timestamp + "\n" + scope + "\n"
        + HEX.formatHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + credentials.secretAccessKey()).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    String signature = HEX.formatHex(hmac(key, stringToSign));
    Map<String, String> all = new LinkedHashMap<>(signed);
    all.put("authorization", "AWS4-HMAC-SHA256 Credential=" + credentials.accessKeyId() + "/" + scope
        + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature);
    return all;
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
