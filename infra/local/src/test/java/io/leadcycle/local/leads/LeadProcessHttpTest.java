package io.leadcycle.local.leads;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every process action through {@code POST /v1/leads/{id}/process}: what a success changes (stage, flags,
 * owner, status, timeline, outbox, opportunity) and that a refusal changes nothing at all.
 */
class LeadProcessHttpTest extends LeadApiTestBase {

  /** Sends {@code body} and asserts it is refused with {@code status} and that nothing was written. */
  private static Reply assertRefused(String leadId, JsonObject body, int status) {
    JsonObject before = lead(leadId);
    long timeline = timelineRows();
    long outbox = outboxRows();
    long opportunities = count("SELECT count(*) FROM opportunities");

    Reply reply = process(leadId, body);

    assertProblem(reply, status);
    assertThat(lead(leadId)).as("the lead after a refused %s", body).isEqualTo(before);
    assertThat(timelineRows()).isEqualTo(timeline);
    assertThat(outboxRows()).isEqualTo(outbox);
    assertThat(count("SELECT count(*) FROM opportunities")).isEqualTo(opportunities);
    return reply;
  }

  private static Reply assertConflict(String leadId, JsonObject body, String detail) {
    Reply reply = assertRefused(leadId, body, 409);
    assertThat(reply.detail()).contains(detail);
    return reply;
  }

  private static void assertConflict(String leadId, String action, String detail) {
    assertConflict(leadId, new JsonObject().put("action", action), detail);
  }

  private static void assertInvalidAction(String leadId, JsonObject body, String field) {
    Reply reply = assertRefused(leadId, body, 400);
    assertThat(reply.errorFields()).contains(field);
  }

  /** The outbox rows process actions wrote for one lead (not its lead.created) as "type stage" lines. */
  private static List<String> outbox(String leadId) {
    return rows("SELECT type, payload->'lead'->>'id' AS id, payload->'lead'->>'stage' AS stage FROM outbox WHERE lead_id = $1"
        + " AND type <> 'lead.created' ORDER BY type", uuid(leadId)).stream()
        .map(row -> {
          assertThat(row.getString("id")).isEqualTo(leadId);
          return row.getString("type") + " " + row.getString("stage");
        })
        .toList();
  }

  private static void assertFlags(JsonObject lead, String stage, boolean tmReady, boolean tmAccepted,
      boolean salesReady, boolean salesAccepted, String ownerId, String status) {
    assertThat(lead.getString("stage")).isEqualTo(stage);
    assertThat(lead.getBoolean("telemarketingReady")).as("telemarketingReady").isEqualTo(tmReady);
    assertThat(lead.getBoolean("telemarketingAccepted")).as("telemarketingAccepted").isEqualTo(tmAccepted);
    assertThat(lead.getBoolean("salesReady")).as("salesReady").isEqualTo(salesReady);
    assertThat(lead.getBoolean("salesAccepted")).as("salesAccepted").isEqualTo(salesAccepted);
    assertThat(lead.getString("ownerId")).as("ownerId").isEqualTo(ownerId);
    assertThat(lead.getString("status")).as("status").isEqualTo(status);
  }

  // ---- the telemarketing path ------------------------------------------------------------------------

  @Test
  void theTelemarketingPathEndsInAnOpportunity() {
    JsonObject created = createLead("Telematics for 40 trucks");
    String id = created.getString("id");
    String contactId = created.getString("contactId");

    JsonObject ready = ok(process(id, new JsonObject().put("action", "mark-telemarketing-ready").put("actor", "mia")));
    assertFlags(ready, "telemarketing_acceptance", true, false, false, false, null, "open");
    assertThat(timelineFrom(ready, 1)).containsExactly(
        "stage:inquiry->telemarketing_acceptance|mia|mark-telemarketing-ready",
        "telemarketingReady:false->true|mia|mark-telemarketing-ready");
    assertThat(lead(id)).isEqualTo(ready);

    JsonObject accepted = ok(process(id, new JsonObject().put("action", "accept-telemarketing").put("actor", "tom")
        .put("reason", "meets the call criteria")));
    assertFlags(accepted, "telemarketing_qualification", true, true, false, false, null, "open");
    assertThat(timelineFrom(accepted, 3)).containsExactly(
        "stage:telemarketing_acceptance->telemarketing_qualification|tom|meets the call criteria",
        "telemarketingAccepted:false->true|tom|meets the call criteria",
        // accepting makes the telemarketer the lead's owner (a user of the local server)
        "owner:null->tom|tom|meets the call criteria");

    JsonObject forSales = ok(process(id, new JsonObject().put("action", "ready-for-sales").put("actor", "tom")));
    assertFlags(forSales, "sales_acceptance", true, true, true, false, null, "open");
    assertThat(timelineFrom(forSales, 6)).containsExactly(
        "stage:telemarketing_qualification->sales_acceptance|tom|ready-for-sales",
        "salesReady:false->true|tom|ready-for-sales");

    JsonObject owned = ok(process(id, new JsonObject().put("action", "accept-sales").put("ownerId", " sam ")
        .put("actor", "manager")));
    assertFlags(owned, "sales_acceptance", true, true, true, true, "sam", "open");
    assertThat(timelineFrom(owned, 8)).containsExactly(
        "salesAccepted:false->true|manager|accept-sales",
        "ownerId:null->sam|manager|accept-sales");
    assertThat(owned.getString("opportunityId")).isNull();
    assertThat(count("SELECT count(*) FROM opportunities")).isZero();

    JsonObject converted = ok(process(id, new JsonObject().put("action", "convert").put("actor", "sam")));
    assertFlags(converted, "sales_acceptance", true, true, true, true, "sam", "converted");
    assertThat(timelineFrom(converted, 10)).containsExactly("status:open->converted|sam|convert");
    List<Row> opportunities = rows("SELECT id, lead_id, topic, contact_id, owner_id, status FROM opportunities");
    assertThat(opportunities).hasSize(1);
    Row opportunity = opportunities.get(0);
    assertThat(opportunity.getUUID("lead_id")).isEqualTo(uuid(id));
    assertThat(opportunity.getString("topic")).isEqualTo("Telematics for 40 trucks");
    assertThat(opportunity.getUUID("contact_id")).isEqualTo(uuid(contactId));
    assertThat(opportunity.getString("owner_id")).isEqualTo("sam");
    assertThat(opportunity.getString("status")).isEqualTo("open");
    assertThat(converted.getString("opportunityId")).isEqualTo(opportunity.getUUID("id").toString());
    assertThat(lead(id)).isEqualTo(converted);
    // a converted lead no longer counts among its contact's open leads
    assertThat(ok(get("/v1/contacts/" + contactId)).getJsonArray("leadIds")).isEmpty();

    assertThat(outbox(id)).containsExactlyInAnyOrder(
        "lead.stage_changed telemarketing_acceptance", "lead.telemarketing_ready telemarketing_acceptance",
        "lead.stage_changed telemarketing_qualification", "lead.assigned telemarketing_qualification",
        "lead.stage_changed sales_acceptance", "lead.sales_ready sales_acceptance",
        "lead.converted sales_acceptance");
  }

  @Test
  void markSalesReadyJumpsFromInquiryStraightToSalesAcceptance() {
    String id = createLead("Hot lead").getString("id");

    JsonObject ready = ok(process(id, new JsonObject().put("action", "mark-sales-ready").put("actor", "scorer")));

    assertFlags(ready, "sales_acceptance", false, false, true, false, null, "open");
    assertThat(timelineFrom(ready, 1)).containsExactly(
        "stage:inquiry->sales_acceptance|scorer|mark-sales-ready",
        "salesReady:false->true|scorer|mark-sales-ready");
    assertConflict(id, "mark-sales-ready", "already sales-ready");
    assertConflict(id, "mark-telemarketing-ready", "skips telemarketing");
    assertConflict(id, "accept-telemarketing", "telemarketing_acceptance");
    assertConflict(id, "ready-for-sales", "telemarketing_qualification");
  }

  @Test
  void markSalesReadyFromTelemarketingAcceptanceKeepsTheTelemarketingFlags() {
    String id = createLead("Warm lead").getString("id");
    act(id, "mark-telemarketing-ready");

    JsonObject ready = act(id, "mark-sales-ready");

    assertFlags(ready, "sales_acceptance", true, false, true, false, null, "open");
  }

  // ---- refusals -------------------------------------------------------------------------------------------

  @Test
  void acceptSalesNeedsAnOwnerAndASalesReadyLead() {
    String id = createLead("Needs owner").getString("id");

    assertConflict(id, new JsonObject().put("action", "accept-sales").put("ownerId", "sam"), "not sales-ready");
    act(id, "mark-sales-ready");
    assertInvalidAction(id, new JsonObject().put("action", "accept-sales"), "ownerId");
    assertInvalidAction(id, new JsonObject().put("action", "accept-sales").put("ownerId", "   "), "ownerId");
    assertInvalidAction(id, new JsonObject().put("action", "accept-sales").put("ownerId", 42), "ownerId");
    acceptSales(id, "sam");
    assertConflict(id, new JsonObject().put("action", "accept-sales").put("ownerId", "other"),
        "already accepted by sales (owner sam)");
  }

  @Test
  void convertNeedsSalesAcceptance() {
    String id = createLead("Too early").getString("id");

    assertConflict(id, "convert", "Only a lead accepted by sales");
    act(id, "mark-sales-ready");
    assertConflict(id, "convert", "Only a lead accepted by sales");
    assertThat(count("SELECT count(*) FROM opportunities")).isZero();
  }

  @Test
  void telemarketingStepsMustComeInOrder() {
    String id = createLead("Out of order").getString("id");

    assertConflict(id, "accept-telemarketing", "the lead is in inquiry");
    assertConflict(id, "ready-for-sales", "the lead is in inquiry");
    act(id, "mark-telemarketing-ready");
    assertConflict(id, "mark-telemarketing-ready", "already telemarketing-ready");
    assertConflict(id, "ready-for-sales", "the lead is in telemarketing_acceptance");
    act(id, "accept-telemarketing");
    assertConflict(id, "accept-telemarketing", "the lead is in telemarketing_qualification");
  }

  @Test
  void disqualifyNeedsAReasonAndClosesTheLead() {
    String id = createLead("Not a fit").getString("id");
    act(id, "mark-telemarketing-ready");

    assertInvalidAction(id, new JsonObject().put("action", "disqualify"), "reason");
    assertInvalidAction(id, new JsonObject().put("action", "disqualify").put("reason", "  "), "reason");
    JsonObject disqualified = ok(process(id, new JsonObject().put("action", "disqualify")
        .put("reason", " student, no budget ").put("actor", "tom")));

    assertFlags(disqualified, "telemarketing_acceptance", true, false, false, false, null, "disqualified");
    assertThat(disqualified.getString("disqualificationReason")).isEqualTo("student, no budget");
    assertThat(timelineFrom(disqualified, 3)).containsExactly("status:open->disqualified|tom|student, no budget");
    assertThat(outbox(id)).contains("lead.disqualified telemarketing_acceptance");
    assertThat(lead(id)).isEqualTo(disqualified);

    assertConflict(id, "accept-telemarketing", "disqualified");
    assertConflict(id, new JsonObject().put("action", "disqualify").put("reason", "again"), "disqualified");
    assertConflict(id, new JsonObject().put("action", "move").put("stage", "inquiry").put("reason", "reopen"),
        "disqualified");
  }

  @Test
  void moveSetsAnyStageAndKeepsTheFlagsInLine() {
    String id = createLead("Moved by hand").getString("id");

    JsonObject forward = ok(process(id, new JsonObject().put("action", "move").put("stage", "telemarketing_qualification")
        .put("reason", "called us back").put("actor", "tom")));
    assertFlags(forward, "telemarketing_qualification", true, true, false, false, null, "open");
    assertThat(timelineFrom(forward, 1)).containsExactly(
        "stage:inquiry->telemarketing_qualification|tom|called us back",
        "telemarketingReady:false->true|tom|called us back",
        "telemarketingAccepted:false->true|tom|called us back");
    assertThat(outbox(id)).containsExactlyInAnyOrder("lead.stage_changed telemarketing_qualification",
        "lead.telemarketing_ready telemarketing_qualification");

    act(id, "ready-for-sales");
    acceptSales(id, "sam");
    JsonObject back = ok(process(id, new JsonObject().put("action", "move").put("stage", "inquiry")
        .put("reason", "wrong person").put("actor", "boss")));
    assertFlags(back, "inquiry", false, false, false, false, null, "open");
    assertThat(timelineFrom(back, 8)).containsExactly(
        "stage:sales_acceptance->inquiry|boss|wrong person",
        "telemarketingReady:true->false|boss|wrong person",
        "telemarketingAccepted:true->false|boss|wrong person",
        "salesReady:true->false|boss|wrong person",
        "salesAccepted:true->false|boss|wrong person",
        "ownerId:sam->null|boss|wrong person");

    assertInvalidAction(id, new JsonObject().put("action", "move").put("stage", "negotiation").put("reason", "x"),
        "stage");
    assertInvalidAction(id, new JsonObject().put("action", "move").put("reason", "x"), "stage");
    assertInvalidAction(id, new JsonObject().put("action", "move").put("stage", "sales_acceptance"), "reason");
    Reply same = assertConflict(id, new JsonObject().put("action", "move").put("stage", "inquiry").put("reason", "x"),
        "already in inquiry");
    assertThat(same.body().getString("type")).isNotBlank();
  }

  @Test
  void aConvertedLeadTakesNoMoreActions() {
    String id = createLead("Done deal").getString("id");
    act(id, "mark-sales-ready");
    acceptSales(id, "sam");
    act(id, "convert");

    for (String action : List.of("mark-telemarketing-ready", "accept-telemarketing", "ready-for-sales",
        "mark-sales-ready", "convert")) {
      assertConflict(id, action, "converted");
    }
    assertConflict(id, new JsonObject().put("action", "accept-sales").put("ownerId", "other"), "converted");
    assertConflict(id, new JsonObject().put("action", "disqualify").put("reason", "changed mind"), "converted");
    assertConflict(id, new JsonObject().put("action", "move").put("stage", "inquiry").put("reason", "redo"),
        "converted");
    assertThat(count("SELECT count(*) FROM opportunities")).isEqualTo(1);
  }

  @Test
  void unknownActionsAndLeadsAreRefused() {
    String id = createLead("Whatever").getString("id");

    assertInvalidAction(id, new JsonObject().put("action", "promote"), "action");
    assertInvalidAction(id, new JsonObject().put("action", "first-scored"), "action");
    assertInvalidAction(id, new JsonObject(), "action");
    assertInvalidAction(id, new JsonObject().put("action", 7), "action");

    Reply unknown = process(UUID.randomUUID().toString(), "mark-sales-ready");
    assertProblem(unknown, 404);
    assertProblem(process("not-a-uuid", "mark-sales-ready"), 404);
    assertThat(outboxRows()).isZero();
  }

  @Test
  void aNulCharacterInLeadTextIsInvalidInputNotAServerError() {
    String id = createLead("Clean").getString("id");
    assertInvalid(post("/v1/leads", new JsonObject().put("topic", "a\u0000b").put("context", manualContext())), "topic");
    assertInvalid(patch("/v1/leads/" + id, new JsonObject().put("qualification",
        new JsonObject().put("notes", "a\u0000b"))), "qualification.notes");
    assertInvalidAction(id, new JsonObject().put("action", "disqualify").put("reason", "a\u0000b"), "reason");
    assertInvalidAction(id, new JsonObject().put("action", "mark-sales-ready").put("actor", "a\u0000b"), "actor");
    assertThat(count("SELECT count(*) FROM leads")).isEqualTo(1);
  }

  // ---- the outbox --------------------------------------------------------------------------------------

  @Test
  void markTelemarketingReadyWritesItsEventsWithTheLeadAsPayload() {
    String id = createLead("Outbox TM").getString("id");
    assertThat(outboxRows()).isZero();

    JsonObject lead = act(id, "mark-telemarketing-ready");

    assertThat(outbox(id)).containsExactlyInAnyOrder("lead.telemarketing_ready telemarketing_acceptance",
        "lead.stage_changed telemarketing_acceptance");
    assertThat(outboxRows()).isEqualTo(2);
    List<Row> payloads = rows("SELECT payload FROM outbox WHERE lead_id = $1 AND type <> 'lead.created'", uuid(id));
    for (Row row : payloads) {
      JsonObject payload = row.getJsonObject("payload").getJsonObject("lead");
      assertThat(payload.getBoolean("telemarketingReady")).isTrue();
      assertThat(payload.getString("updatedAt")).isEqualTo(lead.getString("updatedAt"));
      assertThat(payload.containsKey("timeline")).isFalse();
      JsonObject withoutTimeline = lead.copy();
      withoutTimeline.remove("timeline");
      assertThat(payload).isEqualTo(withoutTimeline);
    }
  }

  @Test
  void markSalesReadyWritesItsEventsWithTheLeadAsPayload() {
    String id = createLead("Outbox SR").getString("id");

    act(id, "mark-sales-ready");

    assertThat(outbox(id)).containsExactlyInAnyOrder("lead.sales_ready sales_acceptance",
        "lead.stage_changed sales_acceptance");
    assertThat(count("SELECT count(*) FROM outbox WHERE (payload->'lead'->>'salesReady')::boolean")).isEqualTo(2);
  }

  @Test
  void aRefusedActionWritesNoEvents() {
    String id = createLead("Outbox refused").getString("id");
    act(id, "mark-sales-ready");
    long before = outboxRows();

    assertThat(process(id, "mark-sales-ready").status()).isEqualTo(409);
    assertThat(process(id, "mark-telemarketing-ready").status()).isEqualTo(409);
    assertThat(process(id, new JsonObject().put("action", "accept-sales")).status()).isEqualTo(400);

    assertThat(outboxRows()).isEqualTo(before).isEqualTo(2);
  }
}
