package io.leadcycle.aws;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The function's AWS credentials, where Lambda puts them: {@code AWS_ACCESS_KEY_ID},
 * {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN}; or, with SnapStart, which must not keep
 * credentials in a snapshot, the container credentials endpoint ({@code AWS_CONTAINER_CREDENTIALS_FULL_URI}
 * with {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}), asked each time. The same order as the SDK's default
 * chain for what Lambda sets.
 */
public record AwsCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {

  /** Never the secret key or the token. */
  @Override
  public String toString() {
    return "AwsCredentials[" + accessKeyId + "]";
  }

  public static AwsCredentials fromEnvironment(Map<String, String> env) {
    String accessKey = blankToNull(env.get("AWS_ACCESS_KEY_ID"));
    String secretKey = blankToNull(env.get("AWS_SECRET_ACCESS_KEY"));
    if (accessKey != null && secretKey != null) {
      return new AwsCredentials(accessKey, secretKey, blankToNull(env.get("AWS_SESSION_TOKEN")));
    }
    String uri = blankToNull(env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI"));
    if (uri != null) {
      return fromContainerEndpoint(URI.create(uri), containerToken(env));
    }
    throw new IllegalStateException("No AWS credentials: Lambda sets AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or "
        + "AWS_CONTAINER_CREDENTIALS_FULL_URI with SnapStart");
  }

  private static String containerToken(Map<String, String> env) {
    String token = blankToNull(env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN"));
    String file = blankToNull(env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"));
    if (token == null && file != null) {
      try {
        token = Files.readString(Path.of(file)).strip();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", e);
      }
    }
    return token;
  }

  private static AwsCredentials fromContainerEndpoint(URI uri, String token) {
    try {
      HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
      connection.setConnectTimeout(2_000);
      connection.setReadTimeout(5_000);
      if (token != null) {
        connection.setRequestProperty("Authorization", token);
      }
      int status = connection.getResponseCode();
      if (status != 200) {
        throw new IllegalStateException("The container credentials endpoint answered " + status);
      }
      JsonObject answer;
      try (InputStream in = connection.getInputStream()) {
        answer = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
      return new AwsCredentials(answer.getString("AccessKeyId"), answer.getString("SecretAccessKey"),
          answer.getString("Token"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach the container credentials endpoint", e);
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
