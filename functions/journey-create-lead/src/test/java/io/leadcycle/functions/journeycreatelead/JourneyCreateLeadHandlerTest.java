package io.leadcycle.functions.journeycreatelead;

import io.leadcycle.testing.HandlerCalls;

import static io.leadcycle.testing.HandlerCalls.count;
import static io.leadcycle.testing.HandlerCalls.row;
import static io.leadcycle.testing.HandlerCalls.rows;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.leadcycle.domain.Unavailable;
import io.leadcycle.runtime.DeadLetters;
import io.leadcycle.rescoring.RecalculationService;
import io.leadcycle.postgres.Database;
import io.leadcycle.testing.InvocationLog;
import io.leadcycle.testing.LambdaEvents;
import io.leadcycle.testing.ScoringFixtures;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The journey create-lead tile, from real-shaped SQS events (the recorded {@code events/sqs-event.json},
 * from ../shared/samples/aws/sqs_event.json, with tile events as bodies and their MD5s) to the leads, timelines, outbox rows and rescoring marks in PostgreSQL.
 */
class JourneyCreateLeadHandlerTest {

  private static final Instant NOW = Instant.parse("2026-11-27T09:00:00Z");
  private static final String QUEUE_ARN = "arn:aws:sqs:eu-central-1:123456789012:leadcycle-journey-tiles";

  /** Refused messages by id, with the reason the function gave. */
  private final Map<String, String> parked = new ConcurrentHashMap<>();
  private final DeadLetters deadLetters = (message, reason) -> {
    parked.put(message.getMessageId(), reason);
    return true;
  };
  private final JourneyCreateLeadHandler handler =
      new JourneyCreateLeadHandler(TestDatabase::database, deadLetters, Clock.fixed(NOW, ZoneOffset.UTC));

  private UUID account;
  private UUID ada;
  private UUID grace;
  private UUID loner;

  @BeforeEach
  void reset() {
    TestDatabase.reset();
    account = ScoringFixtures.account("Initech", "software", 250);
    ada = ScoringFixtures.contact("ada@initech.example", "CTO", account);
    grace = ScoringFixtures.contact("grace@initech.example", "Engineer", account);
    loner = ScoringFixtures.contact("lin@example.org", null, null);
  }

  static JsonObject tileEvent(UUID contactId, String createFor) {
    return new JsonObject()
        .put("journeyId", "onboarding-2026")
        .put("tileId", "tile-7")
        .put("contactId", contactId.toString())
        .put("createFor", createFor)
        .put("lead", new JsonObject().put("topic", "Onboarding webinar follow-up")
            .put("context", new JsonObject().put("segment", "trial users").put("wave", 2)))
        .put("occurredAt", "2026-11-27T08:59:30Z");
  }

  /** The recorded SQS event with one record per body, each with its own message id. */
  static SQSEvent batch(List<String> bodies, List<String> messageIds) {
    JsonObject event = new JsonObject(LambdaEvents.resource("events/sqs-event.json"));
    JsonObject recorded = event.getJsonArray("Records").getJsonObject(0);
    JsonArray records = new JsonArray();
    for (int i = 0; i < bodies.size(); i++) {
      records.add(recorded.copy().put("messageId", messageIds.get(i)).put("body", bodies.get(i))
          .put("md5OfBody", md5(bodies.get(i))).put("eventSourceARN", QUEUE_ARN));
    }
    return LambdaEvents.read(SQSEvent.class, event.put("Records", records).encode());
  }

  static String md5(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private SQSBatchResponse deliver(Object... bodies) {
    List<String> texts = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < bodies.length; i++) {
      texts.add(bodies[i] instanceof JsonObject json ? json.encode() : (String) bodies[i]);
      ids.add("message-" + i);
    }
    return handler.handleRequest(batch(texts, ids), null);
  }

  private static List<String> failed(SQSBatchResponse response) {
    return response.getBatchItemFailures().stream().map(BatchItemFailure::getItemIdentifier).toList();
  }

  @Test
  void aCreatedLeadNudgesScoreRecalculationOnceCommittedAndAReplayDoesNot() {
    List<String> nudges = new java.util.concurrent.CopyOnWriteArrayList<>();
    JourneyCreateLeadHandler nudging = new JourneyCreateLeadHandler(TestDatabase::database, deadLetters,
        Clock.fixed(NOW, ZoneOffset.UTC), reason -> nudges.add(reason + " with "
            + count("SELECT count(*) FROM contacts_to_rescore") + " committed mark(s)"));
    TestDatabase.database().pool().query("DELETE FROM contacts_to_rescore").execute().await();

    nudging.handleRequest(batch(List.of(tileEvent(ada, "contact").encode()), List.of("message-0")), null);
    assertThat(nudges).containsExactly("journey-tile with 1 committed mark(s)");

    nudges.clear();
    nudging.handleRequest(batch(List.of(tileEvent(ada, "contact").encode()), List.of("message-1")), null);
    assertThat(nudges).as("the tile's lead exists: nothing marked").isEmpty();
  }

  @Test
  void aContactPassingTheTileGetsOneLeadInInquiryWithTheJourneyAsItsContext() {
    SQSBatchResponse response = deliver(tileEvent(ada, "contact"));

    assertThat(failed(response)).isEmpty();
    assertThat(parked).isEmpty();
    Row lead = row("SELECT * FROM leads");
    assertThat(lead.getUUID("contact_id")).isEqualTo(ada);
    assertThat(lead.getUUID("account_id")).isEqualTo(account); // every new lead takes its contact's account
    assertThat(lead.getString("stage")).isEqualTo("inquiry");
    assertThat(lead.getString("topic")).isEqualTo("Onboarding webinar follow-up");
    assertThat(lead.getString("context_kind")).isEqualTo("journey");
    assertThat(lead.getString("context_id")).isEqualTo("onboarding-2026");
    assertThat(lead.getString("context_name")).isEqualTo("Onboarding webinar follow-up");
    assertThat(lead.getString("context_tile_id")).isEqualTo("tile-7");
    assertThat(lead.getJsonObject("context_details"))
        .isEqualTo(new JsonObject().put("segment", "trial users").put("wave", 2));

    Row timeline = row("SELECT * FROM lead_timeline WHERE lead_id = $1", lead.getUUID("id"));
    assertThat(timeline.getString("to_value")).isEqualTo("inquiry");
    assertThat(timeline.getString("actor")).isEqualTo("journey");
    assertThat(timeline.getString("reason")).isEqualTo("passed tile tile-7 of journey onboarding-2026");

    Row event = row("SELECT * FROM outbox WHERE lead_id = $1", lead.getUUID("id"));
    assertThat(event.getString("type")).isEqualTo("lead.created");
    JsonObject payload = event.getJsonObject("payload");
    assertThat(payload.getJsonObject("lead").getJsonObject("context")).isEqualTo(new JsonObject()
        .put("kind", "journey").put("id", "onboarding-2026").put("name", "Onboarding webinar follow-up")
        .put("tileId", "tile-7").put("details", new JsonObject().put("segment", "trial users").put("wave", 2)));
    assertThat(payload.getJsonObject("lead").getString("createdAt"))
        .isEqualTo(lead.getOffsetDateTime("created_at").toInstant().toString());
    assertThat(payload.getString("actor")).isEqualTo("journey");

    assertThat(count("SELECT count(*) FROM contacts_to_rescore WHERE contact_id = '" + ada + "'")).isEqualTo(1);
    assertThat(row("SELECT occurred_at FROM journey_tile_leads").getOffsetDateTime("occurred_at").toInstant())
        .isEqualTo(Instant.parse("2026-11-27T08:59:30Z"));
  }

  @Test
  void aReplayCreatesNothing() {
    deliver(tileEvent(ada, "contact"));
    UUID lead = row("SELECT id FROM leads").getUUID("id");

    SQSBatchResponse again = deliver(tileEvent(ada, "contact"), tileEvent(ada, "contact"));

    assertThat(failed(again)).isEmpty();
    assertThat(parked).isEmpty();
    assertThat(count("SELECT count(*) FROM leads")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM outbox")).isEqualTo(1);
    assertThat(row("SELECT lead_id FROM journey_tile_leads").getUUID("lead_id")).isEqualTo(lead);
    // Another tile, or another journey, is another lead.
    deliver(tileEvent(ada, "contact").put("tileId", "tile-8"), tileEvent(ada, "contact").put("journeyId", "renewal"));
    assertThat(count("SELECT count(*) FROM leads")).isEqualTo(3);
  }

  @Test
  void aBatchCountsTheLeadsItCreatedAndTheMessagesItParked() {
    deliver(tileEvent(ada, "contact"));

    InvocationLog.Captured<SQSBatchResponse> batch = InvocationLog.capture(() -> deliver(
        tileEvent(grace, "contact"), tileEvent(ada, "contact"), "{not json", tileEvent(loner, "contact")));

    assertThat(failed(batch.result())).isEmpty();
    // Ada's tile was seen before: no lead, nothing to count.
    assertThat(batch.metrics()).containsExactlyInAnyOrderEntriesOf(Map.of("LeadsCreated", 2L, "QueueMessagesParked", 1L));
  }

  @Test
  void inAccountModeTwoContactsOfOneAccountMakeOneAccountLeadAndMarkEveryContactOfTheAccount() {
    SQSBatchResponse response = deliver(tileEvent(ada, "account"), tileEvent(grace, "account"));

    assertThat(failed(response)).isEmpty();
    assertThat(parked).isEmpty();
    Row lead = row("SELECT * FROM leads");
    assertThat(count("SELECT count(*) FROM leads")).isEqualTo(1);
    assertThat(lead.getUUID("account_id")).isEqualTo(account);
    assertThat(lead.getValue("contact_id")).isNull();
    assertThat(rows("SELECT contact_id FROM contacts_to_rescore ORDER BY contact_id").stream()
        .map(r -> r.getUUID("contact_id")).toList()).containsExactlyInAnyOrder(ada, grace);
    // The contact-mode tile of the same journey is a lead of its own.
    deliver(tileEvent(ada, "contact"));
    assertThat(count("SELECT count(*) FROM leads")).isEqualTo(2);
  }

  @Test
  void badMessagesAreParkedWithTheirReasonAndTheRestOfTheBatchSucceeds() {
    JsonObject missingTopic = tileEvent(ada, "contact");
    missingTopic.getJsonObject("lead").remove("topic");
    SQSBatchResponse response = deliver(
        tileEvent(ada, "contact"),
        "{not json",
        "[1, 2]",
        missingTopic.put("createFor", "everyone"),
        tileEvent(UUID.fromString("00000000-0000-4000-8000-000000000000"), "contact"),
        tileEvent(loner, "account"),
        tileEvent(grace, "contact"));

    // Refused messages go to the dead-letter queue at once (not reported: SQS must not deliver them again).
    assertThat(failed(response)).isEmpty();
    assertThat(parked).containsOnlyKeys("message-1", "message-2", "message-3", "message-4", "message-5");
    assertThat(parked.get("message-1")).contains("not a JSON object");
    assertThat(parked.get("message-3")).contains("createFor").contains("contact, account");
    assertThat(parked.get("message-4")).contains("No contact with id 00000000-0000-4000-8000-000000000000");
    assertThat(parked.get("message-5")).contains("has no account");
    assertThat(rows("SELECT contact_id FROM leads").stream().map(r -> r.getUUID("contact_id")).toList())
        .containsExactlyInAnyOrder(ada, grace);
    assertThat(count("SELECT count(*) FROM journey_tile_leads")).isEqualTo(2);
  }

  @Test
  void withoutADeadLetterQueueRefusedMessagesAreReportedSoTheRedrivePolicyEndsThem() {
    JourneyCreateLeadHandler noDeadLetters =
        new JourneyCreateLeadHandler(TestDatabase::database, DeadLetters.NONE, Clock.fixed(NOW, ZoneOffset.UTC));

    SQSBatchResponse response = noDeadLetters.handleRequest(batch(
        List.of(tileEvent(ada, "contact").encode(), "{}"), List.of("good", "empty")), null);

    assertThat(failed(response)).containsExactly("empty");
    assertThat(count("SELECT count(*) FROM leads")).isEqualTo(1);
  }

  @Test
  void whenTheDatabaseIsDownEveryMessageIsReportedAndNoneIsParked() {
    Supplier<Database> down = () -> {
      throw new Unavailable("the database is not reachable");
    };
    JourneyCreateLeadHandler unavailable =
        new JourneyCreateLeadHandler(down, deadLetters, Clock.fixed(NOW, ZoneOffset.UTC));

    SQSBatchResponse response = unavailable.handleRequest(batch(
        List.of(tileEvent(ada, "contact").encode(), tileEvent(grace, "contact").encode()), List.of("a", "b")), null);

    assertThat(failed(response)).containsExactly("a", "b");
    assertThat(parked).isEmpty();
  }

  @Test
  void theSameTileEventDeliveredInParallelMakesOneLead() throws Exception {
    int deliveries = 8;
    ExecutorService threads = Executors.newFixedThreadPool(deliveries);
    try {
      for (String createFor : List.of("contact", "account")) {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<SQSBatchResponse>> answers = new ArrayList<>();
        for (int i = 0; i < deliveries; i++) {
          // Account mode: each delivery from another contact of the account.
          UUID contact = createFor.equals("account") && i % 2 == 1 ? grace : ada;
          String body = tileEvent(contact, createFor).encode();
          String id = createFor + "-" + i;
          answers.add(threads.submit(() -> {
            start.await();
            return handler.handleRequest(batch(List.of(body), List.of(id)), null);
          }));
        }
        start.countDown();
        for (Future<SQSBatchResponse> answer : answers) {
          assertThat(failed(answer.get())).isEmpty();
        }
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(parked).isEmpty();
    assertThat(count("SELECT count(*) FROM leads WHERE contact_id IS NOT NULL")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM leads WHERE contact_id IS NULL")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM outbox WHERE type = 'lead.created'")).isEqualTo(2);
  }

  @Test
  void aJourneyLeadIsScoredAtOnce() {
    ScoringFixtures.live("""
        {"name": "Fit", "target": "contact", "salesReadyThreshold": 50,
         "grades": [{"name": "C", "min": -1000, "max": 19}, {"name": "B", "min": 20, "max": 1000}],
         "rules": [{"id": "cto", "kind": "demographic", "field": "jobTitle", "op": "eq", "value": "CTO", "points": 20}]}""");
    RecalculationService recalculation = new RecalculationService(TestDatabase.database(), Clock.systemUTC());
    recalculation.run(Duration.ofSeconds(30)); // the model's first full rescoring: no leads yet

    deliver(tileEvent(ada, "contact"));
    recalculation.run(Duration.ofSeconds(30)); // the mark the tile left

    Row lead = row("SELECT score, grade, stage FROM leads");
    assertThat(lead.getInteger("score")).isEqualTo(20);
    assertThat(lead.getString("grade")).isEqualTo("B");
    assertThat(lead.getString("stage")).isEqualTo("automated_marketing_qualification");
  }
}
