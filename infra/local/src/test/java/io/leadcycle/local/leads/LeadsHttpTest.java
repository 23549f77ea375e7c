package io.leadcycle.local.leads;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/leads} and {@code PATCH /v1/leads/{id}} through the local server. */
class LeadsHttpTest extends LeadApiTestBase {

  @Test
  void aLeadWithoutParentsIsCreatedInInquiryAndSaysWhyItCannotBeScored() {
    Reply reply = post("/v1/leads", new JsonObject().put("topic", "Fleet telematics").put("context", manualContext())
        .put("actor", "marta"));

    JsonObject lead = created(reply);
    assertThat(UUID.fromString(lead.getString("id"))).isNotNull();
    assertThat(lead.getString("topic")).isEqualTo("Fleet telematics");
    assertThat(lead.getJsonObject("context")).isEqualTo(manualContext());
    assertThat(lead.getString("contactId")).isNull();
    assertThat(lead.getString("accountId")).isNull();
    assertThat(lead.getString("stage")).isEqualTo("inquiry");
    assertThat(lead.getString("status")).isEqualTo("open");
    assertThat(lead.getBoolean("salesReady")).isFalse();
    assertThat(lead.getBoolean("telemarketingReady")).isFalse();
    assertThat(lead.getBoolean("telemarketingAccepted")).isFalse();
    assertThat(lead.getBoolean("salesAccepted")).isFalse();
    assertThat(lead.getString("ownerId")).isNull();
    assertThat(lead.getJsonObject("qualification")).isEmpty();
    assertThat(lead.getJsonArray("scores")).isEmpty();
    assertThat(lead.getString("unscorableReason")).contains("neither a contact nor an account");
    assertThat(timelineFrom(lead, 0)).containsExactly("stage:null->inquiry|marta|created");

    assertThat(lead(lead.getString("id"))).isEqualTo(lead);
    assertThat(count("SELECT count(*) FROM leads")).isEqualTo(1);
  }

  @Test
  void aLeadWithAContactOrAnAccountIsScorable() {
    String contactId = createContact("buyer@example.com").getString("id");
    String accountId = createAccount("Buyer GmbH").getString("id");

    JsonObject withContact = created(post("/v1/leads", new JsonObject().put("topic", "CRM").put("contactId", contactId)
        .put("context", new JsonObject().put("kind", "campaign").put("id", "c-1").put("name", "Spring"))));
    JsonObject withAccount = created(post("/v1/leads", new JsonObject().put("topic", "ERP").put("accountId", accountId)
        .put("context", new JsonObject().put("kind", "event").put("id", "e-1"))));

    assertThat(withContact.getString("contactId")).isEqualTo(contactId);
    assertThat(withContact.getString("unscorableReason")).isNull();
    assertThat(withContact.getString("stage")).isEqualTo("inquiry");
    assertThat(timelineFrom(withContact, 0)).containsExactly("stage:null->inquiry|admin|created");
    assertThat(withAccount.getString("accountId")).isEqualTo(accountId);
    assertThat(withAccount.getString("unscorableReason")).isNull();
    assertThat(ok(get("/v1/contacts/" + contactId)).getJsonArray("leadIds")).containsExactly(withContact.getString("id"));
  }

  @Test
  void unknownParentsAndBadContextsAreInvalidAndWriteNothing() {
    assertInvalid(post("/v1/leads", new JsonObject().put("topic", "T").put("contactId", UUID.randomUUID().toString())
        .put("context", manualContext())), "contactId");
    assertInvalid(post("/v1/leads", new JsonObject().put("topic", "T").put("accountId", UUID.randomUUID().toString())
        .put("context", manualContext())), "accountId");
    assertInvalid(post("/v1/leads", new JsonObject().put("topic", "T")
        .put("context", new JsonObject().put("kind", "carrier_pigeon"))), "context.kind");
    assertInvalid(post("/v1/leads", new JsonObject().put("topic", "T")), "context");
    assertInvalid(post("/v1/leads", new JsonObject().put("context", manualContext())), "topic");
    assertInvalid(post("/v1/leads", new JsonObject().put("topic", "T").put("context", manualContext())
        .put("stage", "sales_acceptance")), "stage");

    assertThat(count("SELECT count(*) FROM leads")).isZero();
    assertThat(timelineRows()).isZero();
  }

  @Test
  void patchLinksAContactAndRecordsWhoDidIt() {
    String leadId = created(post("/v1/leads", new JsonObject().put("topic", "Orphan").put("context", manualContext())))
        .getString("id");
    String contactId = createContact("found@example.com").getString("id");

    JsonObject patched = ok(patch("/v1/leads/" + leadId, new JsonObject().put("contactId", contactId)
        .put("actor", "alice")));

    assertThat(patched.getString("contactId")).isEqualTo(contactId);
    assertThat(patched.getString("unscorableReason")).isNull();
    assertThat(patched.getString("stage")).isEqualTo("inquiry");
    assertThat(timelineFrom(patched, 1)).containsExactly("contactId:null->" + contactId + "|alice|edited");
    assertThat(lead(leadId)).isEqualTo(patched);
    assertThat(ok(get("/v1/contacts/" + contactId)).getJsonArray("leadIds")).containsExactly(leadId);

    JsonObject unlinked = ok(patch("/v1/leads/" + leadId, new JsonObject().putNull("contactId")));
    assertThat(unlinked.getString("contactId")).isNull();
    assertThat(unlinked.getString("unscorableReason")).isNotNull();
    assertThat(timelineFrom(unlinked, 2)).containsExactly("contactId:" + contactId + "->null|admin|edited");
  }

  @Test
  void patchMergesQualificationFindings() {
    String leadId = createLead("Qualify me").getString("id");

    JsonObject first = ok(patch("/v1/leads/" + leadId, new JsonObject().put("qualification",
        new JsonObject().put("budget", "50k EUR").put("need", "CRM replacement"))));
    assertThat(first.getJsonObject("qualification"))
        .isEqualTo(new JsonObject().put("budget", "50k EUR").put("need", "CRM replacement"));

    JsonObject second = ok(patch("/v1/leads/" + leadId, new JsonObject().put("qualification", new JsonObject()
        .put("authority", "CFO signs").put("timeframe", "Q3").put("notes", "call back Tuesday").putNull("budget"))));
    assertThat(second.getJsonObject("qualification")).isEqualTo(new JsonObject().put("need", "CRM replacement")
        .put("authority", "CFO signs").put("timeframe", "Q3").put("notes", "call back Tuesday"));
    assertThat(lead(leadId).getJsonObject("qualification")).isEqualTo(second.getJsonObject("qualification"));
    assertThat(second.getString("topic")).isEqualTo("Qualify me");
    assertThat(second.getJsonArray("timeline")).hasSize(1); // findings are not process moves

    JsonObject before = lead(leadId);
    assertInvalid(patch("/v1/leads/" + leadId, new JsonObject().put("qualification",
        new JsonObject().put("mood", "sunny").put("notes", "should not be written"))), "qualification.mood");
    assertInvalid(patch("/v1/leads/" + leadId, new JsonObject().put("qualification", "all good")), "qualification");
    assertInvalid(patch("/v1/leads/" + leadId, new JsonObject().put("stage", "sales_acceptance")), "stage");
    Reply empty = patch("/v1/leads/" + leadId, new JsonObject());
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.detail()).contains("empty patch");
    assertInvalid(patch("/v1/leads/" + leadId, new JsonObject().put("contactId", UUID.randomUUID().toString())),
        "contactId");
    assertThat(lead(leadId)).isEqualTo(before);
  }

  @Test
  void patchRenamesTheTopicOnTheTimeline() {
    String leadId = createLead("Old topic").getString("id");

    JsonObject patched = ok(patch("/v1/leads/" + leadId, new JsonObject().put("topic", "New topic")));

    assertThat(patched.getString("topic")).isEqualTo("New topic");
    assertThat(timelineFrom(patched, 1)).containsExactly("topic:Old topic->New topic|admin|edited");
  }

  @Test
  void closedLeadsCannotBeEdited() {
    String converted = createLead("Won").getString("id");
    act(converted, "mark-sales-ready");
    acceptSales(converted, "sam");
    act(converted, "convert");
    String disqualified = createLead("Lost").getString("id");
    ok(process(disqualified, new JsonObject().put("action", "disqualify").put("reason", "no budget")));
    JsonObject convertedBefore = lead(converted);
    JsonObject disqualifiedBefore = lead(disqualified);
    long timeline = timelineRows();

    Reply onConverted = patch("/v1/leads/" + converted, new JsonObject().put("topic", "Changed")
        .put("qualification", new JsonObject().put("notes", "late")));
    Reply onDisqualified = patch("/v1/leads/" + disqualified, new JsonObject().put("topic", "Changed"));

    assertProblem(onConverted, 409);
    assertThat(onConverted.detail()).contains("converted");
    assertProblem(onDisqualified, 409);
    assertThat(onDisqualified.detail()).contains("disqualified");
    assertThat(lead(converted)).isEqualTo(convertedBefore);
    assertThat(lead(disqualified)).isEqualTo(disqualifiedBefore);
    assertThat(timelineRows()).isEqualTo(timeline);
  }

  @Test
  void unknownLeadsAreNotFound() {
    assertProblem(get("/v1/leads/" + UUID.randomUUID()), 404);
    assertProblem(get("/v1/leads/nope"), 404);
    assertProblem(patch("/v1/leads/" + UUID.randomUUID(), new JsonObject().put("topic", "x")), 404);
    assertProblem(patch("/v1/leads/nope", new JsonObject().put("topic", "x")), 404);
  }
}
