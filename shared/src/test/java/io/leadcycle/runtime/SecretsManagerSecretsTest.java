package io.leadcycle.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The database password from Secrets Manager, through the real AWS SDK client, against a loopback
 * server that answers GetSecretValue the way the service's JSON protocol does.
 */
class SecretsManagerSecretsTest {

  private HttpServer secretsManager;
  private final AtomicReference<String> target = new AtomicReference<>();
  private final AtomicReference<JsonObject> request = new AtomicReference<>();

  @BeforeEach
  void start() throws Exception {
    secretsManager = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    secretsManager.createContext("/", exchange -> {
      try (InputStream body = exchange.getRequestBody()) {
        target.set(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
        request.set(new JsonObject(new String(body.readAllBytes(), StandardCharsets.UTF_8)));
      }
      byte[] answer = new JsonObject()
          .put("ARN", "arn:aws:secretsmanager:eu-central-1:123456789012:secret:leadcycle-db-AbCdEf")
          .put("Name", "leadcycle-db")
          .put("SecretString", new JsonObject().put("username", "leadcycle_app").put("password", "p@ss:w/rd").encode())
          .put("VersionId", "v1")
          .encode().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    secretsManager.start();
  }

  @AfterEach
  void stop() {
    secretsManager.stop(0);
  }

  @Test
  void theSecretsUsernameAndPasswordBecomeTheDatabaseLogin() {
    SecretsManagerClient client = SecretsManagerClient.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + secretsManager.getAddress().getPort()))
        .region(Region.EU_CENTRAL_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();

    DatabaseSettings settings = DatabaseSettings.fromEnvironment(Map.of(
        "DB_HOST", "db.internal", "DB_NAME", "leadcycle", "DB_SECRET_ID", "leadcycle-db"),
        new SecretsManagerSecrets(client));

    assertThat(target.get()).isEqualTo("secretsmanager.GetSecretValue");
    assertThat(request.get().getString("SecretId")).isEqualTo("leadcycle-db");
    assertThat(settings.user()).isEqualTo("leadcycle_app");
    assertThat(settings.password()).isEqualTo("p@ss:w/rd");
    assertThat(settings.toString()).doesNotContain("p@ss:w/rd");
  }
}
