package io.leadcycle.functions.segments;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.testing.HandlerCalls;
import io.leadcycle.testing.HttpEvents;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The segments routes through the real handler on the test database, every answer held to docs/openapi.yaml:
 * 201/200/204 for what works, 400 with every fault named, 404, 409 and 403 for the rest, the CSV export's
 * formula guard and paging through members to the end.
 */
class SegmentsHandlerTest extends HandlerCalls {

  static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  final List<String> nudges = new java.util.concurrent.CopyOnWriteArrayList<>();
  final SegmentsHandler handler = new SegmentsHandler(TestDatabase::database, Clock.fixed(NOW, ZoneOffset.UTC),
      new io.leadcycle.runtime.Nudge() {
        @Override
        public void send(String reason) {
          nudges.add(reason);
        }
      });

  static final String GERMANY = """
      {"name": "Germany", "kind": "dynamic", "definition": {"all": [
        {"field": "contact.country", "op": "equals", "value": "DE"}]}}""";

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  @Test
  void createReadListReplaceAndDeleteADynamicSegment() {
    UUID ada = contact("ada@example.com", "Ada", "DE");
    contact("cy@example.com", "Cy", "FR");
    JsonObject created = created(call(request("POST /v1/segments", "/v1/segments").json(GERMANY)));
    String id = created.getString("id");
    assertThat(created.getString("kind")).isEqualTo("dynamic");
    assertThat(created.getLong("memberCount")).isEqualTo(1);
    assertThat(created.getJsonObject("evaluation"))
        .isEqualTo(new JsonObject().put("status", "evaluated").put("evaluatedAt", NOW.toString()));
    assertThat(created.getJsonObject("definition").getJsonArray("all")).hasSize(1);

    JsonObject read = ok(call(segment("GET", id, "")));
    assertThat(read).isEqualTo(created);
    JsonObject page = ok(call(request("GET /v1/segments", "/v1/segments")));
    assertThat(column(page, "id")).containsExactly(id);

    JsonObject replaced = ok(call(segment("PUT", id, "").json(GERMANY.replace("\"DE\"", "\"FR\"")
        .replace("Germany", "France"))));
    assertThat(replaced.getString("name")).isEqualTo("France");
    assertThat(replaced.getLong("memberCount")).isEqualTo(1);
    assertThat(column(ok(call(members(id))), "contactId")).doesNotContain(ada.toString());

    assertThat(call(segment("DELETE", id, "")).getStatusCode()).isEqualTo(204);
    assertProblem(call(segment("GET", id, "")), 404);
    assertProblem(call(segment("DELETE", id, "")), 404);
    assertProblem(call(segment("PUT", UUID.randomUUID().toString(), "").json(GERMANY)), 404);
  }

  @Test
  void everyFaultOfADefinitionIsNamedAndNothingIsWritten() {
    APIGatewayV2HTTPResponse refused = call(request("POST /v1/segments", "/v1/segments").json("""
        {"name": "", "kind": "dynamic", "definition": {"all": [
          {"field": "contact.shoeSize", "op": "equals", "value": "44"},
          {"any": [{"leads": "any", "where": [{"field": "status", "op": "equals", "value": "won"}]}]}]}}"""));
    assertThat(invalidFields(refused)).containsExactly("name", "definition.all[0].field",
        "definition.all[1].any[0].where[0].value");
    assertThat(count("SELECT count(*) FROM segments")).isZero();
    assertThat(invalidFields(call(request("POST /v1/segments/preview", "/v1/segments/preview")
        .json("{\"definition\": {\"all\": [{\"field\": \"account.size\", \"op\": \"gt\", \"value\": 1}]}}"))))
        .containsExactly("definition.all[0].field");
    // A scoring model nobody has: named at its path, not silently matching nothing.
    assertThat(invalidFields(call(request("POST /v1/segments", "/v1/segments").json("""
        {"name": "Hot", "kind": "dynamic", "definition": {"any": [
          {"field": "contact.email", "op": "exists"},
          {"leads": "any", "where": [{"field": "grade", "model": "%s", "op": "equals", "value": "A"}]}]}}"""
        .formatted(UUID.randomUUID()))))).containsExactly("definition.any[1].where[0].model");
    assertThat(count("SELECT count(*) FROM segments")).isZero();
  }

  @Test
  void previewCountsAndShowsTheFirstTwentyWritingNothing() {
    for (int i = 0; i < 25; i++) {
      contact("p" + i + "@example.com", "P" + i, "DE");
    }
    contact("x@example.com", "X", "FR");
    JsonObject preview = ok(call(request("POST /v1/segments/preview", "/v1/segments/preview").json("""
        {"definition": {"all": [{"field": "contact.country", "op": "equals", "value": "DE"}]}}""")));
    assertThat(preview.getLong("count")).isEqualTo(25);
    JsonArray shown = preview.getJsonArray("members");
    assertThat(shown).hasSize(20);
    List<String> ids = new ArrayList<>();
    shown.forEach(m -> ids.add(((JsonObject) m).getString("contactId")));
    assertThat(ids).isSorted();
    assertThat(count("SELECT count(*) FROM segments") + count("SELECT count(*) FROM outbox")).isZero();
    // The consent gate applies to previews too.
    assertThat(ok(call(request("POST /v1/segments/preview", "/v1/segments/preview").json("""
        {"requiresConsent": "marketing",
         "definition": {"all": [{"field": "contact.country", "op": "equals", "value": "DE"}]}}"""))).getLong("count"))
        .isZero();
  }

  @Test
  void staticMembersAddedRemovedAndPagedToTheEndInJsonAndCsv() {
    JsonObject created = created(call(request("POST /v1/segments", "/v1/segments")
        .json("{\"name\": \"Fair visitors\", \"kind\": \"static\"}")));
    String id = created.getString("id");
    assertThat(created.getValue("evaluation")).isNull();
    assertThat(created.getValue("definition")).isNull();
    List<String> contacts = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      contacts.add(contact("v" + i + "@example.com", "V" + i, "DE").toString());
    }
    UUID mallory = contact("mallory@example.com", "=HYPERLINK(\"https://evil.example\",\"click\")", "DE");
    contacts.add(mallory.toString());
    JsonObject added = ok(call(segment("POST", id, "/members")
        .json(new JsonObject().put("contactIds", new JsonArray(new ArrayList<>(contacts))).encode())));
    assertThat(added).isEqualTo(new JsonObject().put("joined", 6).put("left", 0).put("memberCount", 6));
    assertThat(nudges).as("joins committed: threshold notification is nudged").containsExactly("segments");
    // Again: already members, nothing new, no nudge.
    assertThat(ok(call(segment("POST", id, "/members").json("{\"contactIds\": [\"" + mallory + "\"]}")))
        .getLong("joined")).isZero();
    assertThat(nudges).hasSize(1);
    // An unknown contact: 400 naming it, nothing added.
    assertThat(invalidFields(call(segment("POST", id, "/members")
        .json("{\"contactIds\": [\"" + contacts.get(0) + "\", \"" + UUID.randomUUID() + "\"]}"))))
        .containsExactly("contactIds[1]");

    // JSON pages of 2 to the end.
    List<String> seen = new ArrayList<>();
    String after = null;
    int pages = 0;
    do {
      HttpEvents request = segment("GET", id, "/members").query("limit", "2");
      if (after != null) {
        request.query("after", after);
      }
      JsonObject page = ok(call(request));
      column(page, "contactId").forEach(c -> seen.add((String) c));
      after = page.getString("next");
      pages++;
    } while (after != null);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactlyInAnyOrderElementsOf(contacts).isSorted();

    // CSV: the visitor's formula is written as text.
    APIGatewayV2HTTPResponse csv = call(segment("GET", id, "/members").query("format", "csv"));
    assertThat(csv.getStatusCode()).isEqualTo(200);
    assertThat(csv.getHeaders().get("content-type")).startsWith("text/csv");
    String[] lines = csv.getBody().split("\r\n");
    assertThat(lines[0]).isEqualTo("contactId,email,firstName,lastName,companyName,jobTitle,country,accountId,joinedAt");
    assertThat(lines).hasSize(7);
    assertThat(csv.getBody()).contains(mallory + ",mallory@example.com,\"'=HYPERLINK(\"\"https://evil.example\"\",\"\"click\"\")\"");
    APIGatewayV2HTTPResponse firstCsvPage = call(segment("GET", id, "/members").query("format", "csv").query("limit", "4"));
    assertThat(firstCsvPage.getBody().split("\r\n")).hasSize(5);
    assertThat(firstCsvPage.getHeaders().get("x-next-cursor")).isNotNull();

    // Removing one member.
    APIGatewayV2HTTPResponse removed = call(request("DELETE /v1/segments/{segmentId}/members/{contactId}",
        "/v1/segments/" + id + "/members/" + mallory).pathParameter("segmentId", id)
        .pathParameter("contactId", mallory.toString()));
    assertThat(ok(removed)).isEqualTo(new JsonObject().put("joined", 0).put("left", 1).put("memberCount", 5));
    assertProblem(call(request("DELETE /v1/segments/{segmentId}/members/{contactId}",
        "/v1/segments/" + id + "/members/" + mallory).pathParameter("segmentId", id)
        .pathParameter("contactId", mallory.toString())), 404);
    assertThat(count("SELECT count(*) FROM outbox WHERE type = 'contact.segment_joined'")).isEqualTo(6);
    assertThat(count("SELECT count(*) FROM outbox WHERE type = 'contact.segment_left'")).isEqualTo(1);
  }

  @Test
  void aDynamicSegmentsMembersAreNotAddedByHand() {
    String id = created(call(request("POST /v1/segments", "/v1/segments").json(GERMANY))).getString("id");
    UUID ada = contact("ada@example.com", "Ada", "FR");
    assertProblem(call(segment("POST", id, "/members").json("{\"contactIds\": [\"" + ada + "\"]}")), 409);
  }

  @Test
  void unknownSegmentsAndBadParameters() {
    String unknown = UUID.randomUUID().toString();
    assertProblem(call(members(unknown)), 404);
    assertProblem(call(segment("POST", unknown, "/members").json("{\"contactIds\": [\"" + unknown + "\"]}")), 404);
    String id = created(call(request("POST /v1/segments", "/v1/segments").json(GERMANY))).getString("id");
    assertThat(invalidFields(call(members(id).query("format", "xml")))).containsExactly("format");
    assertThat(invalidFields(call(members(id).query("after", "bm90LWEtY3Vyc29y")))).containsExactly("after");
  }

  @Test
  void everyRoleReadsOnlyMarketingChanges() {
    String id = created(call(request("POST /v1/segments", "/v1/segments").json(GERMANY))).getString("id");
    ok(call(segment("GET", id, "").roles("telemarketing")));
    ok(call(members(id).roles("sales")));
    ok(call(request("GET /v1/segments", "/v1/segments").roles("sales_manager")));
    assertProblem(call(request("POST /v1/segments", "/v1/segments").json(GERMANY).roles("sales")), 403);
    assertProblem(call(segment("DELETE", id, "").roles("telemarketing")), 403);
    assertProblem(call(request("POST /v1/segments/preview", "/v1/segments/preview").roles("sales")
        .json("{\"definition\": {\"all\": [{\"field\": \"contact.country\", \"op\": \"exists\"}]}}")), 403);
    created(call(request("POST /v1/segments", "/v1/segments").json(GERMANY).roles("marketing")));
  }

  // ---- helpers ----

  APIGatewayV2HTTPResponse call(HttpEvents event) {
    APIGatewayV2HTTPEvent built = event.build();
    APIGatewayV2HTTPResponse response = answer(handler, built);
    assertRequestId(built, response);
    if (!"text/csv; charset=utf-8".equals(contentType(response))) {
      assertJsonOrProblem(response, r -> r.getStatusCode() == 204);
    }
    return response;
  }

  static HttpEvents request(String routeKey, String rawPath) {
    return HttpEvents.management(routeKey, rawPath);
  }

  /** {@code METHOD /v1/segments/{segmentId}<suffix>} for {@code id}. */
  static HttpEvents segment(String method, String id, String suffix) {
    return request(method + " /v1/segments/{segmentId}" + suffix, "/v1/segments/" + id + suffix)
        .pathParameter("segmentId", id);
  }

  static HttpEvents members(String id) {
    return segment("GET", id, "/members");
  }

  static UUID contact(String email, String firstName, String country) {
    return row("INSERT INTO contacts (email, first_name, country, email_norm) VALUES ($1, $2, $3, $1) RETURNING id",
        email, firstName, country).getUUID(0);
  }
}
