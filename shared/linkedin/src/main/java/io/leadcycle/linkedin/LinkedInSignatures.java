package io.leadcycle.linkedin;

import io.leadcycle.http.Problem;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * LinkedIn's webhook security (docs/linkedin.md): the validation challenge is answered with the hex
 * HMAC-SHA256 of the challenge code keyed with the application's client secret; every notification
 * carries {@code X-LI-Signature}, the hex HMAC-SHA256 of {@code "hmacsha256=" + raw body} with the same
 * key, compared here in constant time. Pure computation: no database, so a cold start answers fast.
 */
public final class LinkedInSignatures {

  private static final byte[] PREFIX = "hmacsha256=".getBytes(StandardCharsets.US_ASCII);

  private LinkedInSignatures() {
  }

  /** The {@code challengeResponse} for {@code challengeCode}. */
  public static String challengeResponse(String clientSecret, String challengeCode) {
    return hex(clientSecret, challengeCode.getBytes(StandardCharsets.UTF_8));
  }

  /** The {@code X-LI-Signature} of {@code body}. */
  public static String sign(String clientSecret, byte[] body) {
    byte[] signed = new byte[PREFIX.length + body.length];
    System.arraycopy(PREFIX, 0, signed, 0, PREFIX.length);
    System.arraycopy(body, 0, signed, PREFIX.length, body.length);
    return hex(clientSecret, signed);
  }

  /**
   * Checks {@code X-LI-Signature}; a {@code hmacsha256=} before the digest is tolerated, as is upper-case hex.
   *
   * @throws Problem 401 when the header is missing or does not match
   */
  public static void verify(String clientSecret, String header, byte[] body) {
    if (header == null || header.isBlank()) {
      throw Problem.unauthorized("A LinkedIn notification must carry X-LI-Signature.");
    }
    String given = header.strip().toLowerCase(Locale.ROOT);
    if (given.startsWith("hmacsha256=")) {
      given = given.substring("hmacsha256=".length());
    }
    byte[] expected = sign(clientSecret, body).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.US_ASCII))) {
      throw Problem.unauthorized("X-LI-Signature does not match this body and the LinkedIn client secret.");
    }
  }

  private static String hex(String key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(data));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
