package io.leadcycle.functions.formintake;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Replayed deliveries are harmless: same answer, 200, {@code replayed: true}, nothing written. */
class IdempotencyHandlerTest extends FormIntakeHarness {

  private String secret;

  @BeforeEach
  void reset() {
    TestDatabase.reset();
    secret = createPage("page");
  }

  private static Map<String, Object> contactState(String contactId) {
    Row row = row("SELECT first_name, attributes::text AS attributes, updated_at FROM contacts WHERE id = $1",
        java.util.UUID.fromString(contactId));
    return Map.of("firstName", String.valueOf(row.getString("first_name")), "attributes", row.getString("attributes"),
        "updatedAt", row.getOffsetDateTime("updated_at"));
  }

  @Test
  void theSameWebhookIdResignedLaterIsAReplayThatWritesNothing() {
    String json = "{\"fields\":{\"email\":\"ada@example.com\",\"firstName\":\"Ada\"}}";
    APIGatewayV2HTTPResponse first = call(submission("page").json(json)
        .signed(secret, "msg_replay_1", Instant.now().minusSeconds(60)).build());
    assertThat(first.getStatusCode()).isEqualTo(201);
    JsonObject original = body(first);
    Map<String, Long> before = tableCounts();
    Map<String, Object> contactBefore = contactState(contactId(original));

    // The platform retries the same delivery: same webhook-id, freshly signed with a new timestamp.
    APIGatewayV2HTTPResponse replay = call(submission("page").json(json)
        .signed(secret, "msg_replay_1", Instant.now()).build());

    assertThat(replay.getStatusCode()).as(replay.getBody()).isEqualTo(200);
    JsonObject replayed = body(replay);
    assertThat(replayed.getBoolean("replayed")).isTrue();
    assertThat(replayed.getString("submissionId")).isEqualTo("msg_replay_1");
    assertThat(contactId(replayed)).isEqualTo(contactId(original));
    assertThat(leadId(replayed)).isEqualTo(leadId(original));
    assertThat(replayed.getString("interactionId")).isEqualTo(original.getString("interactionId"));
    // The original result, created flags and all: only "replayed" differs.
    assertThat(replayed.copy().put("replayed", false)).isEqualTo(original);
    assertThat(tableCounts()).isEqualTo(before);
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM leads")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM interactions")).isEqualTo(1);
    assertThat(contactState(contactId(original))).isEqualTo(contactBefore);
  }

  @Test
  void aReplayWithChangedFieldsIsRefusedAndChangesNothing() {
    call(submission("page").json("{\"fields\":{\"email\":\"ada@example.com\",\"firstName\":\"Ada\"}}")
        .signed(secret, "msg_replay_2", Instant.now()).build());
    String contactId = query("SELECT id FROM contacts").iterator().next().getUUID(0).toString();
    Map<String, Object> contactBefore = contactState(contactId);
    Map<String, Long> before = tableCounts();

    APIGatewayV2HTTPResponse replay = call(submission("page")
        .json("{\"fields\":{\"email\":\"ada@example.com\",\"firstName\":\"Augusta\",\"extra\":\"x\"}}")
        .signed(secret, "msg_replay_2", Instant.now()).build());

    // The key is bound to the first request (IdempotencyKeyBindingHandlerTest): another body is a 409.
    assertProblem(replay, 409);
    assertThat(tableCounts()).isEqualTo(before);
    assertThat(contactState(contactId)).isEqualTo(contactBefore);
  }

  @Test
  void theSameSubmissionIdUnderDifferentWebhookIdsIsAReplay() {
    String json = "{\"submissionId\":\"sub-42\",\"fields\":{\"email\":\"ada@example.com\",\"firstName\":\"Ada\"}}";
    APIGatewayV2HTTPResponse first = call(submission("page").json(json).signed(secret, "msg_a", Instant.now()).build());
    assertThat(first.getStatusCode()).isEqualTo(201);
    JsonObject original = body(first);
    Map<String, Long> before = tableCounts();

    APIGatewayV2HTTPResponse second = call(submission("page").json(json).signed(secret, "msg_b", Instant.now()).build());

    assertThat(second.getStatusCode()).as(second.getBody()).isEqualTo(200);
    JsonObject replayed = body(second);
    assertThat(replayed.getBoolean("replayed")).isTrue();
    assertThat(replayed.getString("submissionId")).isEqualTo("sub-42");
    assertThat(contactId(replayed)).isEqualTo(contactId(original));
    assertThat(leadId(replayed)).isEqualTo(leadId(original));
    assertThat(replayed.getString("interactionId")).isEqualTo(original.getString("interactionId"));
    assertThat(tableCounts()).isEqualTo(before);
  }

  @Test
  void theSameSubmissionIdOnAnotherFormIsNotAReplay() {
    String otherSecret = createPage("other");
    String json = "{\"submissionId\":\"sub-42\",\"fields\":{\"email\":\"ada@example.com\"}}";
    JsonObject first = body(submit("page", secret, json));

    APIGatewayV2HTTPResponse other = submit("other", otherSecret, json);

    assertThat(other.getStatusCode()).isEqualTo(201);
    JsonObject second = body(other);
    assertThat(second.getBoolean("replayed")).isFalse();
    assertThat(contactId(second)).isEqualTo(contactId(first));
    assertThat(leadId(second)).isNotEqualTo(leadId(first));
    assertThat(count("SELECT count(*) FROM interactions")).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM intake_receipts")).isEqualTo(2);
  }

  @Test
  void differentWebhookIdsWithoutSubmissionIdAreDifferentSubmissions() {
    String json = "{\"fields\":{\"email\":\"ada@example.com\"}}";
    submit("page", secret, json);
    APIGatewayV2HTTPResponse second = submit("page", secret, json);
    assertThat(body(second).getBoolean("replayed")).isFalse();
    assertThat(count("SELECT count(*) FROM interactions")).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(1);
  }

  @Test
  void sixteenThreadsRacingTheSameDeliveryMakeExactlyOneOfEach() throws Exception {
    int threads = 16;
    String json = "{\"fields\":{\"email\":\"race@example.com\",\"firstName\":\"Racer\"}}";
    List<APIGatewayV2HTTPEvent> events = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      events.add(submission("page").json(json).signed(secret, "msg_race", Instant.now()).build());
    }
    List<JsonObject> bodies = new ArrayList<>();
    List<Integer> statuses = new ArrayList<>();
    for (APIGatewayV2HTTPResponse response : callAllAtOnce(events)) {
      statuses.add(response.getStatusCode());
      bodies.add(body(response));
    }

    assertThat(statuses).as("bodies %s", bodies).containsOnly(200, 201);
    assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
    assertThat(bodies).filteredOn(b -> !b.getBoolean("replayed")).hasSize(1);
    String contactId = contactId(bodies.get(0));
    assertThat(bodies).extracting(FormIntakeHarness::contactId).containsOnly(contactId);
    assertThat(bodies).extracting(FormIntakeHarness::leadId).containsOnly(leadId(bodies.get(0)));
    assertThat(bodies).extracting(b -> b.getString("interactionId")).containsOnly(bodies.get(0).getString("interactionId"));
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM leads")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM interactions")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM intake_receipts")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM contacts_to_rescore")).isEqualTo(1);
    assertThat(contactRow(contactId).getString("email_norm")).isEqualTo("race@example.com");
  }

  @Test
  void aRetryAfterTheFormsStrategyChangedGetsItsFirstAnswer() {
    String strategyId = body(createStrategy(
        "{\"name\":\"Email and phone\",\"entity\":\"contact\",\"fields\":[\"email\",\"phone\"]}")).getString("id");
    String json = "{\"fields\":{\"email\":\"ada@example.com\"}}";
    Instant at = Instant.now();
    APIGatewayV2HTTPResponse first = call(submission("page").json(json).signed(secret, "msg_retry", at).build());
    assertThat(first.getStatusCode()).isEqualTo(201);
    // The form now needs a phone, which the original body lacks.
    assertThat(putForm("page", "{\"name\":\"Page\",\"kind\":\"marketing_page\",\"contactStrategyId\":\""
        + strategyId + "\"}").getStatusCode()).isEqualTo(200);
    Map<String, Long> before = tableCounts();

    APIGatewayV2HTTPResponse retry = call(submission("page").json(json).signed(secret, "msg_retry", at).build());

    assertThat(retry.getStatusCode()).as(retry.getBody()).isEqualTo(200);
    JsonObject replay = body(retry);
    assertThat(replay.getBoolean("replayed")).isTrue();
    assertThat(contactId(replay)).isEqualTo(contactId(body(first)));
    assertThat(leadId(replay)).isEqualTo(leadId(body(first)));
    assertThat(tableCounts()).isEqualTo(before);
    // A new delivery of the same body is validated against the new strategy.
    assertProblem(call(submission("page").json(json).signed(secret).build()), 400);
  }
}
