package io.leadcycle.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.leadcycle.testing.LambdaEvents;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The functions read their events themselves (they are stream handlers): each event must come out as
 * AWS's Java runtime would have made it with its own serializer ({@code aws-lambda-java-serialization}),
 * and each answer must be the JSON that serializer would write. Compared through that serializer: both
 * objects written back to JSON must be equal.
 */
class LambdaEventJsonTest {

  @Test
  void httpApiEventsAreReadAsTheRuntimeReadsThem() {
    sameAsTheRuntime(APIGatewayV2HTTPEvent.class, LambdaEvents.resource("events/http-api-request.json"),
        LambdaEventJson::httpEvent);
    // Everything payload 2.0 may carry: cookies, query and stage variables, a JWT, IAM and Lambda authorizer,
    // a base64 body.
    JsonObject full = new JsonObject(LambdaEvents.resource("events/http-api-request.json"))
        .put("cookies", new JsonArray().add("session=abc").add("theme=dark"))
        .put("rawQueryString", "page=2&tag=a&tag=b")
        .put("queryStringParameters", new JsonObject().put("page", "2").put("tag", "a,b"))
        .put("stageVariables", new JsonObject().put("stage", "live"))
        .put("body", "ZW1haWw9YWRhJTQwZXhhbXBsZS5jb20=")
        .put("isBase64Encoded", true);
    full.getJsonObject("requestContext").put("authorizer", new JsonObject()
        .put("jwt", new JsonObject()
            .put("claims", new JsonObject().put("sub", "3f1c9a52").put("scope", "openid email").put("exp", "1796554800"))
            .put("scopes", new JsonArray().add("openid").add("email")))
        .put("iam", new JsonObject().put("accessKey", "ASIAEXAMPLE").put("accountId", "123456789012")
            .put("callerId", "AROAEXAMPLE:grace").put("principalOrgId", "o-abc").put("userArn",
                "arn:aws:sts::123456789012:assumed-role/r/grace").put("userId", "AROAEXAMPLE:grace"))
        .put("lambda", new JsonObject().put("tenant", "acme").put("level", 3)));
    sameAsTheRuntime(APIGatewayV2HTTPEvent.class, full.encode(), LambdaEventJson::httpEvent);
  }

  @Test
  void scheduledEventsAreReadAsTheRuntimeReadsThem() {
    sameAsTheRuntime(ScheduledEvent.class, LambdaEvents.resource("events/scheduled-event.json"),
        LambdaEventJson::scheduledEvent);
    sameAsTheRuntime(ScheduledEvent.class, new JsonObject(LambdaEvents.resource("events/scheduled-event.json"))
        .put("detail", new JsonObject().put("reason", "test").put("count", 2).put("nested", new JsonObject().put("a", true)))
        .put("time", "2026-12-06T10:00:00.123+01:00").encode(), LambdaEventJson::scheduledEvent);
  }

  @Test
  void sqsBatchesAreReadAsTheRuntimeReadsThem() {
    sameAsTheRuntime(SQSEvent.class, LambdaEvents.resource("events/sqs-event.json"), LambdaEventJson::sqsEvent);
    JsonObject fifo = new JsonObject(LambdaEvents.resource("events/sqs-event.json"));
    JsonObject record = fifo.getJsonArray("Records").getJsonObject(0);
    record.put("eventSourceARN", "arn:aws:sqs:eu-central-1:123456789012:NotificationNudgeQueue.fifo")
        .put("md5OfMessageAttributes", "d25a6aea97eb8f585bfa92d314504a92");
    record.getJsonObject("attributes").put("MessageGroupId", "nudge").put("SequenceNumber", "18849496460467696128")
        .put("MessageDeduplicationId", "1796554800");
    record.put("messageAttributes", new JsonObject()
        .put("traceparent", new JsonObject().put("stringValue", "00-0af7651916cd43dd8448eb211c80319c-01")
            .put("stringListValues", new JsonArray()).put("binaryListValues", new JsonArray()).put("dataType", "String"))
        .put("signature", new JsonObject().put("binaryValue", "AAEC/w==").put("stringListValues", new JsonArray())
            .put("binaryListValues", new JsonArray()).put("dataType", "Binary")));
    fifo.getJsonArray("Records").add(record.copy().put("messageId", "second").put("body", "{\"journeyId\": \"j\"}"));
    sameAsTheRuntime(SQSEvent.class, fifo.encode(), LambdaEventJson::sqsEvent);
  }

  @Test
  void s3NotificationsAreReadAsTheRuntimeReadsThem() {
    sameAsTheRuntime(S3Event.class, LambdaEvents.resource("events/s3-event.json"), LambdaEventJson::s3Event);
    JsonObject spaced = new JsonObject(LambdaEvents.resource("events/s3-event.json"));
    spaced.getJsonArray("Records").getJsonObject(0).getJsonObject("s3").getJsonObject("object")
        .put("key", "imports/0f8fad5b-d9cb-469f-a165-70867728950e/Kontakte+M%C3%A4rz.csv").put("versionId", "v7")
        .put("size", 5_000_000_000L);
    S3Event read = sameAsTheRuntime(S3Event.class, spaced.encode(), LambdaEventJson::s3Event);
    assertThat(read.getRecords().get(0).getS3().getObject().getUrlDecodedKey())
        .isEqualTo("imports/0f8fad5b-d9cb-469f-a165-70867728950e/Kontakte März.csv");
  }

  @Test
  void httpAnswersAreWrittenAsTheRuntimeWritesThem() {
    APIGatewayV2HTTPResponse response = APIGatewayV2HTTPResponse.builder().withStatusCode(201)
        .withHeaders(Map.of("content-type", "application/json", "x-request-id", "r-1"))
        .withMultiValueHeaders(Map.of("vary", List.of("origin", "accept")))
        .withCookies(List.of("a=b; Secure"))
        .withBody("{\"id\":\"1\"}").withIsBase64Encoded(false).build();
    assertThat(LambdaEventJson.httpResponse(response)).isEqualTo(theRuntimesJson(response));
    APIGatewayV2HTTPResponse bare = APIGatewayV2HTTPResponse.builder().withStatusCode(304).withIsBase64Encoded(true).build();
    assertThat(LambdaEventJson.httpResponse(bare)).isEqualTo(theRuntimesJson(bare));
  }

  @Test
  void batchResponsesAreWrittenAsTheRuntimeWritesThem() {
    SQSBatchResponse two = new SQSBatchResponse(List.of(new SQSBatchResponse.BatchItemFailure("m-1"),
        new SQSBatchResponse.BatchItemFailure("m-2")));
    assertThat(LambdaEventJson.batchResponse(two)).isEqualTo(theRuntimesJson(two));
    SQSBatchResponse none = new SQSBatchResponse(List.of());
    assertThat(LambdaEventJson.batchResponse(none)).isEqualTo(theRuntimesJson(none));
  }

  /** Reads {@code json} both ways and compares the two objects as the runtime's serializer writes them. */
  private static <T> T sameAsTheRuntime(Class<T> type, String json, Function<JsonObject, T> ours) {
    PojoSerializer<T> runtime = LambdaEventSerializers.serializerFor(type, getClassLoader());
    T theirs = runtime.fromJson(json);
    T mine = ours.apply(new JsonObject(json));
    assertThat(written(runtime, mine)).isEqualTo(written(runtime, theirs));
    return mine;
  }

  /** What the runtime's serializer writes for {@code value}, without members it writes as null. */
  @SuppressWarnings("unchecked")
  private static <T> JsonObject theRuntimesJson(T value) {
    return written(LambdaEventSerializers.serializerFor((Class<T>) value.getClass(), getClassLoader()), value);
  }

  private static <T> JsonObject written(PojoSerializer<T> serializer, T value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    serializer.toJson(value, out);
    return withoutNulls(new JsonObject(out.toString(StandardCharsets.UTF_8)));
  }

  private static JsonObject withoutNulls(JsonObject json) {
    JsonObject copy = new JsonObject();
    json.forEach(entry -> {
      Object value = entry.getValue();
      if (value instanceof JsonObject object) {
        copy.put(entry.getKey(), withoutNulls(object));
      } else if (value instanceof JsonArray array) {
        JsonArray items = new JsonArray();
        array.forEach(item -> items.add(item instanceof JsonObject object ? withoutNulls(object) : item));
        copy.put(entry.getKey(), items);
      } else if (value != null) {
        copy.put(entry.getKey(), value);
      }
    });
    return copy;
  }

  private static ClassLoader getClassLoader() {
    return LambdaEventJsonTest.class.getClassLoader();
  }
}
