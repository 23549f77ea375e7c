package io.leadcycle.linkedin;

import io.leadcycle.aws.SecretsManagerSecrets;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * LinkedIn sync's configuration, from the environment: where LinkedIn's API is, which version of it,
 * whose leads to poll, and the two secrets — the application's client secret (webhook signatures and
 * challenge) and the access token (API calls). The secrets come from {@code LINKEDIN_CLIENT_SECRET} and
 * {@code LINKEDIN_ACCESS_TOKEN} (locally), else from the Secrets Manager secret {@code LINKEDIN_SECRET_ID}
 * ({@code {"clientSecret", "accessToken"}}, in AWS), read on first use and again after
 * {@link #SECRET_TIME_TO_LIVE} or when LinkedIn refuses the token, so a renewed token is picked up
 * without a deploy. Neither secret is ever logged or answered.
 */
public final class LinkedInSettings {

  public static final String DEFAULT_BASE_URL = "https://api.linkedin.com/rest";
  /** A Marketing API version (YYYYMM) LinkedIn supports; LinkedIn keeps each for at least a year. */
  public static final String DEFAULT_VERSION = "202606";
  static final Duration SECRET_TIME_TO_LIVE = Duration.ofMinutes(10);
  private static final Pattern OWNER = Pattern.compile("^urn:li:(sponsoredAccount|organization):[0-9]{1,19}$");
  private static final Pattern VERSION = Pattern.compile("^[0-9]{6}(\\.[0-9]{2})?$");

  /** One owner whose leads are polled: an ad account (sponsored leads) or an organization (organic leads). */
  public record Owner(String urn) {

    /** The Rest.li union member: {@code sponsoredAccount} or {@code organization}. */
    public String kind() {
      return urn.split(":")[2];
    }

    /** The lead types LinkedIn keeps for this kind of owner. */
    public List<String> leadTypes() {
      return kind().equals("sponsoredAccount") ? List.of("SPONSORED") : List.of("COMPANY", "EVENT", "ORGANIZATION_PRODUCT");
    }
  }

  /** The two secrets. */
  public record Secrets(String clientSecret, String accessToken) {

    @Override
    public String toString() {
      return "Secrets[redacted]";
    }
  }

  private final String baseUrl;
  private final String version;
  private final List<Owner> owners;
  private final Secrets fromEnvironment;
  private final String secretId;
  private final Function<String, String> secretsManager;
  private final Clock clock;
  private volatile Secrets cached;
  private volatile Instant cachedAt;

  LinkedInSettings(String baseUrl, String version, List<Owner> owners, Secrets fromEnvironment, String secretId,
      Function<String, String> secretsManager, Clock clock) {
    this.baseUrl = baseUrl;
    this.version = version;
    this.owners = List.copyOf(owners);
    this.fromEnvironment = fromEnvironment;
    this.secretId = secretId;
    this.secretsManager = secretsManager;
    this.clock = clock;
  }

  /** The settings of this process; the Secrets Manager client is built only when a secret must be read. */
  public static LinkedInSettings fromEnvironment(Map<String, String> env) {
    return fromEnvironment(env, id -> SecretsManagerSecrets.fromEnvironment().apply(id), Clock.systemUTC());
  }

  /**
   * Reads and checks the settings; a malformed one fails at once, naming its variable.
   *
   * @param secretsManager reads a secret's text by id (tests bring their own)
   */
  public static LinkedInSettings fromEnvironment(Map<String, String> env, Function<String, String> secretsManager,
      Clock clock) {
    String baseUrl = blankToNull(env.get("LINKEDIN_API_BASE_URL"));
    if (baseUrl == null) {
      baseUrl = DEFAULT_BASE_URL;
    }
    try {
      URI uri = new URI(baseUrl);
      if (uri.getHost() == null || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))) {
        throw new IllegalArgumentException();
      }
    } catch (Exception e) {
      throw new IllegalStateException("LINKEDIN_API_BASE_URL must be an http(s) URL (got \"" + baseUrl + "\").");
    }
    baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    String version = blankToNull(env.get("LINKEDIN_API_VERSION"));
    if (version == null) {
      version = DEFAULT_VERSION;
    } else if (!VERSION.matcher(version).matches()) {
      throw new IllegalStateException("LINKEDIN_API_VERSION must be a version such as 202606 (got \"" + version + "\").");
    }
    List<Owner> owners = new ArrayList<>();
    String rawOwners = blankToNull(env.get("LINKEDIN_OWNER"));
    if (rawOwners != null) {
      for (String part : rawOwners.split(",")) {
        String urn = part.strip();
        if (urn.isEmpty()) {
          continue;
        }
        if (!OWNER.matcher(urn).matches()) {
          throw new IllegalStateException("LINKEDIN_OWNER must list URNs such as urn:li:sponsoredAccount:123 or "
              + "urn:li:organization:456, separated by commas (got \"" + urn + "\").");
        }
        owners.add(new Owner(urn));
      }
    }
    Secrets fromEnvironment = new Secrets(blankToNull(env.get("LINKEDIN_CLIENT_SECRET")),
        blankToNull(env.get("LINKEDIN_ACCESS_TOKEN")));
    return new LinkedInSettings(baseUrl, version, owners, fromEnvironment, blankToNull(env.get("LINKEDIN_SECRET_ID")),
        secretsManager, clock);
  }

  public String baseUrl() {
    return baseUrl;
  }

  public String version() {
    return version;
  }

  public List<Owner> owners() {
    return owners;
  }

  /** The client secret, or null when none is configured. */
  public String clientSecret() {
    return fromEnvironment.clientSecret() != null ? fromEnvironment.clientSecret() : stored(false).clientSecret();
  }

  /** The access token, or null when none is configured; {@code fresh} reads the secret again. */
  public String accessToken(boolean fresh) {
    return fromEnvironment.accessToken() != null ? fromEnvironment.accessToken() : stored(fresh).accessToken();
  }

  /** Whether a fresh read of the secret could bring a new token (it comes from Secrets Manager). */
  public boolean tokenCanBeRenewed() {
    return fromEnvironment.accessToken() == null && secretId != null;
  }

  private Secrets stored(boolean fresh) {
    if (secretId == null) {
      return new Secrets(null, null);
    }
    Secrets known = cached;
    Instant now = clock.instant();
    if (known == null || fresh || cachedAt.plus(SECRET_TIME_TO_LIVE).isBefore(now)) {
      synchronized (this) {
        String text = secretsManager.apply(secretId);
        io.vertx.core.json.JsonObject json;
        try {
          json = new io.vertx.core.json.JsonObject(text);
        } catch (RuntimeException e) {
          throw new IllegalStateException("The secret LINKEDIN_SECRET_ID names must be JSON: {\"clientSecret\", \"accessToken\"}.");
        }
        known = new Secrets(blankToNull(json.getString("clientSecret")), blankToNull(json.getString("accessToken")));
        cached = known;
        cachedAt = now;
      }
    }
    return known;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
