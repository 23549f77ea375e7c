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
import java.util.function.Supplier;

/**
 * One operation of an AWS service's JSON protocol (Secrets Manager's 1.1, SQS's 1.0), the one way our
 * SDK-less adapters call such a service: a SigV4-signed POST of the input to the service's endpoint with
 * {@code X-Amz-Target} naming the operation. A call that failed on the way or on AWS's side (unreachable, a
 * 5xx, 429, throttling) is tried again after a short back-off that doubles, up to {@code attempts} in all;
 * one AWS refused is not. Errors name the service, AWS's error code and what was asked in the caller's
 * words, never the input.
 */
final class AwsJsonCall {

  /** The service as SigV4 and the protocol name it, and as errors call it. */
  record Service(String signingName, String title, String contentType) {
  }

  private final Service service;
  private final URI endpoint;
  private final String region;
  private final Supplier<AwsCredentials> credentials;
  private final Clock clock;
  private final int attempts;
  private final long firstBackOffMillis;

  AwsJsonCall(Service service, URI endpoint, String region, Supplier<AwsCredentials> credentials, Clock clock,
      int attempts, long firstBackOffMillis) {
    this.service = service;
    this.endpoint = endpoint;
    this.region = region;
    this.credentials = credentials;
    this.clock = clock;
    this.attempts = attempts;
    this.firstBackOffMillis = firstBackOffMillis;
  }

  URI endpoint() {
    return endpoint;
  }

  /**
   * AWS's answer to {@code target} (e.g. {@code AmazonSQS.SendMessage}) with {@code input}.
   *
   * @param what the call in the caller's words, for errors ("for the secret db-login")
   * @throws IllegalStateException when AWS refused it, or it still failed after the last attempt
   */
  JsonObject call(String target, JsonObject input, String what) {
    byte[] body = input.encode().getBytes(StandardCharsets.UTF_8);
    AwsCredentials signer = credentials.get();
    for (int attempt = 1; ; attempt++) {
      try {
        return callOnce(target, body, signer, what);
      } catch (Retryable e) {
        if (attempt == attempts) {
          throw e;
        }
      }
      try {
        Thread.sleep(firstBackOffMillis << (attempt - 1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while calling " + service.title() + " " + what, e);
      }
    }
  }

  private JsonObject callOnce(String target, byte[] body, AwsCredentials signer, String what) {
    try {
      HttpURLConnection connection = (HttpURLConnection) endpoint.resolve("/").toURL().openConnection();
      connection.setConnectTimeout(5_000);
      connection.setReadTimeout(10_000);
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      connection.setFixedLengthStreamingMode(body.length);
      AwsRequestSigner.setOn(connection, AwsRequestSigner.signedPost(endpoint, Map.of("content-type",
          service.contentType(), "x-amz-target", target), body, service.signingName(), region, signer, clock.instant()));
      try (OutputStream out = connection.getOutputStream()) {
        out.write(body);
      }
      int status = connection.getResponseCode();
      String text;
      try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
        text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (status == 200) {
        return new JsonObject(text);
      }
      String error = errorOf(text);
      String problem = service.title() + " answered " + status + " " + error + " " + what;
      if (status >= 500 || status == 429 || error.toLowerCase(Locale.ROOT).contains("throttl")) {
        throw new Retryable(problem);
      }
      throw new IllegalStateException(problem);
    } catch (IOException e) {
      throw new Retryable("cannot reach " + service.title() + " at " + endpoint + " " + what + ": " + e);
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

  /** A failure worth another attempt; after the last one, what the caller sees. */
  static final class Retryable extends IllegalStateException {
    Retryable(String message) {
      super(message);
    }
  }
}
