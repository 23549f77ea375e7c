package io.leadcycle.functions.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scoring-model routes through the handler: create, read, list, replace, publish, retire, copy. */
class ScoringModelsHandlerTest extends ScoringHarness {

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  @Test
  void postCreatesADraftThatGetShowsTheSame() {
    JsonObject model = createModel(MODEL);

    assertThat(UUID.fromString(model.getString("id"))).isNotNull();
    assertThat(model.getString("name")).isEqualTo("Webinar interest");
    assertThat(model.getString("target")).isEqualTo("contact");
    assertThat(model.getString("status")).isEqualTo("draft");
    assertThat(model.getInteger("salesReadyThreshold")).isEqualTo(50);
    assertThat(model.getJsonArray("grades")).hasSize(3);
    assertThat(model.getJsonArray("grades").getJsonObject(2).getString("name")).isEqualTo("A");
    assertThat(model.containsKey("minimumConsent")).isTrue();
    assertThat(model.getValue("minimumConsent")).isNull();
    assertThat(model.getJsonArray("rules")).hasSize(3);
    assertThat(model.getJsonArray("rules").getJsonObject(2).getString("id")).isEqualTo("visits");
    assertThat(model.getValue("copiedFrom")).isNull();
    assertThat(model.getString("createdAt")).isNotBlank();
    assertThat(model.getString("updatedAt")).isNotBlank();
    assertThat(model.getValue("publishedAt")).isNull();
    assertThat(model.getValue("retiredAt")).isNull();
    assertThat(model.getJsonObject("rescoring")).isEqualTo(new JsonObject().put("status", "idle").put("leadsScored", 0)
        .putNull("startedAt").putNull("finishedAt"));
    assertThat(model.fieldNames()).containsExactlyInAnyOrder("id", "name", "target", "status", "salesReadyThreshold",
        "grades", "minimumConsent", "rules", "copiedFrom", "createdAt", "updatedAt", "publishedAt", "retiredAt",
        "rescoring");

    assertThat(ok(getModel(model.getString("id")))).isEqualTo(model);
    assertThat(count("SELECT count(*) FROM scoring_models WHERE status = 'draft'")).isEqualTo(1);
  }

  @Test
  void aModelWithBadRulesIsRejectedWithOneErrorPerFault() {
    JsonObject bad = new JsonObject(MODEL);
    JsonArray rules = bad.getJsonArray("rules");
    rules.getJsonObject(0).put("op", "resembles");
    rules.getJsonObject(2).put("withinDays", 0).put("maxPoints", -20);
    bad.getJsonArray("grades").getJsonObject(1).put("min", 10); // overlaps C (up to 19)

    APIGatewayV2HTTPResponse response = postModel(bad.encode());

    List<String> fields = invalidFields(response);
    assertThat(fields).contains("rules[0].op", "rules[2].withinDays", "rules[2].maxPoints");
    assertThat(fields).anySatisfy(field -> assertThat(field).startsWith("grades"));
    assertThat(fields).as("one entry per fault").doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(4);
    assertThat(count("SELECT count(*) FROM scoring_models")).isZero();
  }

  @Test
  void aModelMovesFromDraftToLiveToRetiredAndNoOtherWay() {
    String id = createModel(MODEL).getString("id");
    assertProblem(act(id, "retire"), 409);

    JsonObject live = ok(act(id, "publish"));
    assertThat(live.getString("status")).isEqualTo("live");
    assertThat(live.getString("publishedAt")).isNotBlank();
    assertThat(live.getJsonObject("rescoring").getString("status")).as("a full rescoring is scheduled")
        .isEqualTo("pending");
    assertThat(ok(getModel(id))).isEqualTo(live);

    assertThat(assertProblem(act(id, "publish"), 409).getString("detail")).contains("live");
    JsonObject edit = assertProblem(putModel(id, model("Edited")), 409);
    assertThat(edit.getString("detail")).contains("not edited in place").contains("/copy");
    assertThat(ok(getModel(id)).getString("name")).isEqualTo("Webinar interest");

    JsonObject retired = ok(act(id, "retire"));
    assertThat(retired.getString("status")).isEqualTo("retired");
    assertThat(retired.getString("retiredAt")).isNotBlank();
    assertThat(retired.getString("publishedAt")).isEqualTo(live.getString("publishedAt"));
    assertThat(retired.getJsonObject("rescoring").getString("status")).isEqualTo("idle");

    assertProblem(act(id, "retire"), 409);
    assertProblem(act(id, "publish"), 409);
    assertProblem(putModel(id, model("Edited")), 409);
  }

  @Test
  void putReplacesADraftAndOnlyWithAValidModel() {
    JsonObject draft = createModel(MODEL);
    String id = draft.getString("id");
    JsonObject changed = new JsonObject(MODEL).put("name", "Renamed").put("salesReadyThreshold", 40);
    changed.getJsonArray("rules").remove(2);

    JsonObject replaced = ok(putModel(id, changed.encode()));

    assertThat(replaced.getString("id")).isEqualTo(id);
    assertThat(replaced.getString("name")).isEqualTo("Renamed");
    assertThat(replaced.getInteger("salesReadyThreshold")).isEqualTo(40);
    assertThat(replaced.getJsonArray("rules")).hasSize(2);
    assertThat(replaced.getString("status")).isEqualTo("draft");
    assertThat(replaced.getString("createdAt")).isEqualTo(draft.getString("createdAt"));
    assertThat(Instant.parse(replaced.getString("updatedAt"))).isAfterOrEqualTo(Instant.parse(draft.getString("updatedAt")));
    assertThat(ok(getModel(id))).isEqualTo(replaced);

    assertThat(invalidFields(putModel(id, "{\"name\": \"No rules or grades\"}"))).isNotEmpty();
    assertThat(ok(getModel(id))).as("a refused replacement changes nothing").isEqualTo(replaced);
  }

  @Test
  void aCopyIsANewDraftWithTheSameDefinition() {
    JsonObject original = createModel(MODEL);
    String id = original.getString("id");
    ok(act(id, "publish"));

    JsonObject copy = created(act(id, "copy"));

    assertThat(copy.getString("id")).isNotEqualTo(id);
    assertThat(copy.getString("status")).isEqualTo("draft");
    assertThat(copy.getString("name")).isEqualTo("Webinar interest (copy)");
    assertThat(copy.getString("copiedFrom")).isEqualTo(id);
    assertThat(copy.getJsonArray("rules")).isEqualTo(original.getJsonArray("rules"));
    assertThat(copy.getJsonArray("grades")).isEqualTo(original.getJsonArray("grades"));
    assertThat(copy.getInteger("salesReadyThreshold")).isEqualTo(50);
    assertThat(copy.getValue("publishedAt")).isNull();
    assertThat(copy.getJsonObject("rescoring").getString("status")).isEqualTo("idle");
    assertThat(ok(getModel(id)).getString("status")).as("the original stays live").isEqualTo("live");

    JsonObject named = created(call(actionEvent(id, "copy").json("{\"name\": \"Webinar interest v2\"}").build()));
    assertThat(named.getString("name")).isEqualTo("Webinar interest v2");
    assertThat(named.getString("copiedFrom")).isEqualTo(id);

    JsonObject ofACopy = created(act(copy.getString("id"), "copy"));
    assertThat(ofACopy.getString("name")).isEqualTo("Webinar interest (copy) (copy)");
    assertThat(ofACopy.getString("copiedFrom")).isEqualTo(copy.getString("id"));

    assertThat(invalidFields(call(actionEvent(id, "copy").json("{\"nom\": \"x\"}").build()))).containsExactly("nom");
    assertThat(invalidFields(call(actionEvent(id, "copy").json("{\"name\": 5}").build()))).containsExactly("name");
    // The document's name is a string: null and blank are refused, not read as "no name".
    long models = count("SELECT count(*) FROM scoring_models");
    assertThat(invalidFields(call(actionEvent(id, "copy").json("{\"name\": null}").build()))).containsExactly("name");
    assertThat(invalidFields(call(actionEvent(id, "copy").json("{\"name\": \"  \"}").build()))).containsExactly("name");
    assertThat(count("SELECT count(*) FROM scoring_models")).isEqualTo(models);
    assertProblem(call(actionEvent(id, "copy").json("[]").build()), 400);
    assertThat(count("SELECT count(*) FROM scoring_models")).isEqualTo(4);
  }

  @Test
  void theListPagesInCreationOrderAndFiltersByStatus() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(createModel(model("Model " + i)).getString("id"));
    }
    ok(act(ids.get(1), "publish"));
    ok(act(ids.get(3), "publish"));
    ok(act(ids.get(3), "retire"));

    List<Object> seen = new ArrayList<>();
    String after = null;
    int pages = 0;
    do {
      JsonObject page = after == null ? ok(listModels("limit", "2")) : ok(listModels("limit", "2", "after", after));
      assertThat(page.getJsonArray("items").size()).isLessThanOrEqualTo(2);
      seen.addAll(column(page, "id"));
      after = page.getString("next");
      pages++;
    } while (after != null);
    assertThat(seen).isEqualTo(new ArrayList<Object>(ids));
    assertThat(pages).isEqualTo(3);

    assertThat(column(ok(listModels()), "id")).isEqualTo(new ArrayList<Object>(ids));
    assertThat(ok(listModels()).getValue("next")).isNull();
    assertThat(column(ok(listModels("status", "live")), "id")).containsExactly(ids.get(1));
    assertThat(column(ok(listModels("status", "retired")), "id")).containsExactly(ids.get(3));
    assertThat(column(ok(listModels("status", "draft")), "id")).containsExactly(ids.get(0), ids.get(2), ids.get(4));
    JsonObject liveFirst = ok(listModels("status", "draft", "limit", "1"));
    assertThat(column(ok(listModels("status", "draft", "after", liveFirst.getString("next"))), "id"))
        .containsExactly(ids.get(2), ids.get(4));

    assertThat(invalidFields(listModels("status", "LIVE"))).containsExactly("status");
    assertThat(invalidFields(listModels("limit", "0"))).containsExactly("limit");
    assertThat(invalidFields(listModels("limit", "201"))).containsExactly("limit");
    assertThat(invalidFields(listModels("after", "garbage"))).containsExactly("after");
  }

  @Test
  void unknownModelsAre404() {
    for (String id : List.of(UUID.randomUUID().toString(), "not-a-uuid")) {
      assertProblem(getModel(id), 404);
      assertProblem(putModel(id, MODEL), 404);
      assertProblem(act(id, "publish"), 404);
      assertProblem(act(id, "retire"), 404);
      assertProblem(act(id, "copy"), 404);
      assertProblem(scores(id), 404);
      assertProblem(scores(id, "format", "csv"), 404);
    }
  }

  @Test
  void bodiesMustBeJsonObjects() {
    assertProblem(postModel("[]"), 400);
    assertProblem(postModel("{"), 400);
    assertProblem(call(request("POST /v1/scoring-models", "/v1/scoring-models").header("content-type", "text/plain")
        .body(MODEL.getBytes(java.nio.charset.StandardCharsets.UTF_8), false).build()), 415);
    assertThat(count("SELECT count(*) FROM scoring_models")).isZero();
  }

  @Test
  void twoPublishesAtOnceMakeTheModelLiveOnce() throws Exception {
    String id = createModel(MODEL).getString("id");
    var first = CompletableFuture.supplyAsync(() -> act(id, "publish"));
    var second = CompletableFuture.supplyAsync(() -> act(id, "publish"));

    List<Integer> statuses = List.of(first.get().getStatusCode(), second.get().getStatusCode());

    assertThat(statuses).containsExactlyInAnyOrder(200, 409);
  }

  @Test
  void recalculateRunsScoringNowAndAnswersWhatItDid() {
    UUID contact = createContact("ada@example.com", "Ada");
    UUID lead = createLead("Webinar", contact);
    String id = createModel(MODEL).getString("id");
    ok(act(id, "publish"));
    record(new JsonArray().add(interaction("visit-1", "website_visited", contact.toString(), Instant.now().toString())));

    JsonObject summary = ok(call(request("POST /v1/scoring/recalculate", "/v1/scoring/recalculate").build()));

    assertThat(summary.getInteger("leadsScored")).isGreaterThanOrEqualTo(1);
    assertThat(summary.getBoolean("more")).isFalse();
    assertThat(summary.fieldNames()).contains("contactsRescored", "leadsScored", "firstScored", "salesReady",
        "gradeChanges", "fullRescoringLeads", "more", "millis");
    assertThat(rows("SELECT score FROM lead_scores WHERE lead_id = $1 AND model_id = $2", lead, UUID.fromString(id)))
        .singleElement().satisfies(row -> assertThat(row.getInteger("score")).isEqualTo(2));
    assertThat(ok(getModel(id)).getJsonObject("rescoring").getString("status")).isEqualTo("idle");
  }
}
