package io.leadcycle.postgres;

import io.leadcycle.aws.AwsCredentials;
import io.leadcycle.aws.SecretsManagerSecrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The database password from Secrets Manager, through our signed GetSecretValue call, against a
 * loopback server that answers the way the service's JSON protocol does; credentials from Lambda's
 * variables or, as with SnapStart, from the container credentials endpoint.
 */
class SecretsManagerSecretsTest {

  private HttpServer aws;
  private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger status = new AtomicInteger(200);

  @BeforeEach
  void start() throws Exception {
    aws = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    aws.createContext("/", exchange -> {
      try (InputStream body = exchange.getRequestBody()) {
        requests.add(Map.of(
            "target", String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target")),
            "authorization", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")),
            "token", String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Security-Token")),
            "contentType", String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")),
            "body", new String(body.readAllBytes(), StandardCharsets.UTF_8)));
      }
      JsonObject answer = status.get() == 200
          ? new JsonObject()
              .put("ARN", "arn:aws:secretsmanager:eu-central-1:123456789012:secret:leadcycle-db-AbCdEf")
              .put("Name", "leadcycle-db")
              .put("SecretString", new JsonObject().put("username", "leadcycle_app").put("password", "p@ss:w/rd").encode())
              .put("VersionId", "v1")
          : new JsonObject().put("__type", status.get() == 400 ? "ResourceNotFoundException" : "InternalServiceError")
              .put("Message", status.get() == 400 ? "Secrets Manager can't find the specified secret." : "try again");
      byte[] bytes = answer.encode().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
      exchange.sendResponseHeaders(status.get(), bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    aws.createContext("/credentials", exchange -> {
      boolean authorized = "container-token".equals(exchange.getRequestHeaders().getFirst("Authorization"));
      byte[] bytes = new JsonObject().put("AccessKeyId", "ASIACONTAINER").put("SecretAccessKey", "container-secret")
          .put("Token", "container-session").put("Expiration", "2026-12-06T18:00:00Z").encode()
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(authorized ? 200 : 403, authorized ? bytes.length : -1);
      if (authorized) {
        exchange.getResponseBody().write(bytes);
      }
      exchange.close();
    });
    aws.start();
  }

  @AfterEach
  void stop() {
    aws.stop(0);
  }

  @Test
  void theSecretsUsernameAndPasswordBecomeTheDatabaseLogin() {
    DatabaseSettings settings = DatabaseSettings.fromEnvironment(Map.of(
        "DB_HOST", "db.internal", "DB_NAME", "leadcycle", "DB_SECRET_ID", "leadcycle-db"),
        SecretsManagerSecrets.fromEnvironment(lambda(Map.of("AWS_ACCESS_KEY_ID", "ASIAENVIRONMENT",
            "AWS_SECRET_ACCESS_KEY", "environment-secret", "AWS_SESSION_TOKEN", "environment-session"))));

    assertThat(requests).singleElement().satisfies(request -> {
      assertThat(request.get("target")).isEqualTo("secretsmanager.GetSecretValue");
      assertThat(request.get("contentType")).isEqualTo("application/x-amz-json-1.1");
      assertThat(new JsonObject(request.get("body")).getString("SecretId")).isEqualTo("leadcycle-db");
      assertThat(request.get("authorization"))
          .matches("AWS4-HMAC-SHA256 Credential=ASIAENVIRONMENT/\\d{8}/eu-central-1/secretsmanager/aws4_request, "
              + "SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-amz-target, Signature=[0-9a-f]{64}");
      assertThat(request.get("token")).isEqualTo("environment-session");
    });
    assertThat(settings.user()).isEqualTo("leadcycle_app");
    assertThat(settings.password()).isEqualTo("p@ss:w/rd");
    assertThat(settings.toString()).doesNotContain("p@ss:w/rd");
  }

  @Test
  void withSnapStartTheCredentialsComeFromTheContainerEndpoint() {
    String secret = SecretsManagerSecrets.fromEnvironment(lambda(Map.of(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI", endpoint() + "/credentials",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN", "container-token"))).apply("leadcycle-db");

    assertThat(new JsonObject(secret).getString("username")).isEqualTo("leadcycle_app");
    assertThat(requests).singleElement().satisfies(request -> {
      assertThat(request.get("authorization")).startsWith("AWS4-HMAC-SHA256 Credential=ASIACONTAINER/");
      assertThat(request.get("token")).isEqualTo("container-session");
    });
  }

  @Test
  void anUnknownSecretIsNamedWithAwsErrorAndNotTriedAgain() {
    status.set(400);

    Throwable thrown = catchThrowable(() -> SecretsManagerSecrets.fromEnvironment(lambda(Map.of(
        "AWS_ACCESS_KEY_ID", "AKID", "AWS_SECRET_ACCESS_KEY", "secret"))).apply("leadcycle-missing"));

    assertThat(thrown).isInstanceOf(IllegalStateException.class)
        .hasMessage("Secrets Manager answered 400 ResourceNotFoundException: Secrets Manager can't find the specified "
            + "secret. for the secret leadcycle-missing");
    assertThat(requests).hasSize(1);
  }

  @Test
  void aServerErrorIsTriedThreeTimes() {
    status.set(500);

    Throwable thrown = catchThrowable(() -> SecretsManagerSecrets.fromEnvironment(lambda(Map.of(
        "AWS_ACCESS_KEY_ID", "AKID", "AWS_SECRET_ACCESS_KEY", "secret"))).apply("leadcycle-db"));

    assertThat(thrown).hasMessageContaining("500 InternalServiceError");
    assertThat(requests).hasSize(3);
  }

  @Test
  void withoutCredentialsNothingIsSentAndTheMessageSaysWhy() {
    Throwable thrown = catchThrowable(() -> SecretsManagerSecrets.fromEnvironment(lambda(Map.of())).apply("x"));

    assertThat(thrown).hasMessageContaining("No AWS credentials");
    assertThat(requests).isEmpty();
    assertThat(new AwsCredentials("AKID", "wJalrXUtnFEMI", "token").toString()).doesNotContain("wJalrXUtnFEMI", "token");
  }

  private Map<String, String> lambda(Map<String, String> credentials) {
    Map<String, String> env = new java.util.HashMap<>(credentials);
    env.put("AWS_REGION", "eu-central-1");
    env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", endpoint());
    return env;
  }

  private String endpoint() {
    return "http://127.0.0.1:" + aws.getAddress().getPort();
  }
}
