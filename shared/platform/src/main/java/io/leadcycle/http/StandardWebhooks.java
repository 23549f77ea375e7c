package io.leadcycle.http;

import io.leadcycle.runtime.HmacSha256;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Webhook signatures the Standard Webhooks way: {@code v1,<base64 HMAC-SHA256>} over
 * {@code "{id}.{timestamp}.{body}"}, keyed with the bytes of a {@code whsec_<base64>} secret.
 */
public final class StandardWebhooks {

  public static final Duration TOLERANCE = Duration.ofMinutes(5);
  private static final String PREFIX = "whsec_";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final java.util.regex.Pattern SPACES = java.util.regex.Pattern.compile(" +"); // once, not per request

  private StandardWebhooks() {
  }

  /** A new random secret (24 bytes), as shown once to the user. */
  public static String newSecret() {
    byte[] key = new byte[24];
    RANDOM.nextBytes(key);
    return PREFIX + Base64.getEncoder().encodeToString(key);
  }

  public static String sign(String secret, String id, long timestamp, byte[] body) {
    return "v1," + Base64.getEncoder().encodeToString(hmac(secret, id, timestamp, body));
  }

  /**
   * The {@code webhook-signature} header for several secrets (a rotation: the new and the previous
   * one), space-separated; a receiver accepts the delivery when any one matches its secret.
   */
  public static String signAll(java.util.List<String> secrets, String id, long timestamp, byte[] body) {
    StringBuilder header = new StringBuilder();
    for (String secret : secrets) {
      if (header.length() > 0) {
        header.append(' ');
      }
      header.append(sign(secret, id, timestamp, body));
    }
    return header.toString();
  }

  /**
   * Checks the {@code webhook-id}, {@code webhook-timestamp} and {@code webhook-signature} headers.
   * Any one of several space-separated signatures may match (key rotation).
   *
   * @throws Problem 401 when a header is missing, the timestamp is more than 5 minutes off or no
   *     signature matches
   */
  public static void verify(String secret, HttpRequest request, Instant now) {
    verify(java.util.List.of(secret), request, now);
  }

  /**
   * Like {@link #verify(String, HttpRequest, Instant)}, accepting a signature made with any one of
   * {@code secrets} (a rotated form: its current secret and, during the overlap, the previous one).
   */
  public static void verify(java.util.List<String> secrets, HttpRequest request, Instant now) {
    String id = request.header("webhook-id");
    String timestamp = request.header("webhook-timestamp");
    String signatures = request.header("webhook-signature");
    if (id == null || timestamp == null || signatures == null) {
      throw Problem.unauthorized("This form requires signed submissions: send webhook-id, webhook-timestamp "
          + "and webhook-signature headers.");
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.strip());
    } catch (NumberFormatException e) {
      throw Problem.unauthorized("webhook-timestamp must be unix seconds.");
    }
    long nowSeconds = now.getEpochSecond();
    if (seconds < nowSeconds - TOLERANCE.toSeconds() || seconds > nowSeconds + TOLERANCE.toSeconds()) {
      throw Problem.unauthorized("webhook-timestamp is more than 5 minutes off; the delivery is stale or replayed.");
    }
    byte[][] expected = new byte[secrets.size()][];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = hmac(secrets.get(i), id, seconds, request.body());
    }
    for (String candidate : SPACES.split(signatures.strip())) {
      int comma = candidate.indexOf(',');
      if (comma < 0 || !candidate.substring(0, comma).equals("v1")) {
        continue;
      }
      byte[] given;
      try {
        given = Base64.getDecoder().decode(candidate.substring(comma + 1));
      } catch (IllegalArgumentException e) {
        continue;
      }
      for (byte[] mac : expected) {
        if (HmacSha256.matches(mac, given)) {
          return;
        }
      }
    }
    throw Problem.unauthorized("No webhook-signature matches this form's signing secret.");
  }

  private static byte[] hmac(String secret, String id, long timestamp, byte[] body) {
    return HmacSha256.of(key(secret), (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8), body);
  }

  private static byte[] key(String secret) {
    String encoded = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
    return Base64.getDecoder().decode(encoded);
  }
}
