package io.leadcycle.functions.leadmanagement;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/leads/{leadId}/process} as Lambda receives it: the process rules at the edge
 * (400 for a bad request, 409 for an action that does not fit), the outbox, the JWT subject as actor,
 * and events routed by {@code $default}, with base64 bodies or with the wrong method.
 */
class ProcessHandlerTest extends LeadManagementHarness {

  private String leadId;

  @BeforeEach
  void reset() {
    TestDatabase.reset();
    leadId = createLead("Pricing request").getString("id");
    // These tests look at what process actions write: the lead's creation event (LeadsHandlerTest) goes.
    assertThat(count("SELECT count(*) FROM outbox WHERE type = 'lead.created'")).isEqualTo(1);
    query("DELETE FROM outbox");
  }

  private static long outboxRows() {
    return count("SELECT count(*) FROM outbox");
  }

  @Test
  void markSalesReadySkipsTelemarketingAndWritesItsEventsToTheOutbox() {
    APIGatewayV2HTTPResponse response = process(leadId, "{\"action\": \"mark-sales-ready\"}");

    JsonObject lead = ok(response);
    assertThat(lead.getString("stage")).isEqualTo("sales_acceptance");
    assertThat(lead.getBoolean("salesReady")).isTrue();
    assertThat(lead.getBoolean("telemarketingReady")).isFalse();
    assertThat(lead.getBoolean("telemarketingAccepted")).isFalse();
    assertThat(lead.getBoolean("salesAccepted")).isFalse();
    assertThat(timeline(lead)).containsExactly("stage null->inquiry api created",
        "stage inquiry->sales_acceptance api mark-sales-ready", "salesReady false->true api mark-sales-ready");

    List<Row> events = rows("SELECT type, lead_id, payload FROM outbox ORDER BY type");
    assertThat(events).extracting(r -> r.getString("type")).containsExactly("lead.sales_ready", "lead.stage_changed");
    for (Row event : events) {
      assertThat(event.getUUID("lead_id")).isEqualTo(uuid(leadId));
      JsonObject payload = event.getJsonObject("payload");
      assertThat(payload.fieldNames()).containsExactlyInAnyOrder("schemaVersion", "lead", "changes", "actor", "reason");
      assertThat(payload.getInteger("schemaVersion")).isEqualTo(2);
      assertThat(payload.getJsonObject("lead").getString("id")).isEqualTo(leadId);
      assertThat(payload.getJsonObject("lead").getString("stage")).isEqualTo("sales_acceptance");
      assertThat(payload.getJsonObject("lead").getBoolean("salesReady")).isTrue();
      assertThat(payload.getJsonObject("lead").containsKey("timeline")).isFalse();
      assertThat(payload.getJsonArray("changes")).containsExactly(
          new JsonObject().put("field", "stage").put("from", "inquiry").put("to", "sales_acceptance"),
          new JsonObject().put("field", "salesReady").put("from", false).put("to", true));
      payload.getJsonArray("changes").forEach(change -> assertTyped((JsonObject) change));
      assertThat(payload.getString("actor")).isEqualTo("api");
      assertThat(payload.getString("reason")).isEqualTo("mark-sales-ready");
    }
    assertThat(count("SELECT count(*) FROM outbox WHERE payload->'lead'->>'stage' = 'sales_acceptance'"
        + " AND (payload->>'schemaVersion')::int = 2")).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM outbox WHERE jsonb_typeof(payload->'changes'->1->'to') = 'boolean'"))
        .isEqualTo(2);
  }

  @Test
  void onlyAnActionThatWroteEventsNudgesThresholdNotificationAfterItsTransaction() {
    ok(process(leadId, "{\"action\": \"mark-sales-ready\"}"));
    assertThat(nudges).containsExactly("lead-process");
    long before = outboxRows();

    process(leadId, "{\"action\": \"accept-sales\"}"); // 400: no owner
    process(leadId, "{\"action\": \"mark-sales-ready\"}"); // already sales-ready: nothing new

    assertThat(outboxRows()).isEqualTo(before);
    assertThat(nudges).containsExactly("lead-process");
  }

  @Test
  void theTimelineShowsFlagsAsBooleansAndStagesOwnersAndNullsAsTheyAre() {
    act(leadId, "mark-sales-ready");
    ok(process(leadId, "{\"action\": \"accept-sales\", \"ownerId\": \"sam\"}"));
    ok(process(leadId, "{\"action\": \"move\", \"stage\": \"inquiry\", \"reason\": \"wrong person\"}"));

    APIGatewayV2HTTPResponse response = getLead(leadId);

    JsonObject lead = ok(response);
    JsonArray entries = lead.getJsonArray("timeline");
    assertThat(entries).hasSize(9);
    entries.forEach(entry -> assertTyped((JsonObject) entry));
    assertThat(entries.getJsonObject(0).getValue("from")).isNull();
    assertThat(entries.getJsonObject(0).getValue("to")).isEqualTo("inquiry");
    assertThat(entries.getJsonObject(2).getMap()).containsEntry("field", "salesReady").containsEntry("from", false)
        .containsEntry("to", true);
    assertThat(entries.getJsonObject(3).getMap()).containsEntry("field", "salesAccepted").containsEntry("from", false)
        .containsEntry("to", true);
    assertThat(entries.getJsonObject(4).getMap()).containsEntry("field", "ownerId").containsEntry("to", "sam");
    assertThat(entries.getJsonObject(4).getValue("from")).isNull();
    assertThat(entries.getJsonObject(7).getMap()).containsEntry("field", "salesAccepted").containsEntry("from", true)
        .containsEntry("to", false);
    assertThat(response.getBody()).contains("\"field\":\"salesReady\",\"from\":false,\"to\":true")
        .doesNotContain("\"false\"").doesNotContain("\"true\"");
    // The database keeps text; the typing is the wire's.
    assertThat(rows("SELECT to_value FROM lead_timeline WHERE field = 'salesReady' ORDER BY id"))
        .extracting(r -> r.getString("to_value")).containsExactly("true", "false");
  }

  @Test
  void aSalesReadyLeadIsAcceptedBySalesWithAnOwner() {
    act(leadId, "mark-sales-ready");

    JsonObject lead = ok(process(leadId, "{\"action\": \"accept-sales\", \"ownerId\": \"sam\", \"reason\": \"fits Q4\"}"));

    assertThat(lead.getBoolean("salesAccepted")).isTrue();
    assertThat(lead.getString("ownerId")).isEqualTo("sam");
    assertThat(timeline(lead)).endsWith("salesAccepted false->true api fits Q4", "ownerId null->sam api fits Q4");
  }

  @Test
  void acceptSalesWithoutAnOwnerIs400NamingOwnerIdAndChangesNothing() {
    act(leadId, "mark-sales-ready");
    long before = outboxRows();

    APIGatewayV2HTTPResponse response = process(leadId, "{\"action\": \"accept-sales\"}");

    assertThat(invalidFields(response)).containsExactly("ownerId");
    JsonObject lead = ok(getLead(leadId));
    assertThat(lead.getBoolean("salesAccepted")).isFalse();
    assertThat(lead.getString("ownerId")).isNull();
    assertThat(lead.getJsonArray("timeline")).hasSize(3);
    assertThat(outboxRows()).isEqualTo(before).isEqualTo(2);
  }

  @Test
  void anActionThatDoesNotFitTheStageIs409SayingWhy() {
    APIGatewayV2HTTPResponse response = process(leadId, "{\"action\": \"accept-telemarketing\"}");

    JsonObject problem = assertProblem(response, 409);
    assertThat(problem.getString("type")).isEqualTo("urn:leadcycle:problem:conflict");
    assertThat(problem.getString("detail")).contains("telemarketing_acceptance").contains("inquiry");
    assertThat(problem.getJsonArray("errors")).isEmpty();
    JsonObject lead = ok(getLead(leadId));
    assertThat(lead.getString("stage")).isEqualTo("inquiry");
    assertThat(lead.getJsonArray("timeline")).hasSize(1);
    assertThat(outboxRows()).isZero();
  }

  @Test
  void aSalesReadyLeadCannotBeQueuedForTelemarketing() {
    act(leadId, "mark-sales-ready");

    JsonObject problem = assertProblem(process(leadId, "{\"action\": \"mark-telemarketing-ready\"}"), 409);

    assertThat(problem.getString("detail")).contains("sales-ready");
    assertThat(ok(getLead(leadId)).getString("stage")).isEqualTo("sales_acceptance");
    assertThat(outboxRows()).isEqualTo(2);
  }

  @Test
  void aClosedLeadTakesNoMoreActions() {
    act(leadId, "mark-sales-ready");
    ok(process(leadId, "{\"action\": \"accept-sales\", \"ownerId\": \"sam\"}"));
    String opportunityId = act(leadId, "convert").getString("opportunityId");
    assertThat(opportunityId).isNotNull();

    JsonObject problem = assertProblem(process(leadId, "{\"action\": \"disqualify\", \"reason\": \"too late\"}"), 409);

    assertThat(problem.getString("detail")).contains("converted");
    JsonObject lead = ok(getLead(leadId));
    assertThat(lead.getString("status")).isEqualTo("converted");
    assertThat(lead.getString("opportunityId")).isEqualTo(opportunityId);
  }

  @Test
  void convertingAnnouncesTheLeadWithItsOpportunity() {
    act(leadId, "mark-sales-ready");
    ok(process(leadId, "{\"action\": \"accept-sales\", \"ownerId\": \"sam\"}"));

    String opportunityId = act(leadId, "convert").getString("opportunityId");

    List<Row> converted = rows("SELECT payload FROM outbox WHERE lead_id = $1 AND type = 'lead.converted'",
        java.util.UUID.fromString(leadId));
    assertThat(converted).hasSize(1);
    JsonObject payload = converted.get(0).getJsonObject("payload");
    assertThat(payload.getJsonObject("lead").getString("opportunityId")).isEqualTo(opportunityId);
    assertThat(payload.getJsonObject("lead").getString("status")).isEqualTo("converted");
    assertThat(payload.getJsonArray("changes").encode()).contains("\"field\":\"status\"").contains("\"to\":\"converted\"");
  }

  @Test
  void anUnknownOrMissingActionIs400NamingAction() {
    assertThat(invalidFields(process(leadId, "{\"action\": \"escalate\"}"))).containsExactly("action");
    assertThat(invalidFields(process(leadId, "{\"action\": \"first-scored\"}"))).containsExactly("action");
    assertThat(invalidFields(process(leadId, "{\"reason\": \"why not\"}"))).containsExactly("action");
    assertThat(invalidFields(process(leadId, "{\"action\": 7}"))).containsExactly("action");

    assertThat(ok(getLead(leadId)).getString("stage")).isEqualTo("inquiry");
    assertThat(outboxRows()).isZero();
  }

  @Test
  void anActorThatIsSentMustNameSomeone() {
    // Left out, the actor is "api"; sent, the document says a non-blank string.
    assertThat(invalidFields(process(leadId, "{\"action\": \"mark-sales-ready\", \"actor\": \"\"}")))
        .containsExactly("actor");
    assertThat(invalidFields(process(leadId, "{\"action\": \"mark-sales-ready\", \"actor\": \" \"}")))
        .containsExactly("actor");
    assertThat(invalidFields(process(leadId, "{\"action\": \"mark-sales-ready\", \"actor\": null}")))
        .containsExactly("actor");

    assertThat(ok(getLead(leadId)).getBoolean("salesReady")).isFalse();
    assertThat(outboxRows()).isZero();
  }

  @Test
  void anUnknownFieldIs400NamingIt() {
    act(leadId, "mark-sales-ready");

    APIGatewayV2HTTPResponse response = process(leadId, "{\"action\": \"accept-sales\", \"owner\": \"sam\"}");

    assertThat(invalidFields(response)).containsExactly("owner");
    assertThat(ok(getLead(leadId)).getBoolean("salesAccepted")).isFalse();
  }

  @Test
  void moveAndDisqualifyNeedTheirArguments() {
    assertThat(invalidFields(process(leadId, "{\"action\": \"move\", \"reason\": \"call booked\"}")))
        .containsExactly("stage");
    assertThat(invalidFields(process(leadId,
        "{\"action\": \"move\", \"stage\": \"negotiation\", \"reason\": \"call booked\"}"))).containsExactly("stage");
    assertThat(invalidFields(process(leadId, "{\"action\": \"move\", \"stage\": \"telemarketing_qualification\"}")))
        .containsExactly("reason");
    assertThat(invalidFields(process(leadId, "{\"action\": \"disqualify\"}"))).containsExactly("reason");

    assertThat(ok(getLead(leadId)).getJsonArray("timeline")).hasSize(1);
  }

  @Test
  void anUnknownOrMalformedLeadIs404() {
    assertProblem(process(UUID.randomUUID().toString(), "{\"action\": \"mark-sales-ready\"}"), 404);
    assertProblem(process("not-a-uuid", "{\"action\": \"mark-sales-ready\"}"), 404);
    assertThat(outboxRows()).isZero();
  }

  @Test
  void theSignedInUsersNameIsTheActorNeverTheSubjectNorTheBodysName() {
    APIGatewayV2HTTPEvent event = processEvent(leadId)
        .jwtSubject("3f1c9a52-8b6e-4d1f-9c3a-7e2b5d4a6f10")
        .claim("email", "maria@example.com")
        .claim("cognito:groups", "[marketing]")
        .json("{\"action\": \"mark-telemarketing-ready\", \"actor\": \"mallory\"}")
        .build();
    assertThat(event.getRequestContext().getAuthorizer().getJwt().getClaims())
        .containsEntry("sub", "3f1c9a52-8b6e-4d1f-9c3a-7e2b5d4a6f10");

    JsonObject lead = ok(call(event));

    assertThat(lead.getString("stage")).isEqualTo("telemarketing_acceptance");
    assertThat(timeline(lead)).containsExactly("stage null->inquiry api created",
        "stage inquiry->telemarketing_acceptance maria@example.com mark-telemarketing-ready",
        "telemarketingReady false->true maria@example.com mark-telemarketing-ready");
    assertThat(rows("SELECT payload->>'actor' AS actor FROM outbox"))
        .extracting(r -> r.getString("actor")).containsOnly("maria@example.com").hasSize(2);
  }

  @Test
  void anActionOutsideTheCallersRolesIs403NamingTheRolesAndChangesNothing() {
    JsonObject problem = assertProblem(call(processEvent(leadId).claim("name", "Sam Sales").roles("sales")
        .json("{\"action\": \"mark-telemarketing-ready\"}").build()), 403);

    assertThat(problem.getString("type")).isEqualTo("urn:leadcycle:problem:forbidden");
    assertThat(problem.getJsonArray("requiredRoles").getList()).containsExactly("marketing", "admin");
    assertThat(problem.getString("detail")).contains("mark-telemarketing-ready").contains("you have the role sales");
    assertThat(outboxRows()).isZero();
    assertThat(ok(getLead(leadId)).getString("stage")).isEqualTo("inquiry");
  }

  @Test
  void eachRoleMayItsOwnActions() {
    ok(call(processEvent(leadId).claim("name", "Maria").roles("marketing")
        .json("{\"action\": \"mark-telemarketing-ready\"}").build()));
    assertProblem(call(processEvent(leadId).claim("name", "Maria").roles("marketing")
        .json("{\"action\": \"accept-telemarketing\"}").build()), 403);
    JsonObject accepted = ok(call(processEvent(leadId).claim("name", "Tom").roles("telemarketing")
        .json("{\"action\": \"accept-telemarketing\"}").build()));
    assertThat(timeline(accepted)).last().asString().contains(" Tom accept-telemarketing");
    ok(call(processEvent(leadId).claim("name", "Tom").roles("telemarketing")
        .json("{\"action\": \"ready-for-sales\"}").build()));
    // A sales manager may do what sales may.
    ok(call(processEvent(leadId).claim("name", "Sue").roles("sales_manager")
        .json("{\"action\": \"accept-sales\", \"ownerId\": \"sam\"}").build()));
    assertProblem(call(processEvent(leadId).claim("name", "Tom").roles("telemarketing")
        .json("{\"action\": \"convert\"}").build()), 403);
    JsonObject converted = ok(call(processEvent(leadId).claim("name", "Sam").roles("sales")
        .json("{\"action\": \"convert\"}").build()));
    assertThat(converted.getString("status")).isEqualTo("converted");
  }

  @Test
  void aTokenWithoutAnyGroupMayNotTouchALead() {
    JsonObject problem = assertProblem(call(processEvent(leadId).claim("name", "New hire").claim("cognito:groups", "[]")
        .json("{\"action\": \"disqualify\", \"reason\": \"no\"}").build()), 403);
    assertThat(problem.getString("detail")).contains("you have no role");
    assertThat(outboxRows()).isZero();
  }

  @Test
  void withoutAJwtTheBodysActorIsTheActor() {
    JsonObject lead = ok(process(leadId, "{\"action\": \"mark-telemarketing-ready\", \"actor\": \" tina \"}"));

    assertThat(timeline(lead)).last().isEqualTo("telemarketingReady false->true tina mark-telemarketing-ready");
  }

  @Test
  void aDefaultRouteEventIsRoutedByItsRawPath() {
    APIGatewayV2HTTPEvent read = defaultRoute("GET", "/v1/leads/" + leadId).build();
    APIGatewayV2HTTPEvent act = defaultRoute("POST", "/v1/leads/" + leadId + "/process")
        .json("{\"action\": \"mark-telemarketing-ready\"}").build();
    assertThat(read.getRouteKey()).isEqualTo("$default");
    assertThat(read.getPathParameters()).isNull();

    JsonObject fetched = ok(call(read));
    JsonObject acted = ok(call(act));

    assertThat(fetched.getString("id")).isEqualTo(leadId);
    assertThat(fetched.getString("topic")).isEqualTo("Pricing request");
    assertThat(acted.getString("id")).isEqualTo(leadId);
    assertThat(acted.getString("stage")).isEqualTo("telemarketing_acceptance");
  }

  @Test
  void aDefaultRouteEventWithAnUnknownPathIs404() {
    JsonObject problem = assertProblem(call(defaultRoute("GET", "/v1/lead/" + leadId).build()), 404);

    assertThat(problem.getString("detail")).contains("/v1/lead/" + leadId);
  }

  @Test
  void aWrongMethodOnAKnownPathIs405() {
    JsonObject deleteLead = assertProblem(call(defaultRoute("DELETE", "/v1/leads/" + leadId)
        .build()), 405);
    JsonObject getProcess = assertProblem(call(defaultRoute("GET", "/v1/leads/" + leadId + "/process")
        .build()), 405);

    assertThat(deleteLead.getString("type")).isEqualTo("urn:leadcycle:problem:method-not-allowed");
    assertThat(deleteLead.getString("detail")).contains("DELETE");
    assertThat(getProcess.getString("type")).isEqualTo("urn:leadcycle:problem:method-not-allowed");
    assertThat(count("SELECT count(*) FROM leads")).isEqualTo(1);
  }

  @Test
  void aBase64EncodedJsonBodyIsDecoded() {
    APIGatewayV2HTTPEvent event = processEvent(leadId).base64Json("{\"action\": \"mark-sales-ready\"}").build();
    assertThat(event.getIsBase64Encoded()).isTrue();
    assertThat(event.getBody()).doesNotContain("action");

    JsonObject lead = ok(call(event));

    assertThat(lead.getString("stage")).isEqualTo("sales_acceptance");
    assertThat(outboxRows()).isEqualTo(2);
  }

  @Test
  void aBodyMarkedBase64ThatIsNotIs400() {
    APIGatewayV2HTTPEvent event = processEvent(leadId)
        .header("content-type", "application/json")
        .rawBody("{\"action\": \"mark-sales-ready\"}", true)
        .build();

    JsonObject problem = assertProblem(call(event), 400);

    assertThat(problem.getString("detail")).contains("base64");
    assertThat(ok(getLead(leadId)).getString("stage")).isEqualTo("inquiry");
  }

  @Test
  void aBodyThatIsNotAJsonObjectIs400AndAnotherMediaTypeIs415() {
    assertProblem(process(leadId, "{\"action\": "), 400);
    assertProblem(process(leadId, "[\"mark-sales-ready\"]"), 400);
    assertProblem(process(leadId, ""), 400);
    assertProblem(call(processEvent(leadId).body("action=mark-sales-ready".getBytes(StandardCharsets.UTF_8), true)
        .header("content-type", "application/x-www-form-urlencoded").build()), 415);

    assertThat(ok(getLead(leadId)).getString("stage")).isEqualTo("inquiry");
  }
}
