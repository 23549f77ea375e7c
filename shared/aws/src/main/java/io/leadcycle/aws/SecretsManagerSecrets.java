package io.leadcycle.aws;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Clock;
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

  private static final AwsJsonCall.Service SECRETS_MANAGER =
      new AwsJsonCall.Service("secretsmanager", "Secrets Manager", "application/x-amz-json-1.1");
  private static final int ATTEMPTS = 3;

  private final AwsJsonCall call;

  public SecretsManagerSecrets(URI endpoint, String region, Supplier<AwsCredentials> credentials, Clock clock) {
    // 200 then 400 ms between the attempts.
    this.call = new AwsJsonCall(SECRETS_MANAGER, endpoint, region, credentials, clock, ATTEMPTS, 200);
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
    JsonObject answer = call.call("secretsmanager.GetSecretValue", new JsonObject().put("SecretId", secretId),
        "for the secret " + secretId);
    String secret = answer.getString("SecretString");
    if (secret == null) {
      throw new IllegalStateException("The secret " + secretId + " has no SecretString (a binary secret?)");
    }
    return secret;
  }
}
