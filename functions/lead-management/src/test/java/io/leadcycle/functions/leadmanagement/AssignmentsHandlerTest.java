package io.leadcycle.functions.leadmanagement;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.http.Caller;
import io.leadcycle.testing.HttpEvents;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Owners and assignments (docs/api.md, "Work on leads"): telemarketing accept makes the caller the owner,
 * a sales manager assigns a salesperson (validated against the users) and unassigns with a reason, each a
 * timeline entry and a {@code lead.assigned} event; the views {@code mine}, {@code unassigned}, {@code my_calls}.
 */
class AssignmentsHandlerTest extends LeadManagementHarness {

  private String tom;
  private String sue;
  private String sam;
  private String mia;

  @BeforeEach
  void reset() {
    TestDatabase.reset();
    query("DELETE FROM users");
    tom = user("Tom Caller", "telemarketing");
    sue = user("Sue Manager", "sales_manager");
    sam = user("Sam Seller", "sales");
    mia = user("Mia Marketing", "marketing");
  }

  private static String user(String name, String role) {
    return rows("INSERT INTO users (name, roles) VALUES ('" + name + "', ARRAY['" + role + "']) RETURNING id")
        .get(0).getUUID("id").toString();
  }

  /** A request of the local user {@code id}, as the local server sends it for their token. */
  private static HttpEvents as(HttpEvents event, String id, String name, String role) {
    return event.jwtSubject(id).claim("iss", Caller.LOCAL_ISSUER).claim("name", name).roles(role);
  }

  private APIGatewayV2HTTPResponse processAs(String leadId, String json, String id, String name, String role) {
    return call(as(processEvent(leadId), id, name, role).json(json).build());
  }

  private JsonObject view(String view, String id, String name, String role) {
    return body(call(as(request("GET /v1/leads", "/v1/leads"), id, name, role).query("view", view).build()));
  }

  private JsonObject salesReadyLead(String topic) {
    String id = createLead(topic).getString("id");
    return act(id, "mark-sales-ready");
  }

  @Test
  void aSalesManagerAssignsASalespersonReassignsAndUnassignsWithAReason() {
    String leadId = salesReadyLead("Pricing").getString("id");
    query("DELETE FROM outbox");

    JsonObject assigned = ok(processAs(leadId, "{\"action\": \"assign\", \"ownerId\": \"" + sam + "\"}", sue,
        "Sue Manager", "sales_manager"));
    assertThat(assigned.getJsonObject("owner")).isEqualTo(new JsonObject().put("id", sam).put("name", "Sam Seller"));
    assertThat(timeline(assigned)).contains("owner null->Sam Seller Sue Manager assign");
    assertThat(body(getLead(leadId)).getJsonObject("owner").getString("id")).isEqualTo(sam);

    JsonObject unassigned = ok(processAs(leadId, "{\"action\": \"unassign\", \"reason\": \"on leave\"}", sue,
        "Sue Manager", "sales_manager"));
    assertThat(unassigned.getValue("owner")).isNull();
    assertThat(timeline(unassigned)).contains("owner Sam Seller->null Sue Manager on leave");

    List<Row> events = rows("SELECT type, payload FROM outbox ORDER BY created_at");
    assertThat(events).extracting(r -> r.getString("type")).containsExactly("lead.assigned", "lead.assigned");
    JsonObject first = events.get(0).getJsonObject("payload");
    assertThat(first.getJsonObject("owner").getString("id")).isEqualTo(sam);
    assertThat(first.getValue("previousOwner")).isNull();
    assertThat(first.getString("actor")).isEqualTo("Sue Manager");
    assertThat(first.getJsonObject("lead").getJsonObject("owner").getString("name")).isEqualTo("Sam Seller");
    JsonObject second = events.get(1).getJsonObject("payload");
    assertThat(second.getValue("owner")).isNull();
    assertThat(second.getJsonObject("previousOwner").getString("id")).isEqualTo(sam);
    assertThat(second.getString("reason")).isEqualTo("on leave");
  }

  @Test
  void assigningToAUserWithoutASalesRoleIs422AndChangesNothing() {
    String leadId = salesReadyLead("Pricing").getString("id");
    query("DELETE FROM outbox");

    JsonObject problem = assertProblem(processAs(leadId, "{\"action\": \"assign\", \"ownerId\": \"" + mia + "\"}", sue,
        "Sue Manager", "sales_manager"), 422);
    assertThat(errorFields(problem)).containsExactly("ownerId");
    assertThat(problem.getString("detail")).contains("neither the sales nor the sales_manager role");

    query("UPDATE users SET disabled_at = now() WHERE id = '" + mia + "'");
    assertThat(errorFields(assertProblem(processAs(leadId, "{\"action\": \"assign\", \"ownerId\": \"" + mia + "\"}",
        sue, "Sue Manager", "sales_manager"), 422))).containsExactly("ownerId", "ownerId");
    assertThat(errorFields(assertProblem(processAs(leadId, "{\"action\": \"assign\", \"ownerId\": \"nobody\"}",
        sue, "Sue Manager", "sales_manager"), 422))).containsExactly("ownerId");
    assertThat(errorFields(assertProblem(processAs(leadId, "{\"action\": \"assign\"}",
        sue, "Sue Manager", "sales_manager"), 422))).containsExactly("ownerId");
    // Unassigning needs a reason; assigning needs the sales manager role.
    assertThat(errorFields(assertProblem(processAs(leadId, "{\"action\": \"unassign\"}",
        sue, "Sue Manager", "sales_manager"), 400))).containsExactly("reason");
    assertProblem(processAs(leadId, "{\"action\": \"assign\", \"ownerId\": \"" + sam + "\"}", sam, "Sam Seller",
        "sales"), 403);

    assertThat(body(getLead(leadId)).getValue("owner")).isNull();
    assertThat(count("SELECT count(*) FROM outbox")).isZero();
  }

  @Test
  void acceptingInTelemarketingMakesTheCallerTheOwner() {
    String leadId = createLead("Call me").getString("id");
    act(leadId, "mark-telemarketing-ready");
    query("DELETE FROM outbox");

    JsonObject accepted = ok(processAs(leadId, "{\"action\": \"accept-telemarketing\"}", tom, "Tom Caller",
        "telemarketing"));
    assertThat(accepted.getString("stage")).isEqualTo("telemarketing_qualification");
    assertThat(accepted.getJsonObject("owner")).isEqualTo(new JsonObject().put("id", tom).put("name", "Tom Caller"));
    assertThat(rows("SELECT type FROM outbox ORDER BY type")).extracting(r -> r.getString("type"))
        .containsExactly("lead.assigned", "lead.stage_changed");
  }

  @Test
  void aCallerTheUsersDoNotKnowAcceptsWithoutBecomingTheOwner() {
    String leadId = createLead("Call me").getString("id");
    act(leadId, "mark-telemarketing-ready");

    JsonObject accepted = ok(processAs(leadId, "{\"action\": \"accept-telemarketing\"}",
        "11111111-2222-3333-4444-555555555555", "Ghost", "telemarketing"));
    assertThat(accepted.getString("stage")).isEqualTo("telemarketing_qualification");
    assertThat(accepted.getValue("owner")).isNull();
  }

  @Test
  void theViewsMineUnassignedAndMyCallsShowTheRightLeads() {
    String calling = createLead("Calling").getString("id");
    act(calling, "mark-telemarketing-ready");
    ok(processAs(calling, "{\"action\": \"accept-telemarketing\"}", tom, "Tom Caller", "telemarketing"));
    String selling = salesReadyLead("Selling").getString("id");
    ok(processAs(selling, "{\"action\": \"assign\", \"ownerId\": \"" + sam + "\"}", sue, "Sue Manager", "sales_manager"));
    String nobodys = salesReadyLead("Nobody's").getString("id");
    String samsClosed = salesReadyLead("Closed").getString("id");
    ok(processAs(samsClosed, "{\"action\": \"assign\", \"ownerId\": \"" + sam + "\"}", sue, "Sue Manager", "sales_manager"));
    ok(process(samsClosed, "{\"action\": \"disqualify\", \"reason\": \"no budget\"}"));
    // Tom's lead moved on to sales: still his, no longer a call.
    String tomsSales = createLead("Handed on").getString("id");
    act(tomsSales, "mark-telemarketing-ready");
    ok(processAs(tomsSales, "{\"action\": \"accept-telemarketing\"}", tom, "Tom Caller", "telemarketing"));
    act(tomsSales, "ready-for-sales");

    assertThat(ids(view("mine", tom, "Tom Caller", "telemarketing"))).containsExactly(calling, tomsSales);
    assertThat(ids(view("my_calls", tom, "Tom Caller", "telemarketing"))).containsExactly(calling);
    assertThat(ids(view("mine", sam, "Sam Seller", "sales"))).containsExactly(selling);
    assertThat(ids(view("my_calls", sam, "Sam Seller", "sales"))).isEmpty();
    assertThat(ids(view("unassigned", sue, "Sue Manager", "sales_manager"))).containsExactly(nobodys);
    assertThat(view("mine", tom, "Tom Caller", "telemarketing").getJsonArray("items").getJsonObject(0)
        .getJsonObject("owner").getString("name")).isEqualTo("Tom Caller");
  }
}
