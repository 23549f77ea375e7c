package io.leadcycle.aws;

import io.leadcycle.runtime.Nudge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.sun.net.httpserver.HttpServer;
import io.leadcycle.testing.SqsChecksums;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
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
 * Nudges sent through the real AWS SDK client to a loopback HTTP server that answers SendMessage the
 * way SQS's AWS JSON 1.0 protocol does (the SDK checks the body's MD5).
 */
class SqsNudgeTest {

  private static final String FIFO_URL = "https://sqs.eu-central-1.amazonaws.com/123456789012/leadcycle-notification-nudge.fifo";
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-01T12:00:07.900Z"), ZoneOffset.UTC);

  private HttpServer sqs;
  private SqsClient client;
  private final List<String> targets = new CopyOnWriteArrayList<>();
  private final List<JsonObject> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger status = new AtomicInteger(200);

  @BeforeEach
  void start() throws IOException {
    sqs = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    sqs.createContext("/", exchange -> {
      JsonObject request;
      try (InputStream body = exchange.getRequestBody()) {
        targets.add(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
        request = new JsonObject(new String(body.readAllBytes(), StandardCharsets.UTF_8));
        requests.add(request);
      }
      JsonObject answer = status.get() == 200
          ? new JsonObject().put("MessageId", "1").put("SequenceNumber", "18849496460467696128")
              .put("MD5OfMessageBody", SqsChecksums.md5Hex(request.getString("MessageBody")))
          : new JsonObject().put("__type", "com.amazonaws.sqs#InternalError").put("message", "internal error");
      byte[] bytes = answer.encode().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
      exchange.sendResponseHeaders(status.get(), bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    sqs.start();
    client = SqsClient.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + sqs.getAddress().getPort()))
        .region(Region.EU_CENTRAL_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  @AfterEach
  void stop() {
    client.close();
    sqs.stop(0);
  }

  @Test
  void aNudgeToTheFifoQueueCarriesTheFixedGroupAndTheEpochSecondAsDeduplicationId() {
    new SqsNudge(client, FIFO_URL, CLOCK).send("lead-process");

    assertThat(targets).containsExactly("AmazonSQS.SendMessage");
    JsonObject sent = requests.get(0);
    assertThat(sent.getString("QueueUrl")).isEqualTo(FIFO_URL);
    assertThat(new JsonObject(sent.getString("MessageBody"))).isEqualTo(new JsonObject().put("reason", "lead-process"));
    assertThat(sent.getString("MessageGroupId")).isEqualTo(SqsNudge.MESSAGE_GROUP);
    assertThat(sent.getString("MessageDeduplicationId"))
        .isEqualTo(Long.toString(Instant.parse("2024-05-01T12:00:07Z").getEpochSecond()));
  }

  @Test
  void aStandardQueueGetsNeitherGroupNorDeduplicationId() {
    String url = "https://sqs.eu-central-1.amazonaws.com/123456789012/nudges";
    new SqsNudge(client, url, CLOCK).send(null);

    JsonObject sent = requests.get(0);
    assertThat(sent.getString("MessageBody")).isEqualTo("{\"reason\":\"outbox\"}");
    assertThat(sent.containsKey("MessageGroupId")).isFalse();
    assertThat(sent.containsKey("MessageDeduplicationId")).isFalse();
  }

  @Test
  void aFailedSendIsSwallowed() {
    status.set(500);
    assertThatCode(() -> new SqsNudge(client, FIFO_URL, CLOCK).send("score-recalculation")).doesNotThrowAnyException();
    assertThat(requests).hasSize(1);
  }

  @Test
  void withoutTheVariableNothingIsSent() {
    assertThat(SqsNudge.fromEnvironment(Map.of())).isSameAs(Nudge.NONE);
    assertThat(SqsNudge.fromEnvironment(Map.of(Nudge.QUEUE_URL_VARIABLE, " "))).isSameAs(Nudge.NONE);
    assertThat(SqsNudge.fromEnvironment(Map.of(Nudge.QUEUE_URL_VARIABLE, FIFO_URL))).isInstanceOf(SqsNudge.class);
  }
}
