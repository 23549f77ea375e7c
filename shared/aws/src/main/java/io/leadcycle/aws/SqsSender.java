package io.leadcycle.aws;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
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
  private static final AwsJsonCall.Service SQS = new AwsJsonCall.Service("sqs", "SQS", "application/x-amz-json-1.0");

  private final AwsJsonCall call;

  public SqsSender(URI endpoint, String region, Supplier<AwsCredentials> credentials, Clock clock) {
    // 100, 200, 400 ms between the attempts: a short back-off, of the order of the SDK's.
    this.call = new AwsJsonCall(SQS, endpoint, region, credentials, clock, ATTEMPTS, 100);
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
    JsonObject answer = call.call("AmazonSQS.SendMessage", message, "to SendMessage to " + message.getString("QueueUrl"));
    return sent(message, answer);
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

  @Override
  public String toString() {
    return "SqsSender[" + call.endpoint() + "]";
  }
}
