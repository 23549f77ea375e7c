package io.leadcycle.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A landing page posting from the visitor's browser, over real HTTP through the local server: the CORS
 * preflight, a fetch() from the page, a plain HTML form post sent on to the thank-you page, a PATCH
 * and the submission log.
 */
class BrowserPostsHttpTest {

  private static final String TOKEN = "test-token-browser";
  private static final String ORIGIN = "https://www.example.com";
  private static LocalServer server;
  // Redirects are the answer under test, not something to follow.
  private static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @BeforeAll
  static void start() {
    server = LocalServer.start(Map.of(
        "DATABASE_URL", TestDatabase.url(), "LEADCYCLE_SCHEDULE_SECONDS", "0"), 0, TOKEN);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void reset() throws Exception {
    TestDatabase.reset();
    HttpResponse<String> created = send(management("/v1/forms/spring").header("Content-Type", "application/json")
        .PUT(BodyPublishers.ofString("""
            {"name": "Spring", "kind": "marketing_page", "requireSignature": false,
             "allowedOrigins": ["https://www.example.com"], "redirectUrl": "https://www.example.com/thanks"}""")));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), BodyHandlers.ofString());
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path));
  }

  private static HttpRequest.Builder management(String path) {
    return request(path).header("Authorization", "Bearer " + TOKEN);
  }

  @Test
  void aPagesFetchIsPreflightedAndAnsweredWithCorsHeaders() throws Exception {
    HttpResponse<String> preflight = send(request("/v1/forms/spring/submissions").header("Origin", ORIGIN)
        .header("Access-Control-Request-Method", "POST").header("Access-Control-Request-Headers", "content-type")
        .method("OPTIONS", BodyPublishers.noBody()));
    HttpResponse<String> refused = send(request("/v1/forms/spring/submissions").header("Origin", "https://evil.example")
        .header("Access-Control-Request-Method", "POST").method("OPTIONS", BodyPublishers.noBody()));
    HttpResponse<String> posted = send(request("/v1/forms/spring/submissions").header("Origin", ORIGIN)
        .header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString("{\"fields\":{\"email\":\"ada@example.com\"}}")));

    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.headers().firstValue("access-control-allow-origin")).hasValue(ORIGIN);
    assertThat(preflight.headers().firstValue("access-control-allow-methods")).hasValue("POST");
    assertThat(preflight.body()).isEmpty();
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
    assertThat(posted.headers().firstValue("access-control-allow-origin")).hasValue(ORIGIN);
  }

  private static HttpResponse<String> post(String json) throws Exception {
    return send(request("/v1/forms/spring/submissions").header("Origin", ORIGIN)
        .header("Content-Type", "application/json").POST(BodyPublishers.ofString(json)));
  }

  @Test
  void aBrowserPostNeitherOverwritesNorRevealsAContactAndItsKeyIsBoundToItsBody() throws Exception {
    assertThat(post("{\"submissionId\":\"s-1\",\"fields\":{\"email\":\"Ada@example.com\",\"firstName\":\"Ada\"}}")
        .statusCode()).isEqualTo(201);

    HttpResponse<String> probe = post("""
        {"submissionId": "s-2", "fields": {"email": "ada@example.com", "firstName": "Mallory", "companyName": "Evil Corp"}}""");
    HttpResponse<String> reused = post("{\"submissionId\":\"s-2\",\"fields\":{\"email\":\"eve@example.com\"}}");

    assertThat(probe.statusCode()).isEqualTo(201);
    assertThat(new JsonObject(probe.body())).isEqualTo(new JsonObject().put("status", "accepted")
        .put("submissionId", "s-2").putNull("contact").putNull("lead").putNull("interactionId").put("replayed", false));
    JsonObject ada = new JsonObject(send(management("/v1/contacts?email=ada%40example.com").GET()).body())
        .getJsonArray("items").getJsonObject(0);
    assertThat(ada.getString("email")).isEqualTo("Ada@example.com");
    assertThat(ada.getString("firstName")).isEqualTo("Ada");
    assertThat(ada.getString("companyName")).isEqualTo("Evil Corp"); // was empty: filled
    assertThat(reused.statusCode()).isEqualTo(409);
    assertThat(reused.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(new JsonObject(reused.body()).getString("detail")).contains("s-2");
    assertThat(TestDatabase.count("SELECT count(*) FROM contacts")).isEqualTo(1);
  }

  @Test
  void aPlainHtmlFormPostIsSentToTheThankYouPage() throws Exception {
    HttpResponse<String> accepted = send(request("/v1/forms/spring/submissions").header("Origin", ORIGIN)
        .header("Accept", "text/html,application/xhtml+xml").header("Content-Type", "application/x-www-form-urlencoded")
        .POST(BodyPublishers.ofString("email=ada%40example.com&firstName=Ada")));
    HttpResponse<String> refused = send(request("/v1/forms/spring/submissions")
        .header("Accept", "text/html").header("Content-Type", "application/x-www-form-urlencoded")
        .POST(BodyPublishers.ofString("email=a%ZZ@x.com")));

    assertThat(accepted.statusCode()).isEqualTo(303);
    assertThat(accepted.headers().firstValue("location")).hasValue("https://www.example.com/thanks");
    assertThat(refused.statusCode()).isEqualTo(303);
    assertThat(refused.headers().firstValue("location")).hasValue("https://www.example.com/thanks?error=invalid");
    assertThat(TestDatabase.count("SELECT count(*) FROM contacts")).isEqualTo(1);
  }

  @Test
  void aPatchKeepsTheOtherSettingsAndTheLogListsWhatWasSubmitted() throws Exception {
    HttpResponse<String> patched = send(management("/v1/forms/spring").header("Content-Type", "application/json")
        .method("PATCH", BodyPublishers.ofString("{\"name\": \"Spring 2027\"}")));
    send(request("/v1/forms/spring/submissions").header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString("{\"submissionId\":\"s-1\",\"fields\":{\"email\":\"ada@example.com\"}}")));
    HttpResponse<String> log = send(management("/v1/forms/spring/submissions?limit=10").GET());

    assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
    assertThat(new JsonObject(patched.body()).getBoolean("requireSignature")).isFalse();
    assertThat(log.statusCode()).isEqualTo(200);
    JsonObject entry = new JsonObject(log.body()).getJsonArray("items").getJsonObject(0);
    assertThat(entry.getString("submissionId")).isEqualTo("s-1");
    assertThat(entry.getJsonObject("fields").getString("email")).isEqualTo("ada@example.com");
  }
}
