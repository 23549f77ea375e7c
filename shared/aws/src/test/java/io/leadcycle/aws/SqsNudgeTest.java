package io.leadcycle.aws;

import io.leadcycle.runtime.Nudge;
import io.leadcycle.runtime.RescoringGroups;

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
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Nudges sent through our SQS sender to a loopback HTTP server that answers SendMessage the way SQS's
 * AWS JSON 1.0 protocol does (the sender checks the body's MD5, as the SDK does).
 */
class SqsNudgeTest {

  private static final String FIFO_URL = "https://sqs.eu-central-1.amazonaws.com/123456789012/leadcycle-notification-nudge.fifo";
  private static final String SCORING_URL = "https://sqs.eu-central-1.amazonaws.com/123456789012/leadcycle-scoring-nudge.fifo";
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-01T12:00:07.900Z"), ZoneOffset.UTC);

  private HttpServer sqs;
  private SqsSender client;
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
    client = new SqsSender(URI.create("http://127.0.0.1:" + sqs.getAddress().getPort()), "eu-central-1",
        () -> new AwsCredentials("AKIDEXAMPLE", "secret", null), Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    sqs.stop(0);
  }

  @Test
  void aNudgeToTheFifoQueueCarriesTheFixedGroupAndTheEpochSecondAsDeduplicationId() {
    new SqsNudge(Nudge.Target.NOTIFICATION, client, FIFO_URL, CLOCK).send("lead-process");

    assertThat(targets).containsExactly("AmazonSQS.SendMessage");
    JsonObject sent = requests.get(0);
    assertThat(sent.getString("QueueUrl")).isEqualTo(FIFO_URL);
    assertThat(new JsonObject(sent.getString("MessageBody")))
        .isEqualTo(new JsonObject().put("reason", "lead-process").put("slotEnds", "2024-05-01T12:00:08Z"));
    assertThat(sent.getString("MessageGroupId")).isEqualTo("leadcycle-notification-nudge");
    assertThat(sent.getString("MessageDeduplicationId"))
        .isEqualTo(Long.toString(Instant.parse("2024-05-01T12:00:07Z").getEpochSecond()));
  }

  @Test
  void aScoringNudgeGoesToTheScoringQueueWithItsOwnGroupAndTheSameSlot() {
    new SqsNudge(Nudge.Target.SCORING, client, SCORING_URL, CLOCK).send("form-intake");

    assertThat(targets).containsExactly("AmazonSQS.SendMessage");
    JsonObject sent = requests.get(0);
    assertThat(sent.fieldNames()).containsExactlyInAnyOrder("QueueUrl", "MessageBody", "MessageGroupId",
        "MessageDeduplicationId");
    assertThat(sent.getString("QueueUrl")).isEqualTo(SCORING_URL);
    assertThat(new JsonObject(sent.getString("MessageBody")))
        .isEqualTo(new JsonObject().put("reason", "form-intake").put("slotEnds", "2024-05-01T12:00:08Z"));
    assertThat(sent.getString("MessageGroupId")).isEqualTo("leadcycle-scoring-nudge");
    assertThat(sent.getString("MessageDeduplicationId")).isEqualTo("1714564807");
    assertThat(Nudge.slotEnds(sent.getString("MessageBody"))).isEqualTo(Instant.parse("2024-05-01T12:00:08Z"));
  }

  @Test
  void aFullRescoringNudgesEachOfItsGroupsOncePerSecondWithAnIdPerGroupAndSecond() {
    SqsNudge nudge = new SqsNudge(Nudge.Target.SCORING, client, SCORING_URL, CLOCK);

    new RescoringGroups(2).nudgeEach(nudge, "scoring: model published");
    nudge.send("form-intake"); // a writer's nudge of the same second: its own group, its own id
    nudge.send("score-recalculation: work left", "rescoring-2"); // group 2's continuation, folded into its second
    new RescoringGroups(2).nudgeEach(nudge, "score-recalculation: rescoring split into parts"); // all folded

    assertThat(requests).extracting(r -> r.getString("MessageGroupId"))
        .containsExactly("rescoring-1", "rescoring-2", "leadcycle-scoring-nudge");
    // SQS deduplicates across the whole queue: one id per group and second, so none drops another group's.
    assertThat(requests).extracting(r -> r.getString("MessageDeduplicationId"))
        .containsExactly("rescoring-1:1714564807", "rescoring-2:1714564807", "1714564807");
    assertThat(requests).extracting(r -> new JsonObject(r.getString("MessageBody")).getString("slotEnds"))
        .containsOnly("2024-05-01T12:00:08Z");
  }

  @Test
  void aSecondNudgeInTheSameSecondIsNotSentButOneInTheNextSecondIs() {
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2024-05-01T12:00:07.100Z"));
    Clock clock = new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now.get();
      }
    };
    SqsNudge nudge = new SqsNudge(Nudge.Target.SCORING, client, SCORING_URL, clock);

    nudge.send("form-intake");
    now.set(Instant.parse("2024-05-01T12:00:07.900Z"));
    nudge.send("form-intake"); // SQS would drop it: same deduplication id
    now.set(Instant.parse("2024-05-01T12:00:08.000Z"));
    nudge.send("interactions");

    assertThat(requests).extracting(r -> r.getString("MessageDeduplicationId")).containsExactly("1714564807", "1714564808");
  }

  @Test
  void aFailedSendIsTriedAgainByTheNextNudgeOfTheSameSecond() {
    status.set(500);
    SqsNudge nudge = new SqsNudge(Nudge.Target.SCORING, client, SCORING_URL, CLOCK);
    nudge.send("form-intake");
    status.set(200);
    nudge.send("form-intake");

    assertThat(requests).hasSize(5); // four tries of the failed one, then the one that went through
  }

  @Test
  void aStandardQueueGetsNeitherGroupNorDeduplicationId() {
    String url = "https://sqs.eu-central-1.amazonaws.com/123456789012/nudges";
    new SqsNudge(Nudge.Target.NOTIFICATION, client, url, CLOCK).send(null);

    JsonObject sent = requests.get(0);
    assertThat(new JsonObject(sent.getString("MessageBody")).getString("reason")).isEqualTo("unnamed");
    assertThat(sent.containsKey("MessageGroupId")).isFalse();
    assertThat(sent.containsKey("MessageDeduplicationId")).isFalse();
  }

  @Test
  void aFailedSendIsSwallowed() {
    status.set(500);
    assertThatCode(() -> new SqsNudge(Nudge.Target.NOTIFICATION, client, FIFO_URL, CLOCK).send("score-recalculation"))
        .doesNotThrowAnyException();
    // Tried again as the SDK would, then given up on: the schedule delivers instead.
    assertThat(requests).hasSize(4);
  }

  @Test
  void withoutTheVariableNothingIsSent() {
    for (Nudge.Target target : Nudge.Target.values()) {
      String variable = target.queueUrlVariable();
      assertThat(SqsNudge.fromEnvironment(target, Map.of())).isSameAs(Nudge.NONE);
      assertThat(SqsNudge.fromEnvironment(target, Map.of(variable, " "))).isSameAs(Nudge.NONE);
      assertThat(SqsNudge.fromEnvironment(target, Map.of(variable, FIFO_URL))).isInstanceOf(SqsNudge.class);
    }
    // Each target reads its own variable only.
    assertThat(SqsNudge.fromEnvironment(Nudge.Target.SCORING, Map.of("NOTIFICATION_NUDGE_QUEUE_URL", FIFO_URL)))
        .isSameAs(Nudge.NONE);
    assertThat(Nudge.Target.SCORING.queueUrlVariable()).isEqualTo("SCORING_NUDGE_QUEUE_URL");
  }
}
