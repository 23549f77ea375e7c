package io.leadcycle.functions.leadmanagement;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.domain.LeadPatch;
import io.leadcycle.process.ProcessDefinition;
import io.leadcycle.testing.HttpEvents;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The process-definition routes through the handler: create, list, get, replace a draft, publish, edit a live
 * process into a new version (the earlier one kept), retire; the shipped {@code default} read-only.
 */
class ProcessesHandlerTest extends LeadManagementHarness {

  /** docs/lead-process.md's worked example: "Technical evaluation" between telemarketing and sales. */
  static final String ENTERPRISE = """
      {"name": "Enterprise deals", "stages": [
        {"name": "New inquiry", "role": "inquiry"},
        {"name": "Scoring", "role": "automated_marketing_qualification"},
        {"name": "Call queue", "role": "telemarketing_acceptance"},
        {"name": "Qualification call", "role": "telemarketing_qualification", "fields": [
          {"name": "budget", "type": "number", "requiredToComplete": true},
          {"name": "timeframe", "type": "choice", "options": ["this quarter", "this year", "later"]}]},
        {"name": "Technical evaluation", "role": "custom", "fields": [
          {"name": "evaluation owner", "type": "user", "requiredToComplete": true},
          {"name": "security review passed", "type": "boolean", "requiredToComplete": true},
          {"name": "findings", "type": "long_text"}]},
        {"name": "Sales", "role": "sales_acceptance"}]}""";

  static final String SHORT = """
      {"name": "Short", "stages": [{"name": "new", "role": "inquiry"}, {"name": "sales", "role": "sales_acceptance"}]}""";

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  // ---- calls ----

  APIGatewayV2HTTPResponse post(String json) {
    return call(request("POST /v1/processes", "/v1/processes").json(json).build());
  }

  JsonObject create(String json) {
    return created(post(json));
  }

  APIGatewayV2HTTPResponse get(String id) {
    return call(request("GET /v1/processes/{processId}", "/v1/processes/" + id).pathParameter("processId", id).build());
  }

  APIGatewayV2HTTPResponse put(String id, String json) {
    return call(request("PUT /v1/processes/{processId}", "/v1/processes/" + id).pathParameter("processId", id)
        .json(json).build());
  }

  static HttpEvents actEvent(String id, String action) {
    return request("POST /v1/processes/{processId}/" + action, "/v1/processes/" + id + "/" + action)
        .pathParameter("processId", id);
  }

  APIGatewayV2HTTPResponse step(String id, String action) {
    return call(actEvent(id, action).build());
  }

  APIGatewayV2HTTPResponse version(String id, String version) {
    return call(request("GET /v1/processes/{processId}/versions/{version}",
        "/v1/processes/" + id + "/versions/" + version)
        .pathParameter("processId", id).pathParameter("version", version).build());
  }

  APIGatewayV2HTTPResponse list(String... query) {
    return call(request("GET /v1/processes", "/v1/processes").queries(query).build());
  }

  static List<String> stageNames(JsonObject process) {
    List<String> names = new ArrayList<>();
    process.getJsonArray("stages").forEach(s -> names.add(((JsonObject) s).getString("name")));
    return names;
  }

  // ---- tests ----

  @Test
  void postCreatesADraftAtVersionOneThatGetShowsTheSame() {
    JsonObject process = create(ENTERPRISE);

    assertThat(UUID.fromString(process.getString("id"))).isNotNull();
    assertThat(process.getString("name")).isEqualTo("Enterprise deals");
    assertThat(process.getString("status")).isEqualTo("draft");
    assertThat(process.getInteger("version")).isEqualTo(1);
    assertThat(process.getJsonArray("versions")).containsExactly(1);
    assertThat(process.getBoolean("readOnly")).isFalse();
    assertThat(process.getValue("publishedAt")).isNull();
    assertThat(stageNames(process)).containsExactly("New inquiry", "Scoring", "Call queue", "Qualification call",
        "Technical evaluation", "Sales");
    JsonObject evaluation = process.getJsonArray("stages").getJsonObject(4);
    assertThat(evaluation.getString("role")).isEqualTo("custom");
    assertThat(evaluation.getJsonArray("fields").getJsonObject(2)).isEqualTo(new JsonObject()
        .put("name", "findings").put("type", "long_text").put("requiredToComplete", false));
    assertThat(process.getJsonArray("stages").getJsonObject(3).getJsonArray("fields").getJsonObject(1)
        .getJsonArray("options")).containsExactly("this quarter", "this year", "later");
    assertThat(process.getJsonArray("stages").getJsonObject(0).getJsonArray("fields")).isEmpty();

    assertThat(ok(get(process.getString("id")))).isEqualTo(process);
    assertThat(count("SELECT count(*) FROM process_versions WHERE process_id = '" + process.getString("id") + "'"))
        .isEqualTo(1);
  }

  @Test
  void anInvalidProcessIs400WithOneErrorPerFaultAndStoresNothing() {
    JsonObject bad = new JsonObject(ENTERPRISE);
    JsonArray stages = bad.getJsonArray("stages");
    stages.getJsonObject(2).put("role", "nurturing");
    stages.getJsonObject(4).put("name", "Scoring");
    stages.getJsonObject(3).getJsonArray("fields").getJsonObject(1).remove("options");
    stages.remove(5);

    JsonObject problem = assertProblem(post(bad.encode()), 400);

    assertThat(errorFields(problem)).containsExactly("stages[2].role", "stages[3].fields[1].options",
        "stages[4].name");
    assertThat(count("SELECT count(*) FROM processes")).as("only default").isEqualTo(1);

    stages.getJsonObject(2).put("role", "telemarketing_acceptance");
    stages.getJsonObject(4).put("name", "Technical evaluation");
    stages.getJsonObject(3).getJsonArray("fields").getJsonObject(1).put("options", new JsonArray().add("soon"));
    assertThat(invalidFields(post(bad.encode()))).as("no sales acceptance stage").containsExactly("stages");
    assertThat(invalidFields(post("{\"name\": \"x\", \"stages\": [], \"colour\": \"blue\"}")))
        .containsExactly("colour", "stages");
  }

  @Test
  void aDraftIsReplacedInPlaceThenPublished() {
    String id = create(ENTERPRISE).getString("id");

    JsonObject replaced = ok(put(id, SHORT));

    assertThat(replaced.getString("name")).isEqualTo("Short");
    assertThat(replaced.getInteger("version")).isEqualTo(1);
    assertThat(replaced.getJsonArray("versions")).containsExactly(1);
    assertThat(ok(version(id, "1")).getString("name")).isEqualTo("Short");

    JsonObject live = ok(step(id, "publish"));
    assertThat(live.getString("status")).isEqualTo("live");
    assertThat(live.getString("publishedAt")).isNotBlank();
    assertThat(ok(version(id, "1")).getString("publishedAt")).isNotBlank();
    assertProblem(step(id, "publish"), 409);
  }

  @Test
  void editingALiveProcessPublishesANewVersionAndKeepsTheFirst() {
    String id = create(ENTERPRISE).getString("id");
    ok(step(id, "publish"));

    JsonObject edited = ok(put(id, SHORT));

    assertThat(edited.getString("status")).isEqualTo("live");
    assertThat(edited.getInteger("version")).isEqualTo(2);
    assertThat(edited.getJsonArray("versions")).containsExactly(1, 2);
    assertThat(stageNames(edited)).containsExactly("new", "sales");
    assertThat(ok(get(id))).isEqualTo(edited);

    JsonObject first = ok(version(id, "1"));
    assertThat(first.getString("processId")).isEqualTo(id);
    assertThat(first.getInteger("version")).isEqualTo(1);
    assertThat(first.getString("name")).isEqualTo("Enterprise deals");
    assertThat(stageNames(first)).contains("Technical evaluation");
    JsonObject second = ok(version(id, "2"));
    assertThat(second.getString("name")).isEqualTo("Short");
    assertThat(second.getString("publishedAt")).as("live at once").isNotBlank();

    assertProblem(version(id, "3"), 404);
    assertProblem(version(id, "0"), 404);
    assertProblem(version(id, "two"), 404);
  }

  @Test
  void concurrentEditsOfALiveProcessMakeOneVersionEach() throws Exception {
    String id = create(ENTERPRISE).getString("id");
    ok(step(id, "publish"));
    int editors = 4;
    CountDownLatch start = new CountDownLatch(1);
    List<CompletableFuture<APIGatewayV2HTTPResponse>> edits = new ArrayList<>();
    for (int i = 0; i < editors; i++) {
      String body = SHORT.replace("\"Short\"", "\"Edit " + i + "\"");
      edits.add(CompletableFuture.supplyAsync(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        return put(id, body);
      }));
    }
    start.countDown();

    List<Integer> versions = new ArrayList<>();
    for (CompletableFuture<APIGatewayV2HTTPResponse> edit : edits) {
      versions.add(ok(edit.get()).getInteger("version"));
    }

    assertThat(versions).containsExactlyInAnyOrder(2, 3, 4, 5);
    assertThat(ok(get(id)).getJsonArray("versions")).containsExactly(1, 2, 3, 4, 5);
    assertThat(ok(version(id, "1")).getString("name")).isEqualTo("Enterprise deals");
  }

  @Test
  void twoPublishesAtOnceMakeTheDraftLiveOnce() throws Exception {
    String id = create(ENTERPRISE).getString("id");
    CountDownLatch start = new CountDownLatch(1);
    List<CompletableFuture<APIGatewayV2HTTPResponse>> publishes = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      publishes.add(CompletableFuture.supplyAsync(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        return step(id, "publish");
      }));
    }
    start.countDown();

    List<Integer> statuses = new ArrayList<>();
    for (CompletableFuture<APIGatewayV2HTTPResponse> publish : publishes) {
      statuses.add(publish.get().getStatusCode());
    }

    assertThat(statuses).containsExactlyInAnyOrder(200, 409);
    assertThat(ok(get(id)).getJsonArray("versions")).containsExactly(1);
  }

  @Test
  void aLiveProcessIsRetiredOnceAndARetiredOneIsNotEdited() {
    String id = create(ENTERPRISE).getString("id");
    assertThat(assertProblem(step(id, "retire"), 409).getString("detail")).contains("draft");
    ok(step(id, "publish"));

    JsonObject retired = ok(step(id, "retire"));

    assertThat(retired.getString("status")).isEqualTo("retired");
    assertThat(retired.getString("retiredAt")).isNotBlank();
    assertProblem(step(id, "retire"), 409);
    assertProblem(step(id, "publish"), 409);
    assertThat(assertProblem(put(id, SHORT), 409).getString("detail")).contains("retired");
    assertThat(ok(get(id)).getInteger("version")).isEqualTo(1);
  }

  @Test
  void theDefaultProcessIsLiveReadOnlyAndTheMachinesDefaultProcess() {
    JsonObject shipped = ok(get("default"));

    assertThat(shipped.getString("status")).isEqualTo("live");
    assertThat(shipped.getBoolean("readOnly")).isTrue();
    assertThat(shipped.getInteger("version")).isEqualTo(1);
    // What the migration stored is the domain's definition of the shipped process...
    assertThat(shipped.getString("name")).isEqualTo(ProcessDefinition.DEFAULT.name());
    assertThat(shipped.getJsonArray("stages")).isEqualTo(
        new JsonObject(new JsonObject(ProcessDefinition.DEFAULT.toBody()).encode()).getJsonArray("stages"));
    // ...and its stages and roles are the five of the product description, each its own role.
    List<String> roles = new ArrayList<>();
    shipped.getJsonArray("stages").forEach(s -> roles.add(((JsonObject) s).getString("role")));
    List<String> five = List.of("inquiry", "automated_marketing_qualification", "telemarketing_acceptance",
        "telemarketing_qualification", "sales_acceptance");
    assertThat(stageNames(shipped)).containsExactlyElementsOf(five);
    assertThat(roles).containsExactlyElementsOf(five);
    JsonArray qualification = shipped.getJsonArray("stages").getJsonObject(3).getJsonArray("fields");
    List<String> fields = new ArrayList<>();
    qualification.forEach(f -> fields.add(((JsonObject) f).getString("name")));
    assertThat(fields).containsExactlyElementsOf(LeadPatch.QUALIFICATION_FIELDS);

    assertThat(assertProblem(put("default", SHORT), 409).getString("detail")).contains("read-only");
    assertThat(assertProblem(step("default", "retire"), 409).getString("detail")).contains("read-only");
    assertProblem(step("default", "publish"), 409);
    assertThat(ok(get("default"))).isEqualTo(shipped);
  }

  @Test
  void listPagesInCreationOrderWithTheShippedProcessFirstAndFiltersByStatus() {
    String a = create(ENTERPRISE).getString("id");
    String b = create(SHORT).getString("id");
    ok(step(b, "publish"));

    JsonObject first = ok(list("limit", "2"));
    assertThat(ids(first)).containsExactly("default", a);
    JsonObject second = ok(list("limit", "2", "after", first.getString("next")));
    assertThat(ids(second)).containsExactly(b);
    assertThat(second.getValue("next")).isNull();

    assertThat(ids(ok(list("status", "live")))).containsExactly("default", b);
    assertThat(ids(ok(list("status", "draft")))).containsExactly(a);
    assertThat(invalidFields(list("status", "archived"))).containsExactly("status");
    assertThat(invalidFields(list("after", "nonsense"))).containsExactly("after");
  }

  @Test
  void unknownProcessesAre404() {
    String unknown = UUID.randomUUID().toString();
    assertProblem(get(unknown), 404);
    assertProblem(get("enterprise"), 404);
    assertProblem(put(unknown, SHORT), 404);
    assertProblem(step(unknown, "publish"), 404);
    assertProblem(version(unknown, "1"), 404);
  }

  @Test
  void everyRoleReadsProcessesButOnlyMarketingAndAdminWriteThem() {
    String id = create(ENTERPRISE).getString("id");

    ok(call(request("GET /v1/processes", "/v1/processes").roles("telemarketing").build()));
    ok(call(request("GET /v1/processes/{processId}", "/v1/processes/" + id).pathParameter("processId", id)
        .roles("sales").build()));
    JsonObject refused = assertProblem(call(request("POST /v1/processes", "/v1/processes").roles("telemarketing")
        .json(SHORT).build()), 403);
    assertThat(refused.getJsonArray("requiredRoles").getList()).containsExactly("marketing", "admin");
    assertProblem(call(request("PUT /v1/processes/{processId}", "/v1/processes/" + id).pathParameter("processId", id)
        .roles("telemarketing").json(SHORT).build()), 403);
    assertProblem(call(actEvent(id, "publish").roles("telemarketing").build()), 403);
    assertThat(ok(get(id)).getString("status")).as("unchanged").isEqualTo("draft");
    assertThat(count("SELECT count(*) FROM processes")).isEqualTo(2);

    created(call(request("POST /v1/processes", "/v1/processes").roles("marketing").json(SHORT).build()));
    ok(call(actEvent(id, "publish").roles("admin").build()));
  }
}
