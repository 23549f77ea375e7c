package io.leadcycle.functions.formintake;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.testing.HttpEvents;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Landing pages posting from the visitor's browser: CORS, thank-you redirects, the honeypot, helpful refusals. */
class BrowserPostsHandlerTest extends FormIntakeHarness {

  private static final String PAGE_ORIGIN = "https://www.example.com";
  private static final String THANKS = "https://www.example.com/thanks";

  @BeforeEach
  void reset() {
    TestDatabase.reset();
    createForm("page", """
        {"name": "Page", "kind": "marketing_page", "requireSignature": false,
         "allowedOrigins": ["https://www.example.com"], "redirectUrl": "https://www.example.com/thanks",
         "honeypotField": "website"}""");
  }

  private static HttpEvents preflight(String formId, String origin) {
    HttpEvents request = HttpEvents.request("OPTIONS /v1/forms/{formId}/submissions", "/v1/forms/" + formId + "/submissions")
        .pathParameter("formId", formId)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type");
    return origin == null ? request : request.header("origin", origin);
  }

  private static String header(APIGatewayV2HTTPResponse response, String name) {
    return response.getHeaders().get(name);
  }

  @Test
  void aPreflightFromAnAllowedOriginIsAnswered204WithTheCorsHeaders() {
    APIGatewayV2HTTPResponse response = call(preflight("page", PAGE_ORIGIN).build());

    assertThat(response.getStatusCode()).isEqualTo(204);
    assertThat(header(response, "access-control-allow-origin")).isEqualTo(PAGE_ORIGIN);
    assertThat(header(response, "access-control-allow-methods")).isEqualTo("POST");
    assertThat(header(response, "access-control-allow-headers")).contains("content-type");
    assertThat(header(response, "vary")).isEqualTo("Origin");
  }

  @Test
  void aPreflightFromAnotherOriginOrForAnUnknownFormIsRefused() {
    assertThat(assertProblem(call(preflight("page", "https://evil.example").build()), 403).getString("detail"))
        .contains("https://evil.example");
    assertProblem(call(preflight("page", null).build()), 400);
    assertProblem(call(preflight("no-such-form", PAGE_ORIGIN).build()), 404);
  }

  @Test
  void aFetchFromTheAllowedOriginGetsJsonWithCorsHeaders() {
    APIGatewayV2HTTPResponse response = call(submission("page").header("origin", PAGE_ORIGIN)
        .json("{\"fields\":{\"email\":\"ada@example.com\"}}").build());

    assertThat(response.getStatusCode()).isEqualTo(201);
    assertThat(header(response, "access-control-allow-origin")).isEqualTo(PAGE_ORIGIN);
    // A refusal is readable by the page too.
    APIGatewayV2HTTPResponse refused = call(submission("page").header("origin", PAGE_ORIGIN)
        .json("{\"fields\":{\"email\":\"nope\"}}").build());
    assertProblem(refused, 400);
    assertThat(header(refused, "access-control-allow-origin")).isEqualTo(PAGE_ORIGIN);
  }

  @Test
  void aPostFromADisallowedOriginIs403AndWritesNothing() {
    Map<String, Long> before = tableCounts();

    APIGatewayV2HTTPResponse response = call(submission("page").header("origin", "https://evil.example")
        .json("{\"fields\":{\"email\":\"ada@example.com\"}}").build());

    assertProblem(response, 403);
    assertThat(header(response, "access-control-allow-origin")).isNull();
    assertThat(tableCounts()).isEqualTo(before);
  }

  @Test
  void aServerPostWithoutOriginIsNotABrowsersToRefuse() {
    APIGatewayV2HTTPResponse response = call(submission("page").json("{\"fields\":{\"email\":\"ada@example.com\"}}").build());

    assertThat(response.getStatusCode()).isEqualTo(201);
  }

  @Test
  void aBrowserFormPostIsSentOnToTheThankYouPage() {
    APIGatewayV2HTTPResponse response = call(submission("page").header("origin", PAGE_ORIGIN)
        .header("accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
        .formEncoded("email=ada%40example.com&firstName=Ada&website=").build());

    assertThat(response.getStatusCode()).isEqualTo(303);
    assertThat(header(response, "location")).isEqualTo(THANKS);
    assertThat(count("SELECT count(*) FROM contacts WHERE email_norm = 'ada@example.com'")).isEqualTo(1);
  }

  @Test
  void aRefusedBrowserFormPostGoesToTheThankYouPageWithTheReason() {
    Map<String, Long> before = tableCounts();

    APIGatewayV2HTTPResponse response = call(submission("page").header("accept", "text/html")
        .formEncoded("email=not-an-email").build());

    assertThat(response.getStatusCode()).isEqualTo(303);
    assertThat(header(response, "location")).isEqualTo(THANKS + "?error=invalid&field=email");
    assertThat(tableCounts()).isEqualTo(before);
  }

  @Test
  void aProgramThatWantsJsonStillGetsJson() {
    APIGatewayV2HTTPResponse response = call(submission("page").header("accept", "application/json")
        .formEncoded("email=ada%40example.com").build());

    assertThat(response.getStatusCode()).isEqualTo(201);
    assertThat(body(response).getString("status")).isEqualTo("accepted");
  }

  @Test
  void aFilledHoneypotIsAnsweredAsAcceptedAndWritesNothing() {
    Map<String, Long> before = tableCounts();

    APIGatewayV2HTTPResponse json = call(submission("page")
        .json("{\"fields\":{\"email\":\"bot@example.com\",\"website\":\"http://spam.example\"}}").build());
    APIGatewayV2HTTPResponse browser = call(submission("page").header("accept", "text/html")
        .formEncoded("email=bot%40example.com&website=spam").build());

    assertThat(json.getStatusCode()).isEqualTo(201);
    assertThat(body(json).getString("status")).isEqualTo("accepted");
    assertThat(body(json).getValue("contact")).isNull();
    assertThat(body(json).getBoolean("replayed")).isFalse();
    assertThat(browser.getStatusCode()).isEqualTo(303);
    assertThat(header(browser, "location")).isEqualTo(THANKS);
    assertThat(tableCounts()).isEqualTo(before);
  }

  @Test
  void jsonSentAsFormEncodingIsToldToSayApplicationJson() {
    APIGatewayV2HTTPResponse response = call(submission("page")
        .formEncoded("{\"fields\":{\"email\":\"ada@example.com\"}}").build());

    JsonObject problem = assertProblem(response, 415);
    assertThat(problem.getString("detail")).contains("Content-Type: application/json");
    assertThat(count("SELECT count(*) FROM contacts")).isZero();
  }

  @Test
  void aFieldThatLooksLikeAStandardFieldIsKeptButTheAnswerSaysWhatWasMeant() {
    JsonObject result = body(call(submission("page")
        .json("{\"fields\":{\"email\":\"ada@example.com\",\"firstname\":\"Ada\",\"emial\":\"x\",\"plan\":\"pro\"}}").build()));

    assertThat(result.getJsonArray("warnings").getList()).containsExactly(
        "firstname: not a standard field; did you mean firstName? It was kept as a custom attribute.",
        "emial: not a standard field; did you mean email? It was kept as a custom attribute.");
    JsonObject attributes = row("SELECT attributes FROM contacts").getJsonObject("attributes");
    assertThat(attributes.getString("firstname")).isEqualTo("Ada");
    assertThat(attributes.getString("plan")).isEqualTo("pro");
  }
}
