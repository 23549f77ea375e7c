package io.leadcycle.functions.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.contacts.ContactService;
import io.leadcycle.domain.ContactInput;
import io.leadcycle.rescoring.RecalculationService;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/scoring-models/{id}/preview}: a draft scored over real leads, with the numbers the
 * recalculation later writes, and nothing written by the preview itself.
 */
class ScoringPreviewHandlerTest extends ScoringHarness {

  /** Threshold 12; C below 10, B 10-19, A from 20. A manager gets 10, each visit 2 (up to 20). */
  static final String DRAFT = """
      {"name": "Managers who visit", "target": "contact", "salesReadyThreshold": 12,
       "grades": [{"name": "C", "min": -1000, "max": 9}, {"name": "B", "min": 10, "max": 19},
                  {"name": "A", "min": 20, "max": 1000}],
       "rules": [
         {"id": "manager", "kind": "demographic", "field": "jobTitle", "op": "contains", "value": "manager", "points": 10},
         {"id": "visits", "kind": "behavioral", "interaction": "website_visited", "frequency": "each",
          "withinDays": 30, "points": 2, "maxPoints": 20}
       ]}""";

  /** The tables a preview must leave as they are. */
  static final List<String> TABLES = List.of("leads", "lead_scores", "lead_timeline", "outbox", "contacts_to_rescore",
      "scoring_models", "rescoring_partitions", "interactions", "contacts");

  UUID manager3Visits;
  UUID engineer1Visit;
  UUID managerNoVisit;
  UUID manager10Visits;
  UUID accountLead;

  @BeforeEach
  void seed() {
    TestDatabase.reset();
    manager3Visits = leadOf(contact("m3@example.com", "Marketing Manager"), 3);
    engineer1Visit = leadOf(contact("e1@example.com", "Engineer"), 1);
    managerNoVisit = leadOf(contact("m0@example.com", "Manager"), 0);
    manager10Visits = leadOf(contact("m10@example.com", "Sales manager"), 10);
    accountLead = createLead("Account only", null);
    query("UPDATE leads SET account_id = $1 WHERE id = $2", createAccount("Initech"), accountLead);
  }

  @Test
  void aDraftIsScoredOverTheNewestOpenLeadsWithItsDistributionAndBestLeads() {
    String id = createModel(DRAFT).getString("id");

    JsonObject preview = ok(preview(id, null));

    assertThat(preview.getInteger("scored")).as("the four contact leads; the account lead is not a contact model's")
        .isEqualTo(4);
    assertThat(preview.getInteger("skipped")).isZero();
    assertThat(preview.getJsonArray("distribution")).isEqualTo(new JsonArray()
        .add(grade("C", 1)).add(grade("B", 2)).add(grade("A", 1)));
    assertThat(preview.getInteger("salesReady")).as("16 and 30 reach 12").isEqualTo(2);
    JsonArray leads = preview.getJsonArray("leads");
    assertThat(leads.stream().map(l -> ((JsonObject) l).getString("id")).toList()).containsExactly(
        manager10Visits.toString(), manager3Visits.toString(), managerNoVisit.toString(), engineer1Visit.toString());
    assertThat(leads.stream().map(l -> ((JsonObject) l).getInteger("score")).toList()).containsExactly(30, 16, 10, 2);
    JsonObject best = leads.getJsonObject(0);
    assertThat(best.getString("grade")).isEqualTo("A");
    assertThat(best.getBoolean("salesReady")).isTrue();
    assertThat(best.getJsonArray("explanation")).isEqualTo(new JsonArray()
        .add(new JsonObject().put("ruleId", "manager").put("points", 10).put("occurrences", 1))
        .add(new JsonObject().put("ruleId", "visits").put("points", 20).put("occurrences", 10)));
    assertThat(leads.getJsonObject(2).getBoolean("salesReady")).isFalse();
  }

  @Test
  void aPreviewWritesNothing() {
    String id = createModel(DRAFT).getString("id");
    Map<String, String> before = snapshot();
    long outbox = count("SELECT count(*) FROM outbox");

    ok(preview(id, null));
    ok(preview(id, new JsonObject().put("leadIds", new JsonArray().add(manager10Visits.toString()))));

    assertThat(snapshot()).isEqualTo(before);
    assertThat(count("SELECT count(*) FROM lead_scores")).isZero();
    assertThat(count("SELECT count(*) FROM outbox")).isEqualTo(outbox);
    assertThat(count("SELECT count(*) FROM leads WHERE stage <> 'inquiry' OR sales_ready")).isZero();
  }

  @Test
  void thePreviewGivesTheScoresThePublishedModelThenWrites() {
    String id = createModel(DRAFT).getString("id");
    JsonArray named = new JsonArray().add(manager3Visits.toString()).add(engineer1Visit.toString())
        .add(managerNoVisit.toString()).add(manager10Visits.toString()).add(accountLead.toString());
    JsonObject preview = ok(preview(id, new JsonObject().put("leadIds", named)));
    assertThat(preview.getInteger("scored")).isEqualTo(4);
    assertThat(preview.getInteger("skipped")).as("the account lead, named").isEqualTo(1);

    ok(act(id, "publish"));
    new RecalculationService(TestDatabase.database(), Clock.systemUTC()).run(Duration.ofSeconds(30));

    Map<String, Integer> stored = new HashMap<>();
    Map<String, String> storedGrades = new HashMap<>();
    for (Row row : rows("SELECT lead_id, score, grade FROM lead_scores WHERE model_id = $1", UUID.fromString(id))) {
      stored.put(row.getUUID(0).toString(), row.getInteger(1));
      storedGrades.put(row.getUUID(0).toString(), row.getString(2));
    }
    Map<String, Integer> previewed = new LinkedHashMap<>();
    Map<String, String> previewedGrades = new HashMap<>();
    preview.getJsonArray("leads").forEach(l -> {
      previewed.put(((JsonObject) l).getString("id"), ((JsonObject) l).getInteger("score"));
      previewedGrades.put(((JsonObject) l).getString("id"), ((JsonObject) l).getString("grade"));
    });
    assertThat(stored).isEqualTo(previewed);
    assertThat(storedGrades).isEqualTo(previewedGrades);
    assertThat(count("SELECT count(*) FROM leads WHERE sales_ready")).isEqualTo(preview.getInteger("salesReady").longValue());
  }

  @Test
  void aDraftIsPreviewedAsItIsNowAfterAnEdit() {
    String id = createModel(DRAFT).getString("id");
    JsonObject edited = new JsonObject(DRAFT).put("salesReadyThreshold", 5);
    ok(putModel(id, edited.encode()));

    JsonObject preview = ok(preview(id, null));

    assertThat(preview.getInteger("salesReady")).as("10, 16 and 30 reach 5").isEqualTo(3);
  }

  @Test
  void scoresNoGradeHoldsAreCountedWithoutAGrade() {
    JsonObject narrow = new JsonObject(DRAFT);
    narrow.put("grades", new JsonArray().add(new JsonObject().put("name", "Low").put("min", 0).put("max", 15)));
    String id = createModel(narrow.encode()).getString("id");

    JsonObject preview = ok(preview(id, null));

    assertThat(preview.getJsonArray("distribution")).isEqualTo(new JsonArray()
        .add(grade("Low", 2)).add(new JsonObject().putNull("grade").put("count", 2)));
  }

  @Test
  void unknownLeadsAreNamedAndNothingIsScored() {
    String id = createModel(DRAFT).getString("id");
    String unknown = UUID.randomUUID().toString();

    APIGatewayV2HTTPResponse response = preview(id, new JsonObject().put("leadIds",
        new JsonArray().add(manager3Visits.toString()).add(unknown)));

    JsonObject problem = assertProblem(response, 400);
    assertThat(errorFields(problem)).containsExactly("leadIds[1]");
    assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("message")).contains(unknown);
  }

  @Test
  void badBodiesAreRefusedOnTheFieldTheyName() {
    String id = createModel(DRAFT).getString("id");
    assertThat(invalidFields(preview(id, new JsonObject().put("sample", 0)))).containsExactly("sample");
    assertThat(invalidFields(preview(id, new JsonObject().put("sample", 5001)))).containsExactly("sample");
    assertThat(invalidFields(preview(id, new JsonObject().put("sample", 10)
        .put("leadIds", new JsonArray().add(manager3Visits.toString()))))).containsExactly("sample");
    assertThat(invalidFields(preview(id, new JsonObject().put("leadIds", new JsonArray())))).containsExactly("leadIds");
    assertThat(invalidFields(preview(id, new JsonObject().put("leadIds", new JsonArray().add("nope")))))
        .containsExactly("leadIds[0]");
    assertThat(invalidFields(preview(id, new JsonObject().put("grades", 1)))).containsExactly("grades");
  }

  @Test
  void aSampleTakesTheNewestLeads() {
    String id = createModel(DRAFT).getString("id");

    JsonObject preview = ok(preview(id, new JsonObject().put("sample", 2)));

    assertThat(preview.getInteger("scored")).isEqualTo(2);
    assertThat(preview.getJsonArray("leads").stream().map(l -> ((JsonObject) l).getString("id")).toList())
        .as("the two made last").containsExactlyInAnyOrder(manager10Visits.toString(), managerNoVisit.toString());
  }

  @Test
  void anUnknownModelIsNotFound() {
    assertProblem(preview(UUID.randomUUID().toString(), null), 404);
  }

  // ---- helpers ----

  APIGatewayV2HTTPResponse preview(String id, JsonObject body) {
    var event = request("POST /v1/scoring-models/{modelId}/preview", "/v1/scoring-models/" + id + "/preview")
        .pathParameter("modelId", id);
    return call((body == null ? event : event.json(body.encode())).build());
  }

  static JsonObject grade(String name, int count) {
    return new JsonObject().put("grade", name).put("count", count);
  }

  static UUID contact(String email, String jobTitle) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("email", email);
    fields.put("jobTitle", jobTitle);
    return new ContactService(TestDatabase.database()).create(ContactInput.parse(fields)).await().id();
  }

  /** A lead of the contact, who visited the website {@code visits} times in the last days. */
  UUID leadOf(UUID contactId, int visits) {
    UUID lead = createLead("Website", contactId);
    if (visits > 0) {
      JsonArray items = new JsonArray();
      for (int i = 0; i < visits; i++) {
        items.add(interaction(contactId + "-" + i, "website_visited", contactId.toString(),
            Instant.now().minus(Duration.ofDays(1)).minusSeconds(i).toString()));
      }
      record(items);
    }
    return lead;
  }

  /** Each table's rows, as text, hashed: any write shows. */
  static Map<String, String> snapshot() {
    Map<String, String> hashes = new LinkedHashMap<>();
    for (String table : TABLES) {
      hashes.put(table, row("SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM " + table + " t")
          .getString(0));
    }
    return hashes;
  }
}
