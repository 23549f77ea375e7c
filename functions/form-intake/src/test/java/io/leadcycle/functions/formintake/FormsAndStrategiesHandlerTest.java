package io.leadcycle.functions.formintake;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.testing.HttpEvents;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Configuration through the handler: {@code PUT/GET /v1/forms/{formId}} and the matching strategies. */
class FormsAndStrategiesHandlerTest extends FormIntakeHarness {

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  // ---- forms ----

  @Test
  void creatingAFormAnswers201WithItsSecretOnceAndFillsTheDefaults() {
    APIGatewayV2HTTPResponse response = putForm("spring-webinar", "{\"name\":\"Spring webinar\",\"kind\":\"marketing_page\"}");

    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
    assertThat(contentType(response)).isEqualTo("application/json");
    JsonObject form = body(response);
    assertThat(form.getString("id")).isEqualTo("spring-webinar");
    assertThat(form.getString("name")).isEqualTo("Spring webinar");
    assertThat(form.getString("kind")).isEqualTo("marketing_page");
    assertThat(form.getString("contactStrategyId")).isEqualTo("default-contact");
    assertThat(form.getString("leadStrategyId")).isEqualTo("default-lead");
    assertThat(form.getString("updateMode")).isEqualTo("contacts_and_leads");
    assertThat(form.getBoolean("generateLeadsWithoutMatching")).isFalse();
    assertThat(form.getBoolean("requireSignature")).isTrue();
    assertThat(form.getString("signingSecret")).startsWith("whsec_");

    var stored = row("SELECT name, kind, contact_strategy_id, lead_strategy_id, update_mode,"
        + " generate_leads_without_matching, require_signature, signing_secret FROM forms WHERE id = $1", "spring-webinar");
    assertThat(stored.getString("signing_secret")).isEqualTo(form.getString("signingSecret"));
    assertThat(stored.getString("kind")).isEqualTo("marketing_page");
    assertThat(stored.getString("contact_strategy_id")).isEqualTo("default-contact");
    assertThat(stored.getString("lead_strategy_id")).isEqualTo("default-lead");
    assertThat(stored.getString("update_mode")).isEqualTo("contacts_and_leads");
    assertThat(stored.getBoolean("generate_leads_without_matching")).isFalse();
    assertThat(stored.getBoolean("require_signature")).isTrue();
  }

  @Test
  void twoFormsGetDifferentSecrets() {
    assertThat(createPage("a")).isNotEqualTo(createPage("b"));
  }

  @Test
  void replacingAFormAnswers200WithoutTheSecretAndKeepsTheOriginalSecret() {
    String secret = createPage("spring-webinar");

    APIGatewayV2HTTPResponse replaced = putForm("spring-webinar", """
        {"name": "Spring webinar (v2)", "kind": "marketing_page", "updateMode": "only_leads",
         "generateLeadsWithoutMatching": true}""");

    assertThat(replaced.getStatusCode()).as(replaced.getBody()).isEqualTo(200);
    JsonObject form = body(replaced);
    assertThat(form.containsKey("signingSecret")).isFalse();
    assertThat(replaced.getBody()).doesNotContain(secret);
    assertThat(form.getString("name")).isEqualTo("Spring webinar (v2)");
    assertThat(form.getString("updateMode")).isEqualTo("only_leads");
    assertThat(form.getBoolean("generateLeadsWithoutMatching")).isTrue();
    assertThat(count("SELECT count(*) FROM forms")).isEqualTo(1);
    assertThat(row("SELECT signing_secret, name FROM forms WHERE id = $1", "spring-webinar").getString("signing_secret"))
        .isEqualTo(secret);

    // A landing page configured with the original secret keeps working after the replace.
    APIGatewayV2HTTPResponse submitted = submit("spring-webinar", secret, "{\"fields\":{\"email\":\"ada@example.com\"}}");
    assertThat(submitted.getStatusCode()).as(submitted.getBody()).isEqualTo(201);
    assertThat(count("SELECT count(*) FROM contacts")).isZero(); // only_leads creates no contact
    // The replaced name is what new leads are named after.
    assertThat(leadRow(leadId(body(submitted))).getString("topic")).isEqualTo("Spring webinar (v2)");
  }

  @Test
  void getReturnsTheFormWithoutItsSecret() {
    String secret = createForm("expo-2026", """
        {"name": "Expo 2026", "kind": "event", "updateMode": "no_update", "requireSignature": false}""");

    APIGatewayV2HTTPResponse response = getForm("expo-2026");

    assertThat(response.getStatusCode()).isEqualTo(200);
    assertThat(contentType(response)).isEqualTo("application/json");
    JsonObject form = body(response);
    assertThat(form.getMap()).containsOnlyKeys("id", "name", "kind", "contactStrategyId", "leadStrategyId",
        "updateMode", "generateLeadsWithoutMatching", "requireSignature", "accountMatching", "createAccounts",
        "allowedOrigins", "redirectUrl", "honeypotField", "unsignedUpdates", "processId");
    assertThat(form.getString("id")).isEqualTo("expo-2026");
    assertThat(form.getString("processId")).isEqualTo("default");
    assertThat(form.getString("name")).isEqualTo("Expo 2026");
    assertThat(form.getString("kind")).isEqualTo("event");
    assertThat(form.getString("updateMode")).isEqualTo("no_update");
    assertThat(form.getBoolean("requireSignature")).isFalse();
    assertThat(response.getBody()).doesNotContain(secret).doesNotContain("whsec_");
  }

  @Test
  void formsAreListedInIdOrderPageByPageWithoutTheirSecrets() {
    createPage("c-page");
    createPage("a-page");
    createForm("b-event", "{\"name\":\"B\",\"kind\":\"event\"}");

    JsonObject first = body(call(HttpEvents.management("GET /v1/forms", "/v1/forms").query("limit", "2").build()));
    JsonObject second = body(call(HttpEvents.management("GET /v1/forms", "/v1/forms").query("limit", "2")
        .query("after", first.getString("next")).build()));

    assertThat(first.getJsonArray("items").stream().map(f -> ((JsonObject) f).getString("id")))
        .containsExactly("a-page", "b-event");
    assertThat(first.getJsonArray("items").getJsonObject(1).getString("kind")).isEqualTo("event");
    assertThat(first.encode()).doesNotContain("signingSecret").doesNotContain("whsec_");
    assertThat(second.getJsonArray("items").stream().map(f -> ((JsonObject) f).getString("id")))
        .containsExactly("c-page");
    assertThat(second.getValue("next")).isNull();
  }

  @Test
  void aListCursorOrLimitThatWeDidNotMakeIs400NamingIt() {
    for (String after : new String[] {"AA", "not base64!", java.util.Base64.getUrlEncoder().encodeToString("a b".getBytes())}) {
      APIGatewayV2HTTPResponse response = call(HttpEvents.management("GET /v1/forms", "/v1/forms").query("after", after).build());
      assertThat(errorFields(assertProblem(response, 400))).as(after).containsExactly("after");
    }
    APIGatewayV2HTTPResponse limit = call(HttpEvents.management("GET /v1/forms", "/v1/forms").query("limit", "0").build());
    assertThat(errorFields(assertProblem(limit, 400))).containsExactly("limit");
  }

  @Test
  void getOfAnUnknownFormIs404() {
    JsonObject problem = assertProblem(getForm("nope"), 404);
    assertThat(problem.getString("detail")).contains("nope");
  }

  @Test
  void aBadKindIs400NamingKind() {
    Map<String, Long> before = tableCounts();
    JsonObject problem = assertProblem(putForm("f1", "{\"name\":\"F\",\"kind\":\"webinar\"}"), 400);
    assertThat(errorFields(problem)).containsExactly("kind");
    assertThat(tableCounts()).isEqualTo(before);
  }

  @Test
  void aMissingNameAndKindAreBothNamed() {
    JsonObject problem = assertProblem(putForm("f1", "{}"), 400);
    assertThat(errorFields(problem)).containsExactlyInAnyOrder("name", "kind");
    assertThat(count("SELECT count(*) FROM forms")).isZero();
  }

  @Test
  void anUnknownContactStrategyIs400NamingContactStrategyId() {
    Map<String, Long> before = tableCounts();
    JsonObject problem = assertProblem(putForm("f1",
        "{\"name\":\"F\",\"kind\":\"marketing_page\",\"contactStrategyId\":\"no-such-strategy\"}"), 400);
    assertThat(errorFields(problem)).containsExactly("contactStrategyId");
    assertThat(problem.getString("detail")).contains("no-such-strategy");
    assertThat(tableCounts()).isEqualTo(before);
  }

  @Test
  void aLeadStrategyUsedAsContactStrategyIs400NamingContactStrategyId() {
    Map<String, Long> before = tableCounts();
    JsonObject problem = assertProblem(putForm("f1",
        "{\"name\":\"F\",\"kind\":\"marketing_page\",\"contactStrategyId\":\"default-lead\"}"), 400);
    assertThat(errorFields(problem)).containsExactly("contactStrategyId");
    assertThat(tableCounts()).isEqualTo(before);
  }

  @Test
  void aContactStrategyUsedAsLeadStrategyIs400NamingLeadStrategyId() {
    JsonObject problem = assertProblem(putForm("f1",
        "{\"name\":\"F\",\"kind\":\"marketing_page\",\"leadStrategyId\":\"default-contact\"}"), 400);
    assertThat(errorFields(problem)).containsExactly("leadStrategyId");
    assertThat(count("SELECT count(*) FROM forms")).isZero();
  }

  @Test
  void aBadUpdateModeAndNonBooleanFlagsAreNamed() {
    JsonObject problem = assertProblem(putForm("f1", """
        {"name": "F", "kind": "marketing_page", "updateMode": "sometimes", "requireSignature": "yes"}"""), 400);
    assertThat(errorFields(problem)).containsExactlyInAnyOrder("updateMode", "requireSignature");
    assertThat(count("SELECT count(*) FROM forms")).isZero();
  }

  @Test
  void aFailedReplaceLeavesTheFormAsItWas() {
    createPage("f1");
    assertProblem(putForm("f1", "{\"name\":\"F2\",\"kind\":\"marketing_page\",\"contactStrategyId\":\"nope\"}"), 400);
    JsonObject form = body(getForm("f1"));
    assertThat(form.getString("name")).isEqualTo("Page f1");
    assertThat(form.getString("contactStrategyId")).isEqualTo("default-contact");
  }

  @Test
  void aFormIdThatIsNotAnIdentifierIs400NamingFormId() {
    APIGatewayV2HTTPResponse response = call(HttpEvents.management("PUT /v1/forms/{formId}", "/v1/forms/bad%20id!")
        .pathParameter("formId", "bad id!")
        .json("{\"name\":\"F\",\"kind\":\"marketing_page\"}")
        .build());
    assertThat(errorFields(assertProblem(response, 400))).containsExactly("formId");
    assertThat(count("SELECT count(*) FROM forms")).isZero();
  }

  @Test
  void aNonJsonFormBodyIs415() {
    Map<String, Long> before = tableCounts();
    APIGatewayV2HTTPResponse response = call(HttpEvents.management("PUT /v1/forms/{formId}", "/v1/forms/f1")
        .pathParameter("formId", "f1")
        .body("name=F&kind=marketing_page".getBytes(StandardCharsets.UTF_8), false)
        .header("content-type", "text/plain")
        .build());
    assertProblem(response, 415);
    assertThat(tableCounts()).isEqualTo(before);
  }

  @Test
  void aFormBodyThatIsNotJsonAtAllIs400() {
    assertProblem(putForm("f1", "{\"name\": \"F\", "), 400);
    assertProblem(putForm("f1", "[1, 2]"), 400);
    assertThat(count("SELECT count(*) FROM forms")).isZero();
  }

  // ---- matching strategies ----

  @Test
  void creatingAStrategyAnswers201AndTheListHasTheDefaultsAndTheNewOne() {
    APIGatewayV2HTTPResponse created = createStrategy(
        "{\"name\":\"Email and last name\",\"entity\":\"contact\",\"fields\":[\"email\",\"lastName\"]}");

    assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);
    JsonObject strategy = body(created);
    String id = strategy.getString("id");
    assertThat(id).isNotBlank().isNotIn("default-contact", "default-lead");
    assertThat(strategy.getString("name")).isEqualTo("Email and last name");
    assertThat(strategy.getString("entity")).isEqualTo("contact");
    assertThat(strategy.getJsonArray("fields")).containsExactly("email", "lastName");
    var stored = row("SELECT entity, fields FROM matching_strategies WHERE id = $1", id);
    assertThat(stored.getString("entity")).isEqualTo("contact");
    assertThat(stored.getArrayOfStrings("fields")).containsExactly("email", "lastName");

    APIGatewayV2HTTPResponse listed = listStrategies();
    assertThat(listed.getStatusCode()).isEqualTo(200);
    JsonObject page = body(listed);
    assertThat(page.containsKey("next")).isTrue();
    assertThat(page.getValue("next")).isNull();
    JsonArray items = page.getJsonArray("items");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      ids.add(items.getJsonObject(i).getString("id"));
    }
    assertThat(ids).containsExactlyInAnyOrder("default-contact", "default-lead", id);
    JsonObject defaultLead = items.stream().map(JsonObject.class::cast)
        .filter(s -> s.getString("id").equals("default-lead")).findFirst().orElseThrow();
    assertThat(defaultLead.getString("entity")).isEqualTo("lead");
    assertThat(defaultLead.getJsonArray("fields")).containsExactly("email", "marketingContextId");
    JsonObject defaultContact = items.stream().map(JsonObject.class::cast)
        .filter(s -> s.getString("id").equals("default-contact")).findFirst().orElseThrow();
    assertThat(defaultContact.getJsonArray("fields")).containsExactly("email");
  }

  @Test
  void aLeadStrategyMayUseMarketingContextId() {
    APIGatewayV2HTTPResponse created = createStrategy(
        "{\"name\":\"Phone per page\",\"entity\":\"lead\",\"fields\":[\"phone\",\"marketingContextId\"]}");
    assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);
    assertThat(body(created).getJsonArray("fields")).containsExactly("phone", "marketingContextId");
  }

  @Test
  void marketingContextIdInAContactStrategyIs400() {
    Map<String, Long> before = tableCounts();
    JsonObject problem = assertProblem(createStrategy(
        "{\"name\":\"Bad\",\"entity\":\"contact\",\"fields\":[\"email\",\"marketingContextId\"]}"), 400);
    assertThat(errorFields(problem)).containsExactly("fields[1]");
    assertThat(tableCounts()).isEqualTo(before);
    assertThat(count("SELECT count(*) FROM matching_strategies")).isEqualTo(2);
  }

  @Test
  void rawColumnNamesAndEmptyFieldListsAreRejected() {
    assertThat(errorFields(assertProblem(createStrategy(
        "{\"name\":\"Bad\",\"entity\":\"contact\",\"fields\":[\"email_norm\"]}"), 400))).containsExactly("fields[0]");
    assertThat(errorFields(assertProblem(createStrategy(
        "{\"name\":\"Bad\",\"entity\":\"contact\",\"fields\":[]}"), 400))).containsExactly("fields");
    assertThat(errorFields(assertProblem(createStrategy(
        "{\"name\":\"Bad\",\"entity\":\"account\",\"fields\":[\"email\"]}"), 400))).contains("entity");
    assertThat(count("SELECT count(*) FROM matching_strategies")).isEqualTo(2);
  }

  @Test
  void aFormCanUseACreatedStrategy() {
    String strategyId = body(createStrategy(
        "{\"name\":\"Email and last name\",\"entity\":\"contact\",\"fields\":[\"email\",\"lastName\"]}")).getString("id");
    APIGatewayV2HTTPResponse response = putForm("f1",
        "{\"name\":\"F\",\"kind\":\"marketing_page\",\"contactStrategyId\":\"" + strategyId + "\"}");
    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
    assertThat(body(getForm("f1")).getString("contactStrategyId")).isEqualTo(strategyId);
    assertThat(row("SELECT contact_strategy_id FROM forms WHERE id = 'f1'").getString(0)).isEqualTo(strategyId);
  }
}
