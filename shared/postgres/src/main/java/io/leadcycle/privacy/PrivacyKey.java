package io.leadcycle.privacy;

import io.leadcycle.aws.SecretsManagerSecrets;
import io.leadcycle.domain.Normalize;
import io.leadcycle.domain.Unavailable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key of the erasure tombstones' hashes (HMAC-SHA256 of a normalized email or phone, docs/privacy.md).
 * It is kept out of the database that holds the hashes, so a copy of the database alone cannot test an
 * address against them: {@code PRIVACY_HASH_KEY} (base64, at least 32 bytes), else the Secrets Manager secret
 * {@code PRIVACY_HASH_KEY_SECRET_ID} names (its text, base64, as the template generates it), else the key the
 * host installed (the local server keeps one beside its data directory). Without one, erasure answers 503 and
 * intake finds no tombstone (none can have been written with this configuration).
 */
public final class PrivacyKey {

  /** Fewer bytes than SHA-256's block would make a guessable key. */
  static final int MIN_BYTES = 32;

  private static volatile PrivacyKey installed;
  private static volatile PrivacyKey fromEnvironment;
  private static volatile boolean resolved;

  private final byte[] key;

  private PrivacyKey(byte[] key) {
    if (key.length < MIN_BYTES) {
      throw new IllegalStateException("The privacy hash key must be at least " + MIN_BYTES + " bytes (base64 of "
          + "32 random bytes, e.g. openssl rand -base64 32).");
    }
    this.key = key.clone();
  }

  /** A key from its base64 text. */
  public static PrivacyKey ofBase64(String text) {
    try {
      return new PrivacyKey(Base64.getDecoder().decode(text.strip()));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("The privacy hash key must be base64 (e.g. openssl rand -base64 32).");
    }
  }

  /** Makes {@code key} the key of this process (the local server, tests); null uninstalls. */
  public static void install(PrivacyKey key) {
    installed = key;
  }

  /** This process's key: installed, else from the environment; null when none is configured. */
  public static PrivacyKey shared() {
    PrivacyKey key = installed;
    if (key != null) {
      return key;
    }
    if (!resolved) {
      synchronized (PrivacyKey.class) {
        if (!resolved) {
          fromEnvironment = fromEnvironment(System.getenv(), id -> SecretsManagerSecrets.fromEnvironment().apply(id));
          resolved = true;
        }
      }
    }
    return fromEnvironment;
  }

  /** The key {@code env} configures, reading a secret with {@code secrets}; null when none is. */
  public static PrivacyKey fromEnvironment(Map<String, String> env, Function<String, String> secrets) {
    String text = env.get("PRIVACY_HASH_KEY");
    if (text != null && !text.isBlank()) {
      return ofBase64(text);
    }
    String secretId = env.get("PRIVACY_HASH_KEY_SECRET_ID");
    if (secretId != null && !secretId.isBlank()) {
      return ofBase64(secrets.apply(secretId.strip()));
    }
    return null;
  }

  /**
   * The key kept in {@code file}, generated there (32 random bytes, base64, readable by the owner only) when
   * there is none: the local server keeps it beside its data directory, not in the database.
   */
  public static PrivacyKey keptIn(java.nio.file.Path file) {
    try {
      if (!java.nio.file.Files.exists(file)) {
        byte[] fresh = new byte[MIN_BYTES];
        new java.security.SecureRandom().nextBytes(fresh);
        java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
        java.nio.file.Path written = java.nio.file.Files.writeString(file.resolveSibling(file.getFileName() + ".new"),
            Base64.getEncoder().encodeToString(fresh) + "\n");
        try {
          java.nio.file.Files.setPosixFilePermissions(written, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
          // Windows: the directory's own permissions apply
        }
        java.nio.file.Files.move(written, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
      return ofBase64(java.nio.file.Files.readString(file));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("The privacy hash key file " + file + " cannot be read or written: " + e.getMessage(), e);
    }
  }

  /** The key, or a 503 for a request that needs it. */
  public static PrivacyKey required() {
    PrivacyKey key = shared();
    if (key == null) {
      throw new Unavailable("Erasure is not configured: set PRIVACY_HASH_KEY (or PRIVACY_HASH_KEY_SECRET_ID) to the "
          + "key of the tombstone hashes (README, Configuration).");
    }
    return key;
  }

  /**
   * The hashes a person's email and phone leave on a tombstone (and are looked up by): of the normalized
   * values, each prefixed by its kind, so an email never matches a phone. Absent values give none.
   */
  public List<byte[]> hashesOf(String email, String phone) {
    List<byte[]> hashes = new ArrayList<>(2);
    String e = Normalize.email(email);
    if (e != null) {
      hashes.add(hmac("email:" + e));
    }
    String p = Normalize.phone(phone);
    if (p != null) {
      hashes.add(hmac("phone:" + p));
    }
    return hashes;
  }

  private byte[] hmac(String value) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
