package io.leadcycle.local.leads;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.local.ContractHttp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A person's consent history and their data export over HTTP, through the local server: browser posts to an open
 * form grant and withdraw, the contact shows each change with its submission, and an admin downloads everything held
 * about the person (other roles are refused).
 */
class PrivacyExportHttpTest extends LeadApiTestBase {

  private static HttpResponse<String> download(String token, String contactId) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port()
            + "/v1/privacy/contacts/" + contactId + "/export"))
        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).GET().build();
    return ContractHttp.send(HTTP, request, null);
  }

  @Test
  void consentChangesShowOnTheContactAndAnAdminDownloadsEverything() throws Exception {
    assertThat(call("PUT", "/v1/forms/newsletter", new JsonObject()
        .put("name", "Newsletter").put("kind", "marketing_page").put("requireSignature", false)).status())
        .isEqualTo(201);
    created(call("POST", "/v1/forms/newsletter/submissions", new JsonObject().put("submissionId", "n-1")
        .put("fields", new JsonObject().put("email", "ada@example.com").put("firstName", "Ada"))
        .put("consent", new JsonObject().put("newsletter", true))));
    created(call("POST", "/v1/forms/newsletter/submissions", new JsonObject().put("submissionId", "n-2")
        .put("fields", new JsonObject().put("email", "ada@example.com"))
        .put("consent", new JsonObject().put("newsletter", false))));
    String contactId = ok(get("/v1/contacts?email=ada%40example.com")).getJsonArray("items").getJsonObject(0)
        .getString("id");

    JsonObject contact = ok(get("/v1/contacts/" + contactId));
    assertThat(contact.getJsonObject("consent")).isEqualTo(new JsonObject().put("newsletter", false));
    JsonArray history = contact.getJsonArray("consentHistory");
    assertThat(history).hasSize(2);
    assertThat(history.getJsonObject(0).getString("submissionId")).isEqualTo("n-2");
    assertThat(history.getJsonObject(0).getBoolean("granted")).isFalse();
    assertThat(history.getJsonObject(0).getJsonObject("source"))
        .isEqualTo(new JsonObject().put("kind", "form").put("id", "newsletter"));
    assertThat(history.getJsonObject(1).getString("submissionId")).isEqualTo("n-1");
    assertThat(history.getJsonObject(1).getBoolean("granted")).isTrue();

    HttpResponse<String> export = download(TOKEN, contactId);
    assertThat(export.statusCode()).as(export.body()).isEqualTo(200);
    assertThat(export.headers().firstValue("content-disposition"))
        .contains("attachment; filename=\"contact-" + contactId + ".json\"");
    assertThat(export.headers().firstValue("cache-control")).contains("no-store");
    JsonObject document = new JsonObject(export.body());
    assertThat(document.getJsonArray("consentHistory")).isEqualTo(history);
    assertThat(document.getJsonObject("contact").getString("firstName")).isEqualTo("Ada");
    assertThat(document.getJsonArray("submissions")).hasSize(2);
    assertThat(document.getJsonArray("leads")).hasSize(1);

    Reply marketer = call(TOKEN, "POST", "/v1/users", new JsonObject().put("name", "Mia Marketing")
        .put("roles", new JsonArray().add("marketing")));
    assertThat(download(marketer.body().getString("token"), contactId).statusCode()).isEqualTo(403);
    assertThat(download(TOKEN, UUID.randomUUID().toString()).statusCode()).isEqualTo(404);
  }
}
