package io.leadcycle.aws;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * SQS's {@code SendMessage} with one signed HTTPS request in AWS's JSON 1.0 protocol, not the AWS SDK
 * (whose SQS client, with the S3 one, was most of every function's jar). As the SDK does, it takes region,
 * credentials and endpoint from the Lambda environment ({@code AWS_REGION}, {@link AwsCredentials},
 * {@code AWS_ENDPOINT_URL_SQS} or {@code AWS_ENDPOINT_URL} when set); tries a send that failed on the way
 * or on AWS's side (a 5xx, throttling) four times in all, as the SDK's default (legacy) retry mode does,
 * but not one SQS refused; and checks the MD5 checksums SQS answers of the body and the attributes it
 * received.
 */
public final class SqsSender {

  static final int ATTEMPTS = 4;

  private final URI endpoint;
  private final String region;
  private final Supplier<AwsCredentials> credentials;
  private final Clock clock;

  public SqsSender(URI endpoint, String region, Supplier<AwsCredentials> credentials, Clock clock) {
    this.endpoint = endpoint;
    this.region = region;
    this.credentials = credentials;
    this.clock = clock;
  }

  public static SqsSender fromEnvironment(Map<String, String> env) {
    String region = AwsEnvironment.region(env, "send SQS messages");
    URI override = AwsEnvironment.endpointOverride(env, "AWS_ENDPOINT_URL_SQS");
    URI endpoint = override != null ? override : URI.create("https://sqs." + region + "." + AwsEnvironment.domain(region));
    return new SqsSender(endpoint, region, () -> AwsCredentials.fromEnvironment(env), Clock.systemUTC());
  }

  /**
   * Sends {@code message}, SendMessage's input as the JSON protocol writes it ({@code QueueUrl},
   * {@code MessageBody}, {@code MessageAttributes} of {@code DataType} and {@code StringValue} or base64
   * {@code BinaryValue}, {@code MessageGroupId}, {@code MessageDeduplicationId}), and answers the message's id.
   * Throws when it was not sent; the message names SQS's error code, never the body.
   */
  public String sendMessage(JsonObject message) {
    byte[] body = message.encode().getBytes(StandardCharsets.UTF_8);
    AwsCredentials signer = credentials.get();
    for (int attempt = 1; ; attempt++) {
      try {
        return sendOnce(message, body, signer);
      } catch (Retryable e) {
        if (attempt == ATTEMPTS) {
          throw e;
        }
      }
      try {
        // 100, 200, 400 ms: a short back-off, of the order of the SDK's.
        Thread.sleep(50L << attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while sending to " + message.getString("QueueUrl"), e);
      }
    }
  }

  private String sendOnce(JsonObject message, byte[] body, AwsCredentials signer) {
    String queue = message.getString("QueueUrl");
    try {
      HttpURLConnection connection = (HttpURLConnection) endpoint.resolve("/").toURL().openConnection();
      connection.setConnectTimeout(5_000);
      connection.setReadTimeout(10_000);
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      connection.setFixedLengthStreamingMode(body.length);
      AwsRequestSigner.setOn(connection, AwsRequestSigner.signedPost(endpoint, Map.of("content-type",
          "application/x-amz-json-1.0", "x-amz-target", "AmazonSQS.SendMessage"), body, "sqs", region, signer,
          clock.instant()));
      try (OutputStream out = connection.getOutputStream()) {
        out.write(body);
      }
      int status = connection.getResponseCode();
      String text;
      try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
        text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (status == 200) {
        return sent(message, new JsonObject(text));
      }
      String error = errorOf(text);
      String problem = "SQS answered " + status + " " + error + " to SendMessage to " + queue;
      if (status >= 500 || status == 429 || error.toLowerCase(Locale.ROOT).contains("throttl")) {
        throw new Retryable(problem);
      }
      throw new IllegalStateException(problem);
    } catch (IOException e) {
      throw new Retryable("cannot reach SQS at " + endpoint + " to send to " + queue + ": " + e);
    }
  }

  /** The message's id, once SQS's checksums show it received what was sent (as the SDK checks them). */
  private static String sent(JsonObject message, JsonObject answer) {
    String bodyMd5 = md5Hex(message.getString("MessageBody", "").getBytes(StandardCharsets.UTF_8));
    if (!bodyMd5.equals(answer.getString("MD5OfMessageBody"))) {
      throw new IllegalStateException("SQS's MD5 of the message body (" + answer.getString("MD5OfMessageBody")
          + ") is not the body's sent to " + message.getString("QueueUrl") + " (" + bodyMd5 + ")");
    }
    JsonObject attributes = message.getJsonObject("MessageAttributes");
    if (attributes != null && !attributes.isEmpty()) {
      String attributesMd5 = attributesMd5(attributes);
      if (!attributesMd5.equals(answer.getString("MD5OfMessageAttributes"))) {
        throw new IllegalStateException("SQS's MD5 of the message attributes ("
            + answer.getString("MD5OfMessageAttributes") + ") is not the attributes' sent to "
            + message.getString("QueueUrl") + " (" + attributesMd5 + ")");
      }
    }
    return answer.getString("MessageId");
  }

  static String md5Hex(byte[] bytes) {
    return HexFormat.of().formatHex(md5().digest(bytes));
  }

  /**
   * SQS's MD5 of message attributes: per attribute, in name order, the name, the data type, then 1 and the
   * UTF-8 string value or 2 and the binary value, each preceded by its length (4 bytes, big endian).
   */
  static String attributesMd5(JsonObject attributes) {
    MessageDigest digest = md5();
    for (String name : new TreeMap<>(attributes.getMap()).keySet()) {
      JsonObject value = attributes.getJsonObject(name);
      lengthPrefixed(digest, name.getBytes(StandardCharsets.UTF_8));
      lengthPrefixed(digest, value.getString("DataType").getBytes(StandardCharsets.UTF_8));
      if (value.containsKey("StringValue")) {
        digest.update((byte) 1);
        lengthPrefixed(digest, value.getString("StringValue").getBytes(StandardCharsets.UTF_8));
      } else {
        digest.update((byte) 2);
        lengthPrefixed(digest, Base64.getDecoder().decode(value.getString("BinaryValue")));
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void lengthPrefixed(MessageDigest digest, byte[] bytes) {
    digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
    digest.update(bytes);
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
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

  @Override
  public String toString() {
    return "SqsSender[" + endpoint + "]";
  }

  private static final class Retryable extends IllegalStateException {
    Retryable(String message) {
      super(message);
    }
  }
}
