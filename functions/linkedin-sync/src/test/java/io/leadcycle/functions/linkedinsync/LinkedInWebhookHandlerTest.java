package io.leadcycle.functions.linkedinsync;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.linkedin.LinkedInSignatures;
import io.leadcycle.linkedin.LinkedInApi;
import io.leadcycle.rescoring.RecalculationService;
import io.leadcycle.testing.HttpEvents;
import io.leadcycle.testing.ScoringFixtures;
import io.leadcycle.testing.TestDatabase;
import io.leadcycle.testing.Waiting;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** LinkedIn's lead notification webhook end to end: challenge, signatures, CREATED, repeats, DELETED, scoring. */
class LinkedInWebhookHandlerTest extends LinkedInHarness {

  private static final Instant SUBMITTED = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MILLIS);

  private String createdLead(String id, Map<Long, String> answers) {
    linkedIn.add(FakeLinkedIn.lead(id, SUBMITTED, false, answers));
    return id;
  }

  private long countAll() {
    return count("SELECT (SELECT count(*) FROM contacts) + (SELECT count(*) FROM leads)"
        + " + (SELECT count(*) FROM interactions) + (SELECT count(*) FROM linkedin_responses)");
  }

  @Test
  void theChallengeIsAnsweredWithTheHexHmacOfTheCodeAndNoDatabase() {
    String code = "47fe6f8a-6e1a-4e5a-9d4c-4b1e4bd6b9aa";
    LinkedInWebhookHandler noDatabase = new LinkedInWebhookHandler(() -> {
      throw new AssertionError("the challenge must not touch the database");
    }, Clock.systemUTC(), settings(env()), FAST);

    APIGatewayV2HTTPResponse response = answer(noDatabase, HttpEvents.request("GET /v1/linkedin/webhook",
        "/v1/linkedin/webhook").query("challengeCode", code).build());

    JsonObject body = ok(response);
    assertThat(body.getString("challengeCode")).isEqualTo(code);
    // Computed independently: printf %s "$code" | openssl dgst -sha256 -hmac "$CLIENT_SECRET"
    assertThat(body.getString("challengeResponse"))
        .isEqualTo("bc6a828ddc5343c829533db29e5dcfba2e9a813b96afed4b7e46be7761a7f329");
  }

  @Test
  void theSignatureIsTheHexHmacOfHmacsha256AndTheRawBody() {
    // printf %s 'hmacsha256={"leadAction":"CREATED"}' | openssl dgst -sha256 -hmac "$CLIENT_SECRET"
    assertThat(LinkedInSignatures.sign(CLIENT_SECRET, "{\"leadAction\":\"CREATED\"}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("c14544374a259d9fe833a70d517ad1fed34a5a1a0d2950346ff24a6c5be49c2c");
  }

  @Test
  void aChallengeWithoutCodeIs400AndWithoutConfiguredSecret401() {
    invalidFields(call(HttpEvents.request("GET /v1/linkedin/webhook", "/v1/linkedin/webhook").build()));
    Map<String, String> env = new HashMap<>(env());
    env.remove("LINKEDIN_CLIENT_SECRET");
    assertProblem(answer(webhookHandler(env), HttpEvents.request("GET /v1/linkedin/webhook", "/v1/linkedin/webhook")
        .query("challengeCode", "abc").build()), 401);
  }

  @Test
  void aSignedCreatedNotificationRunsTheIntakePath() {
    saved(putMapping(MAPPING));
    createdLead("249592fc-d272-44ba-a7db-c2bdce579507-6",
        FakeLinkedIn.person("Kevin", "Johonson", "Kevjohonson@Email.com ", "Senior Engineer"));

    JsonObject answer = ok(notify(FakeLinkedIn.notification("249592fc-d272-44ba-a7db-c2bdce579507-6", "CREATED")));

    assertThat(answer.getString("outcome")).isEqualTo("created");
    assertThat(answer.getBoolean("replayed")).isFalse();
    assertThat(answer.getJsonObject("contact").getBoolean("created")).isTrue();
    Row contact = row("SELECT email, first_name, last_name, job_title, attributes, consent FROM contacts");
    assertThat(contact.getString("email")).isEqualTo("Kevjohonson@Email.com");
    assertThat(contact.getString("first_name")).isEqualTo("Kevin");
    assertThat(contact.getString("job_title")).isEqualTo("Senior Engineer");
    assertThat(contact.getJsonObject("attributes").getString("favouriteColour")).isEqualTo("Azul");
    assertThat(contact.getJsonObject("consent").getBoolean("linkedin:0")).isTrue();
    Row lead = row("SELECT topic, context_kind, context_id, context_name, stage FROM leads");
    assertThat(lead.getString("context_kind")).isEqualTo("linkedin_form");
    assertThat(lead.getString("context_id")).isEqualTo(FakeLinkedIn.FORM_URN);
    assertThat(lead.getString("topic")).isEqualTo("Spring webinar on LinkedIn");
    assertThat(lead.getString("stage")).isEqualTo("inquiry");
    Row interaction = row("SELECT type, occurred_at, source_key FROM interactions");
    assertThat(interaction.getString("type")).isEqualTo("linkedin_form_submitted");
    assertThat(interaction.getOffsetDateTime("occurred_at").toInstant()).isEqualTo(SUBMITTED);
    assertThat(interaction.getString("source_key"))
        .isEqualTo("linkedin:urn:li:leadGenFormResponse:249592fc-d272-44ba-a7db-c2bdce579507-6");
    assertThat(count("SELECT count(*) FROM contacts_to_rescore")).isEqualTo(1);
    // As for every new lead: its lead.created event and the first stage on its timeline.
    assertThat(count("SELECT count(*) FROM outbox WHERE type = 'lead.created'")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM lead_timeline")).isEqualTo(1);
    // The request LinkedIn got: the documented headers and the form projected.
    FakeLinkedIn.Seen fetch = linkedIn.requestsTo("/rest/leadFormResponses/").get(0);
    assertThat(fetch.headers().get("LinkedIn-Version")).matches("[0-9]{6}");
    assertThat(fetch.headers().get("X-Restli-Protocol-Version")).isEqualTo("2.0.0");
    assertThat(fetch.headers().get("Authorization")).isEqualTo("Bearer " + FakeLinkedIn.TOKEN);
    assertThat(fetch.params().get("fields")).contains("form:(hiddenFields,creationLocale,name,id,content)");
  }

  @Test
  void aBadOrMissingSignatureIs401AndChangesNothing() {
    saved(putMapping(MAPPING));
    createdLead("lead-1", FakeLinkedIn.person("Ada", "Lovelace", "ada@example.com", null));
    String body = FakeLinkedIn.notification("lead-1", "CREATED");
    long before = countAll();

    String wrongKey = LinkedInSignatures.sign("another-secret", body.getBytes(StandardCharsets.UTF_8));
    String otherBody = LinkedInSignatures.sign(CLIENT_SECRET, (body + " ").getBytes(StandardCharsets.UTF_8));
    for (String signature : new String[] {wrongKey, otherBody, "", "zz", "hmacsha256="}) {
      assertProblem(call(HttpEvents.request("POST /v1/linkedin/webhook", "/v1/linkedin/webhook").json(body)
          .header("x-li-signature", signature).build()), 401);
    }
    assertProblem(call(HttpEvents.request("POST /v1/linkedin/webhook", "/v1/linkedin/webhook").json(body).build()), 401);

    assertThat(countAll()).isEqualTo(before);
    assertThat(linkedIn.requests).isEmpty();
  }

  @Test
  void aRepeatedNotificationIsHarmlessAndFetchesNothingMore() {
    saved(putMapping(MAPPING));
    createdLead("lead-2", FakeLinkedIn.person("Ada", "Lovelace", "ada@example.com", null));
    String body = FakeLinkedIn.notification("lead-2", "CREATED");

    JsonObject first = ok(notify(body));
    long after = countAll();
    JsonObject second = ok(notify(body));

    assertThat(second.getString("outcome")).isEqualTo("created");
    assertThat(second.getBoolean("replayed")).isTrue();
    assertThat(second.getJsonObject("lead").getString("id")).isEqualTo(first.getJsonObject("lead").getString("id"));
    assertThat(countAll()).isEqualTo(after);
    assertThat(linkedIn.requestsTo("/rest/leadFormResponses/")).hasSize(1);
  }

  @Test
  void aSecondLeadOfAKnownPersonMatchesTheirContact() {
    saved(putMapping(MAPPING));
    UUID known = ScoringFixtures.contact("ada@example.com", "CTO", null);
    createdLead("lead-3", FakeLinkedIn.person("Ada", "Lovelace", "ADA@example.com", null));

    JsonObject answer = ok(notify(FakeLinkedIn.notification("lead-3", "CREATED")));

    assertThat(answer.getString("outcome")).isEqualTo("created"); // the lead is new
    assertThat(answer.getJsonObject("contact").getString("id")).isEqualTo(known.toString());
    assertThat(answer.getJsonObject("contact").getBoolean("created")).isFalse();
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(1);
  }

  @Test
  void rateLimitsAndServerErrorsAreRetriedWithBackoff() {
    saved(putMapping(MAPPING));
    createdLead("lead-4", FakeLinkedIn.person("Ada", "Lovelace", "ada@example.com", null));
    linkedIn.failNext(429, 500);

    assertThat(ok(notify(FakeLinkedIn.notification("lead-4", "CREATED"))).getString("outcome")).isEqualTo("created");
    assertThat(linkedIn.requestsTo("/rest/leadFormResponses/")).hasSize(3);
  }

  @Test
  void whenLinkedInStaysDownTheNotificationIs503AndThePollCatchesTheLeadLater() {
    saved(putMapping(MAPPING));
    createdLead("lead-5", FakeLinkedIn.person("Ada", "Lovelace", "ada@example.com", null));
    linkedIn.failNext(500, 500, 500, 500);

    assertProblem(notify(FakeLinkedIn.notification("lead-5", "CREATED")), 503);

    assertThat(count("SELECT count(*) FROM linkedin_responses")).isZero();
    assertThat(status().getString("lastError")).contains("500");
  }

  @Test
  void anExpiredTokenIsReportedOnceNotRetried() {
    saved(putMapping(MAPPING));
    createdLead("lead-6", FakeLinkedIn.person("Ada", "Lovelace", "ada@example.com", null));
    linkedIn.token = "a-renewed-token";

    assertProblem(notify(FakeLinkedIn.notification("lead-6", "CREATED")), 503);

    assertThat(linkedIn.requestsTo("/rest/leadFormResponses/")).hasSize(1);
    assertThat(status().getString("lastError")).contains("401").contains("expired");
  }

  @Test
  void malformedNotificationsAre400AndChangeNothing() {
    for (String body : new String[] {"{}", "{\"leadAction\": \"CREATED\"}",
        "{\"leadAction\": \"UPDATED\", \"leadGenFormResponse\": \"urn:li:leadGenFormResponse:x\"}",
        "{\"leadAction\": \"CREATED\", \"leadGenFormResponse\": \"urn:li:somethingElse:1\"}", "[]", "not json"}) {
      APIGatewayV2HTTPResponse response = notify(body);
      assertThat(response.getStatusCode()).as(body).isEqualTo(400);
      assertProblem(response, 400);
    }
    assertThat(countAll()).isZero();
  }

  @Test
  void deletedRemovesWhatTheResponseCreatedAndKeepsATombstone() {
    saved(putMapping(MAPPING));
    createdLead("lead-7", FakeLinkedIn.person("Grace", "Hopper", "grace@example.com", null));
    ok(notify(FakeLinkedIn.notification("lead-7", "CREATED")));
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(1);

    JsonObject answer = ok(notify(FakeLinkedIn.notification("lead-7", "DELETED")));

    assertThat(answer.getString("outcome")).isEqualTo("deleted");
    assertThat(count("SELECT count(*) FROM contacts")).isZero();
    assertThat(count("SELECT count(*) FROM leads")).isZero();
    assertThat(count("SELECT count(*) FROM interactions")).isZero();
    assertThat(count("SELECT count(*) FROM outbox")).isZero();
    assertThat(count("SELECT count(*) FROM lead_timeline")).isZero();
    Row tombstone = row("SELECT outcome, received, response FROM linkedin_responses");
    assertThat(tombstone.getString("outcome")).isEqualTo("deleted");
    assertThat(tombstone.getValue("received")).isNull();
    assertThat(tombstone.getValue("response")).isNull();
    // Repeats of either notification change nothing; the lead never comes back.
    assertThat(ok(notify(FakeLinkedIn.notification("lead-7", "DELETED"))).getBoolean("replayed")).isTrue();
    assertThat(ok(notify(FakeLinkedIn.notification("lead-7", "CREATED"))).getString("outcome")).isEqualTo("deleted");
    assertThat(poll()).containsEntry("poll", "completed");
    assertThat(count("SELECT count(*) FROM contacts")).isZero();
    assertThat(status().getJsonObject("counts").getLong("deleted")).isEqualTo(1);
  }

  @Test
  void deletedKeepsAContactThatExistedBeforeAndRescoresIt() {
    saved(putMapping(MAPPING));
    UUID known = ScoringFixtures.contact("ada@example.com", "CTO", null);
    createdLead("lead-8", FakeLinkedIn.person("Ada", "Lovelace", "ada@example.com", null));
    ok(notify(FakeLinkedIn.notification("lead-8", "CREATED")));
    query("DELETE FROM contacts_to_rescore");

    ok(notify(FakeLinkedIn.notification("lead-8", "DELETED")));

    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM leads")).isZero();
    assertThat(count("SELECT count(*) FROM interactions")).isZero();
    assertThat(row("SELECT contact_id FROM contacts_to_rescore").getUUID("contact_id")).isEqualTo(known);
  }

  @Test
  void deletedBeforeTheLeadWasTakenInKeepsItOut() {
    saved(putMapping(MAPPING));
    linkedIn.add(FakeLinkedIn.lead("lead-9", Instant.now().minusSeconds(60), false,
        FakeLinkedIn.person("Ada", "Lovelace", "ada@example.com", null)));

    assertThat(ok(notify(FakeLinkedIn.notification("lead-9", "DELETED"))).getString("outcome")).isEqualTo("deleted");
    poll();

    assertThat(count("SELECT count(*) FROM contacts")).isZero();
  }

  @Test
  void twoCopiesOfOneNotificationAtOnceTakeTheLeadInOnce() throws Exception {
    saved(putMapping(MAPPING));
    createdLead("lead-twice", FakeLinkedIn.person("Ada", "Lovelace", "ada@example.com", null));
    String body = FakeLinkedIn.notification("lead-twice", "CREATED");
    // LinkedIn answers neither copy before both asked: both are past the ledger's first look.
    linkedIn.holdResponseFetchesUntil(2);
    LinkedInWebhookHandler one = webhookHandler(env());
    LinkedInWebhookHandler other = webhookHandler(env());
    ExecutorService threads = Executors.newFixedThreadPool(2);
    JsonObject first;
    JsonObject second;
    try {
      Future<APIGatewayV2HTTPResponse> a = threads.submit(() -> notify(one, body));
      Future<APIGatewayV2HTTPResponse> b = threads.submit(() -> notify(other, body));
      first = ok(a.get(60, TimeUnit.SECONDS));
      second = ok(b.get(60, TimeUnit.SECONDS));
    } finally {
      threads.shutdownNow();
    }

    assertThat(linkedIn.requestsTo("/rest/leadFormResponses/")).hasSize(2);
    assertThat(List.of(first.getBoolean("replayed"), second.getBoolean("replayed"))).containsExactlyInAnyOrder(false, true);
    assertThat(first.getJsonObject("lead").getString("id")).isEqualTo(second.getJsonObject("lead").getString("id"));
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM leads")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM interactions")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM outbox WHERE type = 'lead.created'")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM linkedin_responses")).isEqualTo(1);
  }

  @Test
  void aDeletedWhileTheLeadIsBeingTakenInWaitsForItAndRemovesWhatItCreated() throws Exception {
    saved(putMapping(MAPPING));
    createdLead("lead-race", FakeLinkedIn.person("Grace", "Hopper", "grace@example.com", null));
    ok(notify(FakeLinkedIn.notification("lead-race", "CREATED")));
    Row taken = row("SELECT response_urn, form_urn, contact_id, lead_id, interaction_id FROM linkedin_responses");
    // As while intake runs: its ledger row is written in a transaction that has not committed yet.
    query("DELETE FROM linkedin_responses");
    SqlConnection intake = TestDatabase.database().pool().getConnection().await();
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try {
      Transaction transaction = intake.begin().await();
      intake.preparedQuery("""
              INSERT INTO linkedin_responses (response_urn, form_urn, outcome, contact_id, contact_created, lead_id,
                                              lead_created, interaction_id)
              VALUES ($1, $2, 'created', $3, true, $4, true, $5)""")
          .execute(Tuple.of(taken.getString("response_urn"), taken.getString("form_urn"), taken.getUUID("contact_id"),
              taken.getUUID("lead_id"), taken.getUUID("interaction_id")))
          .await();
      Future<APIGatewayV2HTTPResponse> deleted =
          thread.submit(() -> notify(FakeLinkedIn.notification("lead-race", "DELETED")));
      Waiting.until("the DELETED notification to wait for the lock of intake's uncommitted row",
          () -> count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'") > 0);
      assertThat(deleted).isNotDone();
      transaction.commit().await();

      assertThat(ok(deleted.get(60, TimeUnit.SECONDS)).getString("outcome")).isEqualTo("deleted");
    } finally {
      intake.close().await();
      thread.shutdownNow();
    }
    assertThat(count("SELECT count(*) FROM contacts")).isZero();
    assertThat(count("SELECT count(*) FROM leads")).isZero();
    assertThat(count("SELECT count(*) FROM interactions")).isZero();
    assertThat(row("SELECT outcome FROM linkedin_responses").getString("outcome")).isEqualTo("deleted");
  }

  @Test
  void aBase64EncodedNotificationIsVerifiedOnTheBytesLinkedInSent() {
    saved(putMapping(MAPPING));
    createdLead("lead-b64", FakeLinkedIn.person("Ada", "Lovelace", "ada@example.com", null));
    String body = FakeLinkedIn.notification("lead-b64", "CREATED");

    JsonObject answer = ok(call(HttpEvents.request("POST /v1/linkedin/webhook", "/v1/linkedin/webhook")
        .base64Json(body)
        .header("x-li-signature", LinkedInSignatures.sign(CLIENT_SECRET, body.getBytes(StandardCharsets.UTF_8)))
        .build()));

    assertThat(answer.getString("outcome")).isEqualTo("created");
  }

  @Test
  void theWebhookGivesUpWithinItsBudgetWhenLinkedInAsksForLongWaits() {
    saved(putMapping(MAPPING));
    createdLead("lead-slow", FakeLinkedIn.person("Ada", "Lovelace", "ada@example.com", null));
    linkedIn.retryAfter = "5";
    linkedIn.failNext(429, 429, 429, 429);
    LinkedInWebhookHandler hurried = new LinkedInWebhookHandler(TestDatabase::database, Clock.systemUTC(),
        settings(env()), new LinkedInApi.Backoff(Duration.ofMillis(5), Duration.ofSeconds(20), Duration.ofSeconds(1)));

    long started = System.nanoTime();
    assertProblem(notify(hurried, FakeLinkedIn.notification("lead-slow", "CREATED")), 503);

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    assertThat(linkedIn.requestsTo("/rest/leadFormResponses/")).hasSize(1);
    assertThat(count("SELECT count(*) FROM linkedin_responses")).isZero();
    // The production webhook stays well inside the function's 20 s timeout.
    assertThat(LinkedInApi.Backoff.WEBHOOK.budget()).isLessThanOrEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aLinkedInLeadIsScoredByALiveModel() {
    saved(putMapping(MAPPING));
    ScoringFixtures.live("""
        {"name": "LinkedIn interest", "target": "contact", "salesReadyThreshold": 30,
         "grades": [{"name": "cold", "min": -1000, "max": 29}, {"name": "hot", "min": 30, "max": 1000}],
         "rules": [{"id": "linkedin", "kind": "behavioral", "interaction": "linkedin_form_submitted",
                    "frequency": "each", "points": 25},
                   {"id": "engineer", "kind": "demographic", "field": "jobTitle", "op": "contains",
                    "value": "Engineer", "points": 10}]}""");
    createdLead("lead-10", FakeLinkedIn.person("Kevin", "Johonson", "kevin@example.com", "Senior Engineer"));
    JsonObject answer = ok(notify(FakeLinkedIn.notification("lead-10", "CREATED")));

    new RecalculationService(TestDatabase.database(), Clock.systemUTC()).run(Duration.ofSeconds(30));

    Row score = row("SELECT score, grade, sales_ready FROM lead_scores WHERE lead_id = $1",
        UUID.fromString(answer.getJsonObject("lead").getString("id")));
    assertThat(score.getInteger("score")).isEqualTo(35);
    assertThat(score.getString("grade")).isEqualTo("hot");
    assertThat(row("SELECT sales_ready FROM leads").getBoolean("sales_ready")).isTrue();
  }
}
