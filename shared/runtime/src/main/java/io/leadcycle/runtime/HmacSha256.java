package io.leadcycle.runtime;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256, the one way every signature here is made (webhook signing, LinkedIn's signature check,
 * AWS Signature Version 4, the local upload URLs), and the one way a signature is checked: in constant
 * time, so that how long a comparison takes tells an attacker nothing about how much of a guess was right.
 */
public final class HmacSha256 {

  /**
   * One Mac per thread: {@code Mac.getInstance} searches the security providers on every call, which
   * cost more than the HMAC of a submission itself. A Mac is re-keyed by each {@link #of} and reset by doFinal.
   */
  private static final ThreadLocal<Mac> MACS = new ThreadLocal<>() {
    // A subclass, not withInitial(lambda): a lambda costs a class spun at the first cold start.
    @Override
    protected Mac initialValue() {
      try {
        return Mac.getInstance("HmacSHA256");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 is not available", e);
      }
    }
  };

  private HmacSha256() {
  }

  /** The HMAC-SHA256 of the parts, one after the other, keyed with {@code key}. */
  public static byte[] of(byte[] key, byte[]... parts) {
    Mac mac = MACS.get();
    try {
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      for (byte[] part : parts) {
        mac.update(part);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 cannot take this key", e);
    }
  }

  /** The HMAC-SHA256 of {@code text} in UTF-8. */
  public static byte[] of(byte[] key, String text) {
    return of(key, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Whether a given signature is the expected one, compared in constant time; null is never a match. */
  public static boolean matches(byte[] expected, byte[] given) {
    return expected != null && given != null && MessageDigest.isEqual(expected, given);
  }
}
