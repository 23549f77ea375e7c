package io.leadcycle.aws;

import io.leadcycle.runtime.DeadLetters;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.sun.net.httpserver.HttpServer;
import io.leadcycle.testing.SqsChecksums;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Refused messages parked on the dead-letter queue through the real AWS SDK client, against a loopback
 * server that answers SendMessage the way SQS's AWS JSON 1.0 protocol does, MD5 checksums included (the
 * SDK checks the body's and the attributes' against what it sent, so the server computes them as SQS
 * does rather than the test switching the check off). The messages are deserialized from Lambda-shaped
 * SQS events by the Lambda runtime's own serializer.
 */
class SqsDeadLettersTest {

  private static final PojoSerializer<SQSEvent> EVENTS =
      LambdaEventSerializers.serializerFor(SQSEvent.class, SqsDeadLettersTest.class.getClassLoader());

  private static final String SOURCE_ARN = "arn:aws:sqs:eu-central-1:123456789012:leadcycle-conversions";
  private static final String BODY = "{\n  \"leadId\": \"0f8fad5b-d9cb-469f-a165-70867728950e\",\n  \"secret\": \"do-not-log\"\n}";

  private HttpServer sqs;
  private final List<String> targets = new CopyOnWriteArrayList<>();
  private final List<String> contentTypes = new CopyOnWriteArrayList<>();
  private final List<JsonObject> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger status = new AtomicInteger(200);
  private final List<SqsClient> clients = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    sqs = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    sqs.createContext("/", exchange -> {
      JsonObject request;
      try (InputStream body = exchange.getRequestBody()) {
        targets.add(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
        contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
        request = new JsonObject(new String(body.readAllBytes(), StandardCharsets.UTF_8));
        requests.add(request);
      }
      JsonObject answer;
      if (status.get() == 200) {
        answer = new JsonObject()
            .put("MD5OfMessageBody", SqsChecksums.md5Hex(request.getString("MessageBody").getBytes(StandardCharsets.UTF_8)))
            .put("MessageId", "5fea7756-0ea4-451a-a703-a558b933e274");
        JsonObject attributes = request.getJsonObject("MessageAttributes");
        if (attributes != null && !attributes.isEmpty()) {
          answer.put("MD5OfMessageAttributes", SqsChecksums.attributesMd5(attributes));
        }
        if (request.containsKey("MessageGroupId")) {
          answer.put("SequenceNumber", "18849496460467696128");
        }
      } else {
        answer = new JsonObject()
            .put("__type", "com.amazonaws.sqs#InternalError")
            .put("message", "We encountered an internal error. Please try again.");
        exchange.getResponseHeaders().add("x-amzn-query-error", "InternalError;Receiver");
      }
      byte[] bytes = answer.encode().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
      exchange.getResponseHeaders().add("x-amzn-RequestId", "c6c5c3a4-6a4e-5b8e-9d4c-7c9d1b0e1f2a");
      exchange.sendResponseHeaders(status.get(), bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    sqs.start();
  }

  @AfterEach
  void stop() {
    clients.forEach(SqsClient::close);
    sqs.stop(0);
  }

  @Test
  void theBodyAndAttributesArriveWithTheReasonOriginalIdAndSourceQueue() {
    SQSMessage message = message(record()
        .put("messageAttributes", new JsonObject()
            .put("traceparent", stringAttribute("String", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"))
            .put("attempt", stringAttribute("Number", "3"))
            .put("signature", binaryAttribute("Binary", new byte[] {0, 1, 2, (byte) 0xff}))
            .put("origin", stringAttribute("String.url", "https://example.com/forms/1"))));
    String queueUrl = "https://sqs.eu-central-1.amazonaws.com/123456789012/leadcycle-conversions-dlq";

    boolean parked = new SqsDeadLetters(client(sqsPort()), queueUrl).park(message, "unknown lead 0f8fad5b");

    assertThat(parked).isTrue();
    assertThat(targets).containsExactly("AmazonSQS.SendMessage");
    assertThat(contentTypes).containsExactly("application/x-amz-json-1.0");
    JsonObject sent = requests.get(0);
    assertThat(sent.getString("QueueUrl")).isEqualTo(queueUrl);
    assertThat(sent.getString("MessageBody")).isEqualTo(BODY);
    assertThat(sent.containsKey("MessageGroupId")).isFalse();
    assertThat(sent.containsKey("MessageDeduplicationId")).isFalse();
    JsonObject attributes = sent.getJsonObject("MessageAttributes");
    assertThat(attributes.fieldNames()).containsExactlyInAnyOrder(
        "leadcycle-refusal-reason", "leadcycle-original-message-id", "leadcycle-source-queue",
        "traceparent", "attempt", "signature", "origin");
    assertThat(attributes.getJsonObject("leadcycle-refusal-reason"))
        .isEqualTo(new JsonObject().put("DataType", "String").put("StringValue", "unknown lead 0f8fad5b"));
    assertThat(attributes.getJsonObject("leadcycle-original-message-id").getString("StringValue"))
        .isEqualTo("d9144555-9a4f-4ec3-99a0-fc4e625a8db2");
    assertThat(attributes.getJsonObject("leadcycle-source-queue").getString("StringValue")).isEqualTo(SOURCE_ARN);
    assertThat(attributes.getJsonObject("traceparent")).isEqualTo(new JsonObject()
        .put("DataType", "String").put("StringValue", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
    assertThat(attributes.getJsonObject("attempt"))
        .isEqualTo(new JsonObject().put("DataType", "Number").put("StringValue", "3"));
    assertThat(attributes.getJsonObject("origin"))
        .isEqualTo(new JsonObject().put("DataType", "String.url").put("StringValue", "https://example.com/forms/1"));
    assertThat(attributes.getJsonObject("signature").getString("DataType")).isEqualTo("Binary");
    assertThat(Base64.getDecoder().decode(attributes.getJsonObject("signature").getString("BinaryValue")))
        .containsExactly(0, 1, 2, 0xff);
  }

  @Test
  void aFifoQueueGetsTheOriginalsMessageGroupAndItsIdForDeduplication() {
    SQSMessage grouped = message(record()
        .put("eventSourceARN", SOURCE_ARN + ".fifo")
        .put("attributes", fifoAttributes().put("MessageGroupId", "lead-0f8fad5b")));
    SQSMessage ungrouped = message(record()
        .put("messageId", "059f36b4-87a3-44ab-83d2-661975830a7d")
        .put("eventSourceARN", SOURCE_ARN + ".fifo"));
    String queueUrl = "https://sqs.eu-central-1.amazonaws.com/123456789012/leadcycle-conversions-dlq.fifo";
    DeadLetters deadLetters = new SqsDeadLetters(client(sqsPort()), queueUrl);

    assertThat(deadLetters.park(grouped, "malformed")).isTrue();
    assertThat(deadLetters.park(ungrouped, "malformed")).isTrue();

    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).getString("QueueUrl")).isEqualTo(queueUrl);
    assertThat(requests.get(0).getString("MessageGroupId")).isEqualTo("lead-0f8fad5b");
    assertThat(requests.get(0).getString("MessageDeduplicationId")).isEqualTo("d9144555-9a4f-4ec3-99a0-fc4e625a8db2");
    assertThat(requests.get(1).getString("MessageGroupId")).isEqualTo("leadcycle-dead-letters");
    assertThat(requests.get(1).getString("MessageDeduplicationId")).isEqualTo("059f36b4-87a3-44ab-83d2-661975830a7d");
  }

  @Test
  void atMostTenAttributesOursFirstAndALongReasonIsCut() {
    JsonObject originals = new JsonObject();
    for (int i = 0; i < 10; i++) {
      originals.put("original-" + i, stringAttribute("String", "value " + i));
    }
    // One that would otherwise replace ours (a message that was re-driven and refused again).
    originals.put("leadcycle-refusal-reason", stringAttribute("String", "an earlier refusal"));
    SQSMessage message = message(record().put("messageAttributes", originals));

    boolean parked = new SqsDeadLetters(client(sqsPort()), "https://sqs.eu-central-1.amazonaws.com/123456789012/dlq")
        .park(message, "x".repeat(5000) + "\u0000");

    assertThat(parked).isTrue();
    JsonObject attributes = requests.get(0).getJsonObject("MessageAttributes");
    assertThat(attributes.fieldNames()).hasSize(10).contains(
        "leadcycle-refusal-reason", "leadcycle-original-message-id", "leadcycle-source-queue",
        "original-0", "original-6").doesNotContain("original-7", "original-8", "original-9");
    assertThat(attributes.getJsonObject("leadcycle-refusal-reason").getString("StringValue")).isEqualTo("x".repeat(1000));
  }

  @Test
  void aServerErrorMakesParkFalseAndIsLoggedWithoutTheBody() {
    status.set(500);
    SQSMessage message = message(record());

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    boolean parked;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      parked = new SqsDeadLetters(client(sqsPort()), "https://sqs.eu-central-1.amazonaws.com/123456789012/dlq")
          .park(message, "unknown lead");
    } finally {
      System.setOut(original);
    }

    assertThat(parked).isFalse();
    assertThat(requests).hasSize(1);
    String log = out.toString(StandardCharsets.UTF_8);
    assertThat(log.lines()).hasSize(1);
    JsonObject line = new JsonObject(log.strip());
    assertThat(line.getString("level")).isEqualTo("ERROR");
    assertThat(line.getString("message")).contains("d9144555-9a4f-4ec3-99a0-fc4e625a8db2");
    assertThat(line.getString("error")).contains("SqsException");
    assertThat(log).doesNotContain("do-not-log").doesNotContain("0f8fad5b-d9cb");
  }

  @Test
  void anUnreachableQueueMakesParkFalse() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }

    boolean parked = new SqsDeadLetters(client(closedPort), "https://sqs.eu-central-1.amazonaws.com/123456789012/dlq")
        .park(message(record()), "unknown lead");

    assertThat(parked).isFalse();
  }

  @Test
  void withoutADeadLetterQueueUrlThereIsNone() {
    assertThat(SqsDeadLetters.fromEnvironment(Map.of())).isSameAs(DeadLetters.NONE);
    assertThat(SqsDeadLetters.fromEnvironment(Map.of("DEAD_LETTER_QUEUE_URL", " "))).isSameAs(DeadLetters.NONE);
    // With one, nothing is built (no region or credentials needed) until a message is parked.
    assertThat(SqsDeadLetters.fromEnvironment(Map.of(
        "DEAD_LETTER_QUEUE_URL", "https://sqs.eu-central-1.amazonaws.com/123456789012/dlq")))
        .isInstanceOf(SqsDeadLetters.class);
  }

  private SqsClient client(int port) {
    SqsClient client = SqsClient.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + port))
        .region(Region.EU_CENTRAL_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        // One attempt: the failure cases are about what park does, not about the SDK's back-off.
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
    clients.add(client);
    return client;
  }

  private int sqsPort() {
    return sqs.getAddress().getPort();
  }

  /** One record shaped like the SQS event Lambda delivers (see the AWS sample sqs_event.json). */
  private static JsonObject record() {
    return new JsonObject()
        .put("messageId", "d9144555-9a4f-4ec3-99a0-fc4e625a8db2")
        .put("receiptHandle", "7kam5bfzbDsjtcjElvhSbxeLJbeey3A==")
        .put("body", BODY)
        .put("attributes", new JsonObject()
            .put("ApproximateReceiveCount", "1")
            .put("SentTimestamp", "1601975709495")
            .put("SenderId", "AROAIFU457DVZ5L2J53F2")
            .put("ApproximateFirstReceiveTimestamp", "1601975709499"))
        .put("messageAttributes", new JsonObject())
        .put("md5OfBody", SqsChecksums.md5Hex(BODY.getBytes(StandardCharsets.UTF_8)))
        .put("eventSource", "aws:sqs")
        .put("eventSourceARN", SOURCE_ARN)
        .put("awsRegion", "eu-central-1");
  }

  private static JsonObject fifoAttributes() {
    return new JsonObject()
        .put("ApproximateReceiveCount", "1")
        .put("SentTimestamp", "1601975709495")
        .put("SequenceNumber", "18849496460467696128")
        .put("MessageDeduplicationId", "1")
        .put("SenderId", "AROAIFU457DVZ5L2J53F2")
        .put("ApproximateFirstReceiveTimestamp", "1601975709499");
  }

  private static JsonObject stringAttribute(String dataType, String value) {
    return new JsonObject().put("stringValue", value).put("stringListValues", new JsonArray())
        .put("binaryListValues", new JsonArray()).put("dataType", dataType);
  }

  private static JsonObject binaryAttribute(String dataType, byte[] value) {
    return new JsonObject().put("binaryValue", Base64.getEncoder().encodeToString(value))
        .put("stringListValues", new JsonArray()).put("binaryListValues", new JsonArray()).put("dataType", dataType);
  }

  private static SQSMessage message(JsonObject record) {
    SQSEvent event = EVENTS.fromJson(new JsonObject().put("Records", new JsonArray().add(record)).encode());
    return event.getRecords().get(0);
  }
}
