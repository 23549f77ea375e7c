package io.leadcycle.functions.leadmanagement;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.domain.ImportJob;
import io.leadcycle.domain.ImportRequest;
import io.leadcycle.domain.InteractionBatch;
import io.leadcycle.domain.TileEvent;
import io.leadcycle.http.Caller;
import io.leadcycle.imports.ImportService;
import io.leadcycle.interactions.InteractionService;
import io.leadcycle.journeys.JourneyTileService;
import io.leadcycle.rescoring.RecalculationService;
import io.leadcycle.runtime.ImportFiles;
import io.leadcycle.runtime.Metrics;
import io.leadcycle.testing.ScoringFixtures;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/privacy/contacts/{contactId}/export}: one person seeded through every source this function's tests
 * reach — two form submissions (consent given, then partly withdrawn), a file import that updates them, interactions
 * reported by another system, a journey tile, process actions and a logged call on their leads, a live scoring model's
 * scores, a delivery of one of their lead events — and the document compared, part by part, with what each source
 * wrote. Another person's data never appears in it.
 */
class PrivacyExportHandlerTest extends LeadManagementHarness {

  private static final Map<String, byte[]> FILES = new ConcurrentHashMap<>();

  /** Import files kept in memory: the import reads the file the request carried. */
  private static final ImportFiles MEMORY = new ImportFiles() {
    @Override
    public URI uploadUrl(String key, Duration validFor) {
      return URI.create("http://127.0.0.1/" + key);
    }

    @Override
    public void put(String key, byte[] content) {
      FILES.put(key, content);
    }

    @Override
    public InputStream open(String bucket, String key) {
      return open(key);
    }

    @Override
    public InputStream open(String key) {
      return new ByteArrayInputStream(FILES.get(key));
    }
  };

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  private APIGatewayV2HTTPResponse export(String contactId) {
    return call(request("GET /v1/privacy/contacts/{contactId}/export", "/v1/privacy/contacts/" + contactId + "/export")
        .pathParameter("contactId", contactId).build());
  }

  private static JsonObject byKey(JsonArray items, String key, Object value) {
    for (int i = 0; i < items.size(); i++) {
      if (value.equals(items.getJsonObject(i).getValue(key))) {
        return items.getJsonObject(i);
      }
    }
    throw new AssertionError("no item with " + key + " = " + value + " in " + items.encodePrettily());
  }

  private static List<Object> values(JsonArray items, String key) {
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      values.add(items.getJsonObject(i).getValue(key));
    }
    return values;
  }

  @Test
  void theDocumentHoldsWhatEverySourceWroteAndNothingOfAnyoneElse() {
    createPage("spring");
    createPage("webinar");
    JsonObject first = submit("spring", """
        {"submissionId": "sub-1", "fields": {"email": "ada@example.com", "firstName": "Ada", "lastName": "Lovelace",
         "phone": "+44 20 7946 0000", "companyName": "Analytical Engines", "jobTitle": "CTO",
         "favouriteColour": "blue"},
         "consent": {"newsletter": true, "marketing": true}}""");
    String ada = contactId(first);
    String springLead = leadId(first);
    String webinarLead = leadId(submit("webinar", """
        {"submissionId": "sub-2", "fields": {"email": "ada@example.com"}, "consent": {"newsletter": false}}"""));
    // Someone else, through the same sources: none of it may appear in Ada's document.
    String bobLead = leadId(submit("spring", """
        {"submissionId": "sub-3", "fields": {"email": "bob@example.org", "firstName": "Bob"},
         "consent": {"newsletter": true}}"""));

    // A file import updates her job title; one refused row of another import holds her email as a cell value.
    ImportService imports = new ImportService(TestDatabase.database(), MEMORY);
    ImportJob job = imports.createWithFile(ImportRequest.parse(Map.of("entity", "contacts", "fileName", "crm.csv")),
        "Email,Job Title\nada@example.com,Chief Scientist\nbob@example.org,Builder\n".getBytes(StandardCharsets.UTF_8));
    imports.run(job.id(), () -> MEMORY.open(ImportFiles.keyOf(job.id(), "crm.csv")), new Metrics());
    UUID refusingImport = UUID.randomUUID();
    query("INSERT INTO imports (id, entity, file_name, options, contact_strategy_id, status) VALUES"
        + " ($1, 'contacts', 'old-export.csv', '{}', 'default-contact', 'completed_with_errors')", refusingImport);
    query("INSERT INTO import_errors (import_id, row_number, column_name, value, reason) VALUES"
        + " ($1, 7, 'Email', ' ADA@example.com ', 'a duplicate of row 3 of the file'),"
        + " ($1, 8, 'Email', 'bob@example.org', 'a duplicate of row 4 of the file')", refusingImport);

    // Another system reports her page visit.
    Instant visited = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    new InteractionService(TestDatabase.database()).record(InteractionBatch.parse(new JsonObject("""
        {"interactions": [{"sourceId": "visit-1", "type": "website_visited", "email": "ada@example.com",
          "occurredAt": "%s", "context": {"id": "pricing", "name": "Pricing", "url": "https://example.com/pricing"}}]}"""
        .formatted(visited)).getMap(), Instant.now())).await();

    // A journey's tile creates a lead for her.
    JourneyTileService.Outcome tile = new JourneyTileService(TestDatabase.database()).createLead(TileEvent.parse(
        new JsonObject("""
            {"journeyId": "onboarding", "tileId": "welcome", "contactId": "%s", "createFor": "contact",
             "lead": {"topic": "Onboarding follow-up"}, "occurredAt": "%s"}""".formatted(ada, visited)).getMap(),
        Instant.now())).await();

    // Her spring lead is worked: marked ready for telemarketing, a call logged.
    act(springLead, "mark-telemarketing-ready");
    String tom = rows("INSERT INTO users (name, roles) VALUES ('Tom Caller', ARRAY['telemarketing']) RETURNING id")
        .get(0).getUUID("id").toString();
    APIGatewayV2HTTPResponse logged = call(request("POST /v1/leads/{leadId}/activities",
        "/v1/leads/" + springLead + "/activities").pathParameter("leadId", springLead).jwtSubject(tom)
        .claim("iss", Caller.LOCAL_ISSUER).claim("name", "Tom Caller").roles("telemarketing")
        .json("{\"kind\": \"call\", \"outcome\": \"reached\", \"note\": \"Ada wants a demo on Friday\"}").build());
    assertThat(logged.getStatusCode()).as(logged.getBody()).isEqualTo(201);

    // Her webinar lead is converted: sales works it as an opportunity.
    act(webinarLead, "mark-sales-ready");
    ok(process(webinarLead, "{\"action\": \"accept-sales\", \"ownerId\": \"sam\"}"));
    String opportunityId = act(webinarLead, "convert").getString("opportunityId");

    // A live model scores her leads.
    ScoringFixtures.live("""
        {"name": "Inbound", "target": "contact", "salesReadyThreshold": 1000,
         "grades": [{"name": "cold", "min": -1000, "max": 29}, {"name": "warm", "min": 30, "max": 1000}],
         "rules": [{"id": "scientist", "kind": "demographic", "field": "jobTitle", "op": "eq",
                    "value": "Chief Scientist", "points": 20},
                   {"id": "visits", "kind": "behavioral", "interaction": "website_visited", "frequency": "each",
                    "points": 10}]}""");
    new RecalculationService(TestDatabase.database(), Clock.systemUTC()).run(Duration.ofSeconds(30));

    // One of her lead events was delivered to a subscriber, failing (the dispatcher's bookkeeping, as
    // threshold notification writes it; that function is not this one's to call).
    UUID event = rows("SELECT id FROM outbox WHERE lead_id = $1 ORDER BY created_at LIMIT 1", uuid(springLead))
        .get(0).getUUID("id");
    UUID subscriber = rows("INSERT INTO subscribers (url, events, secret) VALUES ('https://crm.example.com/hook',"
        + " ARRAY['*'], 'whsec_x') RETURNING id").get(0).getUUID("id");
    query("INSERT INTO deliveries (outbox_id, subscriber_id, status, attempts, last_status, last_error) VALUES"
        + " ($1, $2, 'failed', 3, 500, 'the receiver answered 500')", event, subscriber);
    UUID bobEvent = rows("SELECT id FROM outbox WHERE lead_id = $1 LIMIT 1", uuid(bobLead)).get(0).getUUID("id");
    query("INSERT INTO deliveries (outbox_id, subscriber_id, status, attempts) VALUES ($1, $2, 'delivered', 1)",
        bobEvent, subscriber);

    // Ada in a static segment, Bob in another: only Ada's membership is hers to see.
    UUID customers = rows("INSERT INTO segments (name, kind) VALUES ('Customers', 'static') RETURNING id").get(0)
        .getUUID("id");
    UUID bobsSegment = rows("INSERT INTO segments (name, kind) VALUES ('Bob only', 'static') RETURNING id").get(0)
        .getUUID("id");
    query("INSERT INTO segment_members (segment_id, contact_id, joined_at) VALUES ($1, $2, now()), ($3, $4, now())",
        customers, uuid(ada),
        bobsSegment, rows("SELECT contact_id FROM leads WHERE id = $1", uuid(bobLead)).get(0).getUUID("contact_id"));

    APIGatewayV2HTTPResponse response = export(ada);

    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
    assertThat(response.getHeaders()).containsEntry("content-disposition",
        "attachment; filename=\"contact-" + ada + ".json\"").containsEntry("cache-control", "no-store");
    assertThat(response.getBody()).doesNotContain("bob@example.org").doesNotContain("Bob").doesNotContain(bobLead);
    JsonObject doc = body(response);
    assertThat(doc.getString("format")).isEqualTo("leadcycle-personal-data/1");
    assertThat(doc.getJsonArray("segments")).hasSize(1);
    assertThat(doc.getJsonArray("segments").getJsonObject(0).getString("id")).isEqualTo(customers.toString());
    assertThat(doc.getJsonArray("segments").getJsonObject(0).getString("name")).isEqualTo("Customers");

    // The contact: every field as the API shows it (the import's job title over the form's).
    JsonObject contact = ok(getContact(ada));
    JsonObject exported = doc.getJsonObject("contact");
    for (String field : List.of("id", "email", "firstName", "lastName", "phone", "companyName", "jobTitle", "country",
        "accountId", "attributes", "consent", "createdAt", "updatedAt")) {
      assertThat(exported.getValue(field)).as(field).isEqualTo(contact.getValue(field));
    }
    assertThat(exported.getString("jobTitle")).isEqualTo("Chief Scientist");
    assertThat(exported.getJsonObject("attributes").getMap()).isEqualTo(Map.of("favouriteColour", "blue"));
    assertThat(exported.getJsonObject("consent").getMap()).isEqualTo(Map.of("newsletter", false, "marketing", true));

    // Consent with its history: the same entries the contact shows, each from its submission.
    JsonArray history = doc.getJsonArray("consentHistory");
    assertThat(history).isEqualTo(contact.getJsonArray("consentHistory"));
    List<String> entries = new ArrayList<>();
    for (int i = 0; i < history.size(); i++) {
      JsonObject h = history.getJsonObject(i);
      entries.add(h.getString("purpose") + "=" + h.getValue("value") + " " + h.getBoolean("granted") + " "
          + h.getJsonObject("source").getString("kind") + ":" + h.getJsonObject("source").getString("id") + " "
          + h.getString("submissionId") + " " + h.getString("actor"));
    }
    assertThat(entries).containsExactly("newsletter=false false form:webinar sub-2 intake",
        "newsletter=true true form:spring sub-1 intake", "marketing=true true form:spring sub-1 intake");

    // Leads: the two from her submissions and the journey's, each with what GET /v1/leads/{id} shows of it.
    JsonArray leads = doc.getJsonArray("leads");
    assertThat(values(leads, "id")).containsExactlyInAnyOrder(springLead, webinarLead, tile.leadId().toString());
    JsonObject spring = byKey(leads, "id", springLead);
    JsonObject apiLead = ok(getLead(springLead));
    assertThat(spring.getString("stage")).isEqualTo(apiLead.getString("stage"));
    assertThat(spring.getBoolean("telemarketingReady")).isTrue();
    assertThat(spring.getJsonObject("submittedFields").getString("jobTitle")).isEqualTo("CTO");
    assertThat(spring.getString("contextId")).isEqualTo("spring");
    assertThat(values(spring.getJsonArray("timeline"), "field"))
        .isEqualTo(values(apiLead.getJsonArray("timeline"), "field"));
    assertThat(values(spring.getJsonArray("timeline"), "field")).contains("telemarketingReady", "activity");
    JsonObject call = spring.getJsonArray("activities").getJsonObject(0);
    assertThat(call.getString("kind")).isEqualTo("call");
    assertThat(call.getString("outcome")).isEqualTo("reached");
    assertThat(call.getString("note")).isEqualTo("Ada wants a demo on Friday");
    assertThat(call.getString("actor")).isEqualTo("Tom Caller");
    JsonObject score = spring.getJsonArray("scores").getJsonObject(0);
    assertThat(score.getString("modelName")).isEqualTo("Inbound");
    assertThat(score.getInteger("score")).isEqualTo(30);
    assertThat(score.getString("grade")).isEqualTo("warm");
    assertThat(score.getValue("explanation")).isEqualTo(rows("SELECT explanation FROM lead_scores WHERE lead_id = $1",
        uuid(springLead)).get(0).getValue("explanation"));
    JsonObject journeyLead = byKey(leads, "id", tile.leadId().toString());
    assertThat(journeyLead.getString("topic")).isEqualTo("Onboarding follow-up");
    assertThat(journeyLead.getString("contextKind")).isEqualTo("journey");

    // Interactions: both submissions and the reported visit, with what they carried.
    JsonArray interactions = doc.getJsonArray("interactions");
    assertThat(values(interactions, "type")).containsExactlyInAnyOrder("form_submitted", "form_submitted",
        "website_visited");
    JsonObject visit = byKey(interactions, "type", "website_visited");
    assertThat(visit.getString("occurredAt")).isEqualTo(visited.toString());
    assertThat(visit.getString("contextUrl")).isEqualTo("https://example.com/pricing");
    assertThat(byKey(interactions, "contextId", "webinar").getJsonObject("payload").getJsonObject("consent").getMap())
        .isEqualTo(Map.of("newsletter", false));

    // Submissions: both log entries, with the fields exactly as posted.
    JsonArray submissions = doc.getJsonArray("submissions");
    assertThat(values(submissions, "submissionId")).containsExactlyInAnyOrder("sub-1", "sub-2");
    JsonObject received = byKey(submissions, "submissionId", "sub-1").getJsonObject("received");
    assertThat(received.getJsonObject("fields").getMap()).containsEntry("favouriteColour", "blue")
        .containsEntry("phone", "+44 20 7946 0000").hasSize(7);
    assertThat(received.getJsonObject("consent").getMap()).isEqualTo(Map.of("newsletter", true, "marketing", true));
    assertThat(byKey(submissions, "submissionId", "sub-1").getString("formId")).isEqualTo("spring");

    // Her lead events and their delivery to the subscriber.
    JsonArray events = doc.getJsonArray("events");
    assertThat(values(events, "leadId")).doesNotContain(bobLead).contains(springLead);
    JsonObject delivered = byKey(events, "id", event.toString());
    JsonObject delivery = delivered.getJsonArray("deliveries").getJsonObject(0);
    assertThat(delivery.getString("subscriberUrl")).isEqualTo("https://crm.example.com/hook");
    assertThat(delivery.getString("status")).isEqualTo("failed");
    assertThat(delivery.getInteger("attempts")).isEqualTo(3);
    assertThat(delivery.getInteger("lastHttpStatus")).isEqualTo(500);
    assertThat(delivered.getJsonObject("payload").encode()).contains(springLead);

    // The refused import row holding her email; the journey tile she passed.
    JsonArray importErrors = doc.getJsonArray("importErrors");
    assertThat(importErrors).hasSize(1);
    assertThat(importErrors.getJsonObject(0).getLong("row")).isEqualTo(7L);
    assertThat(importErrors.getJsonObject(0).getString("fileName")).isEqualTo("old-export.csv");
    JsonObject claim = doc.getJsonArray("journeyTileClaims").getJsonObject(0);
    assertThat(claim.getString("journeyId")).isEqualTo("onboarding");
    assertThat(claim.getString("tileId")).isEqualTo("welcome");
    assertThat(claim.getString("leadId")).isEqualTo(tile.leadId().toString());
    assertThat(doc.getJsonArray("linkedInResponses")).isEmpty();
    JsonArray opportunities = doc.getJsonArray("opportunities");
    assertThat(opportunities).hasSize(1);
    assertThat(opportunities.getJsonObject(0).getString("id")).isEqualTo(opportunityId);
    assertThat(opportunities.getJsonObject(0).getString("leadId")).isEqualTo(webinarLead);
    assertThat(opportunities.getJsonObject(0).getString("ownerId")).isEqualTo("sam");
    assertThat(byKey(leads, "id", webinarLead).getString("status")).isEqualTo("converted");
  }

  @Test
  void anUnknownContactIsNotFoundAndOnlyAdminsMayExport() {
    assertProblem(export(UUID.randomUUID().toString()), 404);
    assertProblem(export("not-a-contact-id"), 404);
    createPage("spring");
    String ada = contactId(submit("spring", "{\"fields\": {\"email\": \"ada@example.com\"}}"));
    for (String role : List.of("marketing", "telemarketing", "sales", "sales_manager")) {
      APIGatewayV2HTTPResponse refused = call(request("GET /v1/privacy/contacts/{contactId}/export",
          "/v1/privacy/contacts/" + ada + "/export").pathParameter("contactId", ada)
          .jwtSubject(UUID.randomUUID().toString()).claim("iss", Caller.LOCAL_ISSUER).roles(role).build());
      assertThat(refused.getStatusCode()).as(role).isEqualTo(403);
    }
    JsonObject doc = body(export(ada));
    assertThat(doc.getJsonArray("consentHistory")).isEmpty();
    assertThat(doc.getJsonObject("contact").getValue("consent")).isNull();
  }
}
