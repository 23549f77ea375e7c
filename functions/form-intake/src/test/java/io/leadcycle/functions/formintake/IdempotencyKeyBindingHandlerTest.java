package io.leadcycle.functions.formintake;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An idempotency key is bound to the request that used it first (the IETF Idempotency-Key draft): the
 * same key with the same request is a replay, with another request a 409 that changes nothing, so a
 * guessed or reused key can neither read someone's outcome nor silently drop new data.
 */
class IdempotencyKeyBindingHandlerTest extends FormIntakeHarness {

  private static final String FIRST = """
      {"submissionId": "sub-1", "submittedAt": "2026-11-27T08:30:00Z",
       "fields": {"email": "ada@example.com", "firstName": "Ada"}, "consent": {"newsletter": true}}""";

  private String secret;

  @BeforeEach
  void reset() {
    TestDatabase.reset();
    secret = createPage("page");
    createForm("open", "{\"name\": \"Open\", \"kind\": \"marketing_page\", \"requireSignature\": false}");
  }

  @Test
  void theSameKeyWithAnotherBodyIs409NamingTheKeyAndChangesNothing() {
    assertThat(submit("page", secret, FIRST).getStatusCode()).isEqualTo(201);
    Map<String, Long> before = tableCounts();
    String contactBefore = contactRow(row("SELECT id::text AS id FROM contacts").getString("id")).toJson().encode();

    APIGatewayV2HTTPResponse reused = submit("page", secret, """
        {"submissionId": "sub-1", "fields": {"email": "mallory@example.com", "firstName": "Mallory"}}""");

    JsonObject problem = assertProblem(reused, 409);
    assertThat(problem.getString("detail")).contains("sub-1").contains("different submission");
    assertThat(tableCounts()).isEqualTo(before);
    assertThat(contactRow(row("SELECT id::text AS id FROM contacts").getString("id")).toJson().encode())
        .isEqualTo(contactBefore);
  }

  @Test
  void eachPartOfTheRequestCountsFieldsConsentAndSubmittedAt() {
    assertThat(submit("page", secret, FIRST).getStatusCode()).isEqualTo(201);

    assertProblem(submit("page", secret, FIRST.replace("\"Ada\"", "\"Ada \"")), 409);
    assertProblem(submit("page", secret, FIRST.replace("\"newsletter\": true", "\"newsletter\": false")), 409);
    assertProblem(submit("page", secret, FIRST.replace("08:30:00Z", "08:31:00Z")), 409);
  }

  @Test
  void theSameRequestInAnotherMemberOrderOrSpacingIsAReplay() {
    JsonObject first = body(submit("page", secret, FIRST));

    APIGatewayV2HTTPResponse replay = submit("page", secret, """
        {"consent":{"newsletter":true},"fields":{"firstName":"Ada","email":"ada@example.com"},
         "submittedAt":"2026-11-27T08:30:00Z","submissionId":"sub-1"}""");

    assertThat(replay.getStatusCode()).as(replay.getBody()).isEqualTo(200);
    assertThat(body(replay).copy().put("replayed", false)).isEqualTo(first);
  }

  @Test
  void aWebhookRetryUnderTheSameIdIsStillAReplay() {
    String json = "{\"fields\": {\"email\": \"ada@example.com\"}}";
    call(submission("page").json(json).signed(secret, "msg_1", Instant.now().minusSeconds(30)).build());

    APIGatewayV2HTTPResponse retry = call(submission("page").json(json).signed(secret, "msg_1", Instant.now()).build());
    APIGatewayV2HTTPResponse other = call(submission("page").json("{\"fields\": {\"email\": \"eve@example.com\"}}")
        .signed(secret, "msg_1", Instant.now()).build());

    assertThat(retry.getStatusCode()).isEqualTo(200);
    assertThat(body(retry).getBoolean("replayed")).isTrue();
    assertThat(assertProblem(other, 409).getString("detail")).contains("msg_1");
  }

  @Test
  void aKeyPreClaimedByAnAnonymousCallerNeitherLeaksNorSwallowsTheRealSubmission() {
    // Someone guesses the next id and posts first.
    assertThat(call(submission("open").json("{\"submissionId\": \"sub-9\", \"fields\": {\"email\": \"x@example.com\"}}")
        .build()).getStatusCode()).isEqualTo(201);

    APIGatewayV2HTTPResponse real = call(submission("open")
        .json("{\"submissionId\": \"sub-9\", \"fields\": {\"email\": \"ada@example.com\"}}").build());

    // Not the other submission's outcome, and not silently dropped: the page can retry under a new id.
    assertProblem(real, 409);
    assertThat(count("SELECT count(*) FROM contacts WHERE email_norm = 'ada@example.com'")).isZero();
  }

  @Test
  void aRetryThatNoLongerValidatesIsAReplayOnlyWithTheSameBody() {
    String json = "{\"submissionId\": \"sub-2\", \"fields\": {\"firstName\": \"Ada\", \"email\": \"ada@example.com\"}}";
    assertThat(submit("page", secret, json).getStatusCode()).isEqualTo(201);
    // The form changes: now it matches on phone, which neither body carries.
    String strategyId = created(createStrategy("{\"name\": \"Phone\", \"entity\": \"contact\", \"fields\": [\"phone\"]}"))
        .getString("id");
    assertThat(patchForm("page", "{\"contactStrategyId\": \"" + strategyId + "\"}").getStatusCode()).isEqualTo(200);

    assertThat(submit("page", secret, json).getStatusCode()).isEqualTo(200);
    assertProblem(submit("page", secret, json.replace("Ada", "Eve")), 409);
  }

  @Test
  void aReceiptFromBeforeRequestsWereHashedReplaysAsBefore() {
    JsonObject first = body(submit("page", secret, FIRST));
    query("UPDATE intake_receipts SET request_hash = NULL");

    APIGatewayV2HTTPResponse other = submit("page", secret, FIRST.replace("\"Ada\"", "\"Augusta\""));

    assertThat(other.getStatusCode()).isEqualTo(200);
    assertThat(body(other).copy().put("replayed", false)).isEqualTo(first);
    assertThat(count("SELECT count(*) FROM contacts WHERE first_name = 'Augusta'")).isZero();
  }

  @Test
  void theSameKeyOnAnotherFormIsAnotherSubmission() {
    createForm("other", "{\"name\": \"Other\", \"kind\": \"marketing_page\", \"requireSignature\": false}");
    String json = "{\"submissionId\": \"sub-3\", \"fields\": {\"email\": \"ada@example.com\"}}";

    assertThat(call(submission("open").json(json).build()).getStatusCode()).isEqualTo(201);
    APIGatewayV2HTTPResponse other = call(submission("other").json(json).build());

    assertThat(other.getStatusCode()).isEqualTo(201);
    assertThat(body(other).getBoolean("replayed")).isFalse();
  }
}
