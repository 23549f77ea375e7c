package io.leadcycle.functions.leadmanagement;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.http.Caller;
import io.leadcycle.testing.HttpEvents;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A lead on a process of the organisation's own, through the handler: docs/lead-process.md's worked example
 * ("Technical evaluation" between telemarketing and sales, required fields) walked end to end with
 * complete-stage and set-fields; a new version leaves the lead where it is until switch-process; views filter by
 * process; the shipped process's qualification findings still work as before.
 */
class LeadsOnProcessesHandlerTest extends LeadManagementHarness {

  private String process;
  private String evaluator;

  @BeforeEach
  void defineTheProcess() {
    TestDatabase.reset();
    query("DELETE FROM users");
    evaluator = rows("INSERT INTO users (name, roles) VALUES ('Eva Engineer', ARRAY['sales']) RETURNING id").get(0)
        .getUUID("id").toString();
    process = created(call(request("POST /v1/processes", "/v1/processes").json(ProcessesHandlerTest.ENTERPRISE)
        .build())).getString("id");
    ok(call(ProcessesHandlerTest.actEvent(process, "publish").build()));
  }

  private JsonObject leadOn(String processId) {
    return created(postLead("{\"topic\": \"Plant rollout\", \"processId\": \"" + processId + "\", \"context\": "
        + MANUAL_CONTEXT + "}"));
  }

  private JsonObject setFields(String leadId, String stage, String fields) {
    return ok(process(leadId, "{\"action\": \"set-fields\", \"stage\": \"" + stage + "\", \"fields\": " + fields + "}"));
  }

  private List<Row> outbox(String leadId) {
    return rows("SELECT type, payload FROM outbox WHERE lead_id = $1 ", uuid(leadId));
  }

  @Test
  void aLeadWalksTheWholeProcessWithCompleteStageAndSetFields() {
    JsonObject lead = leadOn(process);
    String id = lead.getString("id");
    assertThat(lead.getString("processId")).isEqualTo(process);
    assertThat(lead.getInteger("processVersion")).isEqualTo(1);
    assertThat(lead.getString("stage")).isEqualTo("New inquiry");
    assertThat(lead.getJsonObject("stageFields")).isEmpty();

    assertThat(act(id, "mark-telemarketing-ready").getString("stage")).isEqualTo("Call queue");
    assertThat(act(id, "accept-telemarketing").getString("stage")).isEqualTo("Qualification call");

    JsonObject refused = assertProblem(process(id, "{\"action\": \"complete-stage\"}"), 409);
    assertThat(refused.getJsonArray("missingFields")).containsExactly("budget");
    assertThat(refused.getString("detail")).contains("budget");
    assertThat(ok(getLead(id)).getString("stage")).as("a refusal changes nothing").isEqualTo("Qualification call");

    JsonObject recorded = setFields(id, "Qualification call", "{\"budget\": 120000, \"timeframe\": \"this quarter\"}");
    assertThat(recorded.getJsonObject("stageFields")).isEqualTo(new JsonObject()
        .put("Qualification call", new JsonObject().put("budget", 120000).put("timeframe", "this quarter")));
    assertThat(timelineOf(recorded, "stageFields.Qualification call.budget")).containsExactly("null → 120000 (set-fields)");

    JsonObject evaluation = ok(process(id, "{\"action\": \"complete-stage\"}"));
    assertThat(evaluation.getString("stage")).isEqualTo("Technical evaluation");
    assertThat(evaluation.getBoolean("salesReady")).isFalse();
    JsonObject missing = assertProblem(process(id, "{\"action\": \"complete-stage\"}"), 409);
    assertThat(missing.getJsonArray("missingFields")).containsExactly("evaluation owner", "security review passed");

    setFields(id, "Technical evaluation", "{\"evaluation owner\": \"" + evaluator + "\", \"security review passed\": true}");
    JsonObject sales = ok(process(id, "{\"action\": \"complete-stage\", \"reason\": \"evaluation passed\"}"));
    assertThat(sales.getString("stage")).isEqualTo("Sales");
    assertThat(sales.getBoolean("salesReady")).isTrue();
    assertThat(nudges).as("threshold notification told of the sales-ready lead").isNotEmpty();
    Row salesReady = outbox(id).stream().filter(r -> r.getString("type").equals("lead.sales_ready")).findFirst()
        .orElseThrow();
    JsonObject announced = salesReady.getJsonObject("payload");
    assertThat(announced.getString("reason")).isEqualTo("evaluation passed");
    assertThat(announced.getJsonObject("lead").getString("processId")).isEqualTo(process);
    assertThat(announced.getJsonObject("lead").getInteger("processVersion")).isEqualTo(1);
    assertThat(announced.getJsonObject("lead").getString("stage")).isEqualTo("Sales");
    assertThat(outbox(id)).extracting(r -> r.getString("type")).containsExactlyInAnyOrder("lead.created",
        "lead.telemarketing_ready", "lead.stage_changed", "lead.stage_changed", "lead.stage_changed",
        "lead.stage_changed", "lead.sales_ready");

    ok(process(id, "{\"action\": \"accept-sales\", \"ownerId\": \"eva\"}"));
    assertThat(act(id, "convert").getString("status")).isEqualTo("converted");
  }

  @Test
  void setFieldsRefusesBadValuesAndLaterStagesAndChangesNothing() {
    String id = leadOn(process).getString("id");
    act(id, "mark-telemarketing-ready");
    act(id, "accept-telemarketing");

    JsonObject bad = assertProblem(process(id, "{\"action\": \"set-fields\", \"stage\": \"Qualification call\", "
        + "\"fields\": {\"budget\": \"lots\", \"timeframe\": \"next decade\", \"colour\": \"red\"}}"), 400);
    assertThat(errorFields(bad)).containsExactly("fields.budget", "fields.timeframe", "fields.colour");
    assertThat(assertProblem(process(id, "{\"action\": \"set-fields\", \"stage\": \"Technical evaluation\", "
        + "\"fields\": {\"findings\": \"early\"}}"), 409).getString("detail")).contains("once it gets there");
    assertThat(errorFields(assertProblem(process(id, "{\"action\": \"set-fields\", \"stage\": \"Qualification call\"}"),
        400))).containsExactly("fields");
    act(id, "ready-for-sales");
    assertThat(errorFields(assertProblem(process(id, "{\"action\": \"set-fields\", \"stage\": \"Technical evaluation\", "
        + "\"fields\": {\"evaluation owner\": \"" + java.util.UUID.randomUUID() + "\"}}"), 400)))
        .as("a user field names a user").containsExactly("fields");
    assertThat(ok(getLead(id)).getJsonObject("stageFields")).isEmpty();
  }

  @Test
  void aNewVersionLeavesOpenLeadsOnTheirsUntilSwitched() {
    String id = leadOn(process).getString("id");
    act(id, "mark-sales-ready");
    String v2 = ProcessesHandlerTest.ENTERPRISE.replace("\"Sales\"", "\"Sales desk\"");
    assertThat(ok(call(request("PUT /v1/processes/{processId}", "/v1/processes/" + process)
        .pathParameter("processId", process).json(v2).build())).getInteger("version")).isEqualTo(2);

    JsonObject before = ok(getLead(id));
    assertThat(before.getInteger("processVersion")).isEqualTo(1);
    assertThat(before.getString("stage")).isEqualTo("Sales");
    assertThat(leadOn(process).getInteger("processVersion")).as("new leads get the latest").isEqualTo(2);

    assertThat(errorFields(assertProblem(process(id, "{\"action\": \"switch-process\", \"processId\": \"" + process
        + "\"}"), 400))).containsExactly("reason");
    JsonObject switched = ok(process(id, "{\"action\": \"switch-process\", \"processId\": \"" + process
        + "\", \"reason\": \"new checklist\"}"));
    assertThat(switched.getInteger("processVersion")).isEqualTo(2);
    assertThat(switched.getString("stage")).as("the stage with the same role").isEqualTo("Sales desk");
    assertThat(switched.getBoolean("salesReady")).isTrue();
    assertThat(timelineOf(switched, "processVersion")).containsExactly("1 → 2 (new checklist)");
    assertThat(outbox(id)).filteredOn(r -> r.getString("type").equals("lead.stage_changed")).anySatisfy(r ->
        assertThat(r.getJsonObject("payload").getString("reason")).isEqualTo("new checklist"));

    JsonObject onDefault = ok(process(id, "{\"action\": \"switch-process\", \"processId\": \"default\", "
        + "\"reason\": \"standard deal after all\"}"));
    assertThat(onDefault.getString("processId")).isEqualTo("default");
    assertThat(onDefault.getString("stage")).isEqualTo("sales_acceptance");
    assertThat(assertProblem(process(id, "{\"action\": \"switch-process\", \"processId\": \"default\", "
        + "\"reason\": \"again\"}"), 409).getString("detail")).contains("already runs");
  }

  @Test
  void theProcessIsChosenLiveAndViewsFilterByIt() {
    String draft = created(call(request("POST /v1/processes", "/v1/processes").json(ProcessesHandlerTest.SHORT)
        .build())).getString("id");
    assertThat(errorFields(assertProblem(postLead("{\"topic\": \"x\", \"processId\": \"" + draft + "\", \"context\": "
        + MANUAL_CONTEXT + "}"), 400))).containsExactly("processId");
    assertThat(errorFields(assertProblem(postLead("{\"topic\": \"x\", \"processId\": \"nope\", \"context\": "
        + MANUAL_CONTEXT + "}"), 400))).containsExactly("processId");
    JsonObject shipped = createLead("On the shipped process");
    assertThat(shipped.getString("processId")).isEqualTo("default");
    assertThat(shipped.getString("stage")).isEqualTo("inquiry");
    String mine = leadOn(process).getString("id");

    assertThat(ids(ok(listLeads("processId", process)))).containsExactly(mine);
    assertThat(ids(ok(listLeads("processId", process, "stage", "New inquiry")))).containsExactly(mine);
    assertThat(ids(ok(listLeads("stage", "New inquiry")))).containsExactly(mine);
    assertThat(ids(ok(listLeads("processId", "default")))).containsExactly(shipped.getString("id"));
    JsonObject wrongStage = assertProblem(listLeads("processId", process, "stage", "inquiry"), 400);
    assertThat(errorFields(wrongStage)).containsExactly("stage");
    assertThat(wrongStage.getJsonArray("errors").getJsonObject(0).getString("message")).contains("Technical evaluation");
    assertThat(errorFields(assertProblem(listLeads("processId", "nope"), 400))).containsExactly("processId");
  }

  @Test
  void qualificationFindingsAreTheDefaultProcesssTelemarketingQualificationFields() {
    String id = createLead("Findings").getString("id");
    JsonObject patched = ok(patchLead(id, "{\"qualification\": {\"budget\": \"50k\", \"need\": \"CRM\"}}"));
    assertThat(patched.getJsonObject("qualification")).isEqualTo(new JsonObject().put("budget", "50k").put("need", "CRM"));
    assertThat(patched.getJsonObject("stageFields")).isEqualTo(new JsonObject().put("telemarketing_qualification",
        new JsonObject().put("budget", "50k").put("need", "CRM")));

    String custom = leadOn(process).getString("id");
    assertThat(errorFields(assertProblem(patchLead(custom, "{\"qualification\": {\"budget\": \"50k\"}}"), 400)))
        .containsExactly("qualification.budget");
  }

  @Test
  void whoMaySendTheStageActions() {
    String id = leadOn(process).getString("id");
    String complete = "{\"action\": \"complete-stage\"}";
    String switchIt = "{\"action\": \"switch-process\", \"processId\": \"default\", \"reason\": \"why\"}";

    assertThat(assertProblem(as(processEvent(id).json(complete), "marketing"), 403).getJsonArray("requiredRoles"))
        .contains("telemarketing", "sales", "sales_manager");
    assertThat(assertProblem(as(processEvent(id).json(switchIt), "telemarketing"), 403)
        .getJsonArray("requiredRoles")).contains("marketing", "sales_manager");
    assertThat(ok(as(processEvent(id).json(complete), "telemarketing")).getString("stage")).isEqualTo("Scoring");
    assertThat(ok(as(processEvent(id).json(switchIt), "marketing")).getString("processId")).isEqualTo("default");
  }

  private APIGatewayV2HTTPResponse as(HttpEvents event, String role) {
    return call(event.jwtSubject(java.util.UUID.randomUUID().toString()).claim("iss", Caller.LOCAL_ISSUER)
        .claim("name", "Someone").roles(role).build());
  }

  /** The lead's timeline entries of {@code field}, as "from → to (reason)". */
  private static List<String> timelineOf(JsonObject lead, String field) {
    List<String> entries = new ArrayList<>();
    JsonArray timeline = lead.getJsonArray("timeline");
    timeline.forEach(e -> {
      JsonObject entry = (JsonObject) e;
      if (field.equals(entry.getString("field"))) {
        entries.add(entry.getValue("from") + " → " + entry.getValue("to") + " (" + entry.getString("reason") + ")");
      }
    });
    return entries;
  }
}
