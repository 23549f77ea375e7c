package io.leadcycle.runtime;

import java.util.function.Function;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Reads a secret's text from AWS Secrets Manager. Built only when {@code DB_SECRET_ID} is set, so the
 * common {@code DATABASE_URL} path pays nothing for the SDK. The region, credentials and endpoint
 * come from the Lambda environment (and {@code AWS_ENDPOINT_URL_SECRETS_MANAGER} if set).
 */
public final class SecretsManagerSecrets implements Function<String, String> {

  private final SecretsManagerClient client;

  public SecretsManagerSecrets(SecretsManagerClient client) {
    this.client = client;
  }

  public static SecretsManagerSecrets fromEnvironment() {
    return new SecretsManagerSecrets(SecretsManagerClient.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build());
  }

  @Override
  public String apply(String secretId) {
    return client.getSecretValue(b -> b.secretId(secretId)).secretString();
  }
}
