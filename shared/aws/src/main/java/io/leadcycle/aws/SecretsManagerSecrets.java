package io.leadcycle.aws;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads a secret's text from AWS Secrets Manager (GetSecretValue) with one signed HTTPS request, not the
 * AWS SDK: the SDK's client costs about a quarter of a second of class loading at every cold start, and
 * every function reads its database login this way. Region, credentials and endpoint come from the Lambda
 * environment: {@code AWS_REGION}, {@link AwsCredentials}, and {@code AWS_ENDPOINT_URL_SECRETS_MANAGER} or
 * {@code AWS_ENDPOINT_URL} when set (as the SDK reads them). A failed call is tried three times, as the
 * SDK would; its error names the secret and AWS's error code, never the secret's value.
 */
public final class SecretsManagerSecrets implements Function<String, String> {

  private static final int ATTEMPTS = 3;

  private final URI endpoint;
  private final String region;
  private final Supplier<AwsCredentials> credentials;
  private final Clock clock;

  public SecretsManagerSecrets(URI endpoint, String region, Supplier<AwsCredentials> credentials, Clock clock) {
    this.endpoint = endpoint;
    this.region = region;
    this.credentials = credentials;
    this.clock = clock;
  }

  public static SecretsManagerSecrets fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  public static SecretsManagerSecrets fromEnvironment(Map<String, String> env) {
    String region = AwsEnvironment.region(env, "read secrets from Secrets Manager");
    String override = AwsEnvironment.firstOf(env, "AWS_ENDPOINT_URL_SECRETS_MANAGER", "AWS_ENDPOINT_URL");
    URI endpoint = URI.create(override != null ? override
        : "https://secretsmanager." + region + "." + AwsEnvironment.domain(region));
    return new SecretsManagerSecrets(endpoint, region, () -> AwsCredentials.fromEnvironment(env), Clock.systemUTC());
  }

  @Override
  public String apply(String secretId) {
    byte[] body = new JsonObject().put("SecretId", secretId).encode().getBytes(StandardCharsets.UTF_8);
    AwsCredentials signer = credentials.get();
    for (int attempt = 1; ; attempt++) {
      try {
        return call(secretId, body, signer);
      } catch (Retryable e) {
        if (attempt == ATTEMPTS) {
          throw e;
        }
      }
      try {
        Thread.sleep(100L << attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while reading the secret " + secretId, e);
      }
    }
  }

  private String call(String secretId, byte[] body, AwsCredentials signer) {
    try {
      HttpURLConnection connection = (HttpURLConnection) endpoint.resolve("/").toURL().openConnection();
      connection.setConnectTimeout(5_000);
      connection.setReadTimeout(10_000);
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      connection.setFixedLengthStreamingMode(body.length);
      AwsRequestSigner.setOn(connection, AwsRequestSigner.signedPost(endpoint, Map.of("content-type",
          "application/x-amz-json-1.1", "x-amz-target", "secretsmanager.GetSecretValue"), body, "secretsmanager",
          region, signer, clock.instant()));
      try (OutputStream out = connection.getOutputStream()) {
        out.write(body);
      }
      int status = connection.getResponseCode();
      try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
        String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        if (status == 200) {
          String secret = new JsonObject(text).getString("SecretString");
          if (secret == null) {
            throw new IllegalStateException("The secret " + secretId + " has no SecretString (a binary secret?)");
          }
          return secret;
        }
        String error = errorOf(text);
        String message = "Secrets Manager answered " + status + " " + error + " for the secret " + secretId;
        if (status >= 500 || error.toLowerCase(Locale.ROOT).contains("throttl")) {
          throw new Retryable(message);
        }
        throw new IllegalStateException(message);
      }
    } catch (IOException e) {
      throw new Retryable("cannot reach Secrets Manager at " + endpoint + " for the secret " + secretId + ": " + e);
    }
  }

  /** AWS's error code ({@code __type}, without its namespace) and message. */
  private static String errorOf(String text) {
    try {
      JsonObject error = new JsonObject(text);
      String type = error.getString("__type", "");
      String message = error.getString("message", error.getString("Message", ""));
      return type.substring(type.indexOf('#') + 1) + (message.isEmpty() ? "" : ": " + message);
    } catch (RuntimeException notJson) {
      return "";
    }
  }

  private static final class Retryable extends IllegalStateException {
    Retryable(String message) {
      super(message);
    }
  }
}
