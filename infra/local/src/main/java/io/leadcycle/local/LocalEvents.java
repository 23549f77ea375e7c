package io.leadcycle.local;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * The events AWS would send, for the local server's timers, queues and buckets: written as the JSON
 * AWS sends (EventBridge, SQS, S3 notifications) and read with the runtime's serializer.
 */
final class LocalEvents {

  static final String REGION = "local";
  static final String ACCOUNT = "000000000000";

  private LocalEvents() {
  }

  /** What an EventBridge schedule rule sends when it fires. */
  static ScheduledEvent scheduled(String function, Instant at) {
    JsonObject json = new JsonObject()
        .put("version", "0")
        .put("id", UUID.randomUUID().toString())
        .put("detail-type", "Scheduled Event")
        .put("source", "aws.events")
        .put("account", ACCOUNT)
        .put("time", at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
        .put("region", REGION)
        .put("resources", new JsonArray().add("arn:aws:events:" + REGION + ":" + ACCOUNT + ":rule/" + function))
        .put("detail", new JsonObject());
    return LambdaJson.read(ScheduledEvent.class, json.encode());
  }

  static String queueArn(String queue) {
    return "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":" + queue;
  }

  /** One SQS record as Lambda's event source mapping delivers it. */
  static JsonObject sqsRecord(String queue, LocalQueue.Message message) {
    JsonObject record = sqsRecordOf(queue, message);
    if (message.group() != null) {
      record.getJsonObject("attributes").put("MessageGroupId", message.group()); // as Lambda's FIFO records carry it
    }
    return record;
  }

  private static JsonObject sqsRecordOf(String queue, LocalQueue.Message message) {
    JsonObject attributes = new JsonObject();
    message.attributes().forEach((name, value) -> attributes.put(name, new JsonObject()
        .put("stringValue", value).put("stringListValues", new JsonArray()).put("binaryListValues", new JsonArray())
        .put("dataType", "String")));
    return new JsonObject()
        .put("messageId", message.id())
        .put("receiptHandle", UUID.randomUUID().toString())
        .put("body", message.body())
        .put("attributes", new JsonObject()
            .put("ApproximateReceiveCount", Integer.toString(message.receiveCount()))
            .put("SentTimestamp", Long.toString(message.sentAt()))
            .put("SenderId", ACCOUNT)
            .put("ApproximateFirstReceiveTimestamp", Long.toString(message.firstReceivedAt())))
        .put("messageAttributes", attributes)
        .put("md5OfBody", md5(message.body()))
        .put("eventSource", "aws:sqs")
        .put("eventSourceARN", queueArn(queue))
        .put("awsRegion", REGION);
  }

  static SQSEvent sqs(List<JsonObject> records) {
    return LambdaJson.read(SQSEvent.class, new JsonObject().put("Records", new JsonArray(List.copyOf(records))).encode());
  }

  /** An S3 {@code ObjectCreated:Put} notification for {@code key} (URL-encoded in the event, as S3 does). */
  static S3Event objectCreated(String bucket, String key, long size, String eTag, Instant at) {
    JsonObject record = new JsonObject()
        .put("eventVersion", "2.1")
        .put("eventSource", "aws:s3")
        .put("awsRegion", REGION)
        .put("eventTime", at.toString())
        .put("eventName", "ObjectCreated:Put")
        .put("userIdentity", new JsonObject().put("principalId", "local"))
        .put("requestParameters", new JsonObject().put("sourceIPAddress", "127.0.0.1"))
        .put("responseElements", new JsonObject().put("x-amz-request-id", UUID.randomUUID().toString())
            .put("x-amz-id-2", UUID.randomUUID().toString()))
        .put("s3", new JsonObject()
            .put("s3SchemaVersion", "1.0")
            .put("configurationId", "local")
            .put("bucket", new JsonObject().put("name", bucket)
                .put("ownerIdentity", new JsonObject().put("principalId", "local"))
                .put("arn", "arn:aws:s3:::" + bucket))
            .put("object", new JsonObject().put("key", encodeKey(key)).put("size", size).put("eTag", eTag)
                .put("versionId", "").put("sequencer", Long.toHexString(System.nanoTime()).toUpperCase())));
    return LambdaJson.read(S3Event.class, new JsonObject().put("Records", new JsonArray().add(record)).encode());
  }

  /** S3 URL-encodes keys in notifications (a space becomes '+') but leaves the '/' between parts. */
  static String encodeKey(String key) {
    return java.util.Arrays.stream(key.split("/", -1))
        .map(part -> URLEncoder.encode(part, StandardCharsets.UTF_8))
        .collect(java.util.stream.Collectors.joining("/"));
  }

  static String md5(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
