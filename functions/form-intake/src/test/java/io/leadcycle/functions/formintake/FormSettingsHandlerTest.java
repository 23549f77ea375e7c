package io.leadcycle.functions.formintake;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The newer form settings, PATCH that keeps what it does not name, and the warnings saving gives. */
class FormSettingsHandlerTest extends FormIntakeHarness {

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  @Test
  void aPatchThatOnlyRenamesKeepsEveryOtherSetting() {
    createForm("page", """
        {"name": "Page", "kind": "marketing_page", "requireSignature": false, "updateMode": "only_contacts",
         "accountMatching": "domain", "createAccounts": true, "allowedOrigins": ["https://www.example.com"],
         "redirectUrl": "https://www.example.com/thanks", "honeypotField": "website"}""");
    String secretBefore = row("SELECT signing_secret FROM forms WHERE id = 'page'").getString("signing_secret");

    APIGatewayV2HTTPResponse patched = patchForm("page", "{\"name\": \"Spring page\"}");

    assertThat(patched.getStatusCode()).as(patched.getBody()).isEqualTo(200);
    JsonObject form = body(patched);
    assertThat(form.getString("name")).isEqualTo("Spring page");
    assertThat(form.getBoolean("requireSignature")).isFalse();
    assertThat(form.getString("updateMode")).isEqualTo("only_contacts");
    assertThat(form.getString("accountMatching")).isEqualTo("domain");
    assertThat(form.getBoolean("createAccounts")).isTrue();
    assertThat(form.getJsonArray("allowedOrigins").getList()).containsExactly("https://www.example.com");
    assertThat(form.getString("redirectUrl")).isEqualTo("https://www.example.com/thanks");
    assertThat(form.getString("honeypotField")).isEqualTo("website");
    assertThat(form.containsKey("signingSecret")).isFalse();
    assertThat(body(getForm("page"))).isEqualTo(form);
    assertThat(row("SELECT signing_secret FROM forms WHERE id = 'page'").getString("signing_secret"))
        .isEqualTo(secretBefore);
  }

  @Test
  void nullInAPatchResetsASettingToItsDefault() {
    createForm("page", """
        {"name": "Page", "kind": "marketing_page", "requireSignature": false,
         "redirectUrl": "https://www.example.com/thanks", "updateMode": "only_contacts"}""");

    JsonObject form = body(patchForm("page", "{\"redirectUrl\": null, \"updateMode\": null, \"requireSignature\": null}"));

    assertThat(form.getValue("redirectUrl")).isNull();
    assertThat(form.getString("updateMode")).isEqualTo("contacts_and_leads");
    assertThat(form.getBoolean("requireSignature")).isTrue();
  }

  @Test
  void aPatchIsValidatedLikeAPutAndChangesNothingWhenRefused() {
    createPage("page");
    Map<String, Long> before = tableCounts();
    JsonObject formBefore = body(getForm("page"));

    JsonObject unknown = assertProblem(patchForm("page", "{\"nmae\": \"typo\"}"), 400);
    JsonObject badMode = assertProblem(patchForm("page", "{\"updateMode\": \"sometimes\", \"contactStrategyId\": \"nope\"}"), 400);
    JsonObject empty = assertProblem(patchForm("page", "{}"), 400);
    JsonObject missing = assertProblem(patchForm("no-such-form", "{\"name\": \"x\"}"), 404);

    assertThat(errorFields(unknown)).containsExactly("nmae");
    assertThat(errorFields(badMode)).contains("updateMode");
    assertThat(empty.getString("detail")).contains("changes nothing");
    assertThat(missing.getString("detail")).contains("no-such-form");
    // An unknown strategy is found only against the database; nothing changed either way.
    assertThat(errorFields(assertProblem(patchForm("page", "{\"contactStrategyId\": \"nope\"}"), 400)))
        .containsExactly("contactStrategyId");
    assertThat(tableCounts()).isEqualTo(before);
    assertThat(body(getForm("page"))).isEqualTo(formBefore);
    assertThat(count("SELECT count(*) FROM forms WHERE id = 'no-such-form'")).isZero();
  }

  @Test
  void aChangeMadeByPatchAppliesToTheNextSubmissionAtOnce() {
    String secret = createPage("page");
    submit("page", secret, "{\"fields\":{\"email\":\"ada@example.com\"}}");

    patchForm("page", "{\"updateMode\": \"no_update\"}");
    JsonObject result = body(submit("page", secret, "{\"fields\":{\"email\":\"grace@example.com\"}}"));

    assertThat(result.getValue("contact")).isNull();
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(1);
  }

  @Test
  void savingAFormWhoseLeadsCannotBeScoredSaysSo() {
    APIGatewayV2HTTPResponse created = putForm("webinar", "{\"name\":\"Webinar\",\"kind\":\"marketing_page\",\"updateMode\":\"only_leads\"}");
    APIGatewayV2HTTPResponse plain = putForm("plain", "{\"name\":\"Plain\",\"kind\":\"marketing_page\"}");
    APIGatewayV2HTTPResponse patched = patchForm("plain", "{\"updateMode\": \"no_update\", \"createAccounts\": true}");

    assertThat(body(created).getJsonArray("warnings").getList()).singleElement().asString()
        .contains("only_leads").contains("cannot score");
    assertThat(body(plain).containsKey("warnings")).isFalse();
    assertThat(body(patched).getJsonArray("warnings").getList()).hasSize(2)
        .anySatisfy(w -> assertThat(w.toString()).contains("no_update"))
        .anySatisfy(w -> assertThat(w.toString()).contains("createAccounts has no effect"));
    // GET shows settings, not advice.
    assertThat(body(getForm("webinar")).containsKey("warnings")).isFalse();
  }

  @Test
  void browserSettingsOnASignedFormWarnThatBrowsersCannotSign() {
    JsonObject form = body(putForm("page", """
        {"name": "Page", "kind": "marketing_page", "allowedOrigins": ["https://www.example.com"]}"""));

    assertThat(form.getJsonArray("warnings").getList()).singleElement().asString().contains("requireSignature");
  }

  @Test
  void originsAreNormalizedAndEverySettingIsValidated() {
    JsonObject form = body(putForm("page", """
        {"name": "Page", "kind": "marketing_page", "requireSignature": false,
         "allowedOrigins": ["HTTPS://WWW.Example.com:443", "http://localhost:3000", "https://www.example.com"]}"""));
    assertThat(form.getJsonArray("allowedOrigins").getList())
        .containsExactly("https://www.example.com", "http://localhost:3000");

    JsonObject problem = assertProblem(putForm("bad", """
        {"name": "Bad", "kind": "marketing_page", "accountMatching": "vat_id", "createAccounts": "yes",
         "allowedOrigins": ["https://www.example.com/landing", "*", 7], "redirectUrl": "javascript:alert(1)",
         "honeypotField": "email"}"""), 400);

    assertThat(errorFields(problem)).containsExactlyInAnyOrder("accountMatching", "createAccounts",
        "allowedOrigins[0]", "allowedOrigins[1]", "allowedOrigins[2]", "redirectUrl", "honeypotField");
    assertThat(errorFields(assertProblem(putForm("bad", """
        {"name": "Bad", "kind": "marketing_page", "allowedOrigins": "https://www.example.com"}"""), 400)))
        .containsExactly("allowedOrigins");
    assertThat(count("SELECT count(*) FROM forms")).isEqualTo(1);
  }
}
