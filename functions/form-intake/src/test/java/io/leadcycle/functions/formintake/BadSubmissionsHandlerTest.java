package io.leadcycle.functions.formintake;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.http.StandardWebhooks;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every way a submission can be wrong: a clear 4xx problem, the offending field named, and no row
 * written. Each test starts with one person already known, so "nothing written" also means "nothing
 * changed".
 */
class BadSubmissionsHandlerTest extends FormIntakeHarness {

  private static final String VALID = "{\"fields\":{\"email\":\"ada@example.com\",\"firstName\":\"Ada\"}}";

  private String secret;
  private String knownContactId;
  private Map<String, Long> before;

  @BeforeEach
  void seed() {
    TestDatabase.reset();
    secret = createPage("page");
    APIGatewayV2HTTPResponse seeded = submit("page", secret, VALID);
    assertThat(seeded.getStatusCode()).isEqualTo(201);
    knownContactId = contactId(body(seeded));
    before = tableCounts();
  }

  @AfterEach
  void nothingWasWritten() {
    assertThat(tableCounts()).as("row counts after a rejected request").isEqualTo(before);
    assertThat(contactRow(knownContactId).getString("first_name")).isEqualTo("Ada");
    assertThat(count("SELECT count(*) FROM leads WHERE submitted_fields->>'firstName' = 'Ada'")).isEqualTo(1);
  }

  @Test
  void anUnknownFormIs404() {
    JsonObject problem = assertProblem(submit("no-such-page", secret, VALID), 404);
    assertThat(problem.getString("detail")).contains("no-such-page");
  }

  @Test
  void aMissingSignatureIs401() {
    assertProblem(call(submission("page").json(VALID).build()), 401);
  }

  @Test
  void aSignatureHeaderWithoutIdAndTimestampIs401() {
    assertProblem(call(submission("page").json(VALID).signed(secret)
        .withoutHeader("webhook-id").withoutHeader("webhook-timestamp").build()), 401);
  }

  @Test
  void aWrongSignatureIs401() {
    String otherSecret = StandardWebhooks.newSecret();
    JsonObject problem = assertProblem(call(submission("page").json(VALID).signed(otherSecret).build()), 401);
    assertThat(problem.getString("detail")).contains("signature");
  }

  @Test
  void aBodyChangedAfterSigningIs401() {
    byte[] signedBody = VALID.getBytes(StandardCharsets.UTF_8);
    long now = Instant.now().getEpochSecond();
    assertProblem(call(submission("page")
        .json("{\"fields\":{\"email\":\"ada@example.com\",\"firstName\":\"Mallory\"}}")
        .header("webhook-id", "msg_tampered")
        .header("webhook-timestamp", Long.toString(now))
        .header("webhook-signature", StandardWebhooks.sign(secret, "msg_tampered", now, signedBody))
        .build()), 401);
  }

  @Test
  void aStaleTimestampIs401() {
    JsonObject problem = assertProblem(call(submission("page").json(VALID)
        .signed(secret, "msg_stale", Instant.now().minus(Duration.ofMinutes(6))).build()), 401);
    assertThat(problem.getString("detail")).contains("5 minutes");
  }

  @Test
  void aTimestampFromTheFutureIs401() {
    assertProblem(call(submission("page").json(VALID)
        .signed(secret, "msg_future", Instant.now().plus(Duration.ofMinutes(6))).build()), 401);
  }

  @Test
  void invalidJsonIs400() {
    JsonObject problem = assertProblem(call(submission("page").json("{\"fields\": {\"email\": ").signed(secret).build()), 400);
    assertThat(problem.getString("detail")).containsIgnoringCase("json");
  }

  @Test
  void aJsonArrayBodyIs400() {
    assertProblem(call(submission("page").json("[{\"email\":\"ada@example.com\"}]").signed(secret).build()), 400);
  }

  @Test
  void fieldsThatAreNotAnObjectAre400NamingFields() {
    JsonObject problem = assertProblem(submit("page", secret, "{\"fields\": [\"ada@example.com\"]}"), 400);
    assertThat(errorFields(problem)).containsExactly("fields");
  }

  @Test
  void noEmailWhenTheStrategyNeedsItIs400NamingFieldsEmail() {
    JsonObject problem = assertProblem(submit("page", secret, "{\"fields\":{\"firstName\":\"Ada\"}}"), 400);
    assertThat(errorFields(problem)).containsExactly("fields.email");
  }

  @Test
  void aMalformedEmailIs400NamingFieldsEmail() {
    JsonObject problem = assertProblem(submit("page", secret, "{\"fields\":{\"email\":\"ada-at-example.com\"}}"), 400);
    assertThat(errorFields(problem)).containsExactly("fields.email");
  }

  @Test
  void anOverLongFirstNameIs400NamingFieldsFirstName() {
    String longName = "A".repeat(201);
    JsonObject problem = assertProblem(submit("page", secret,
        "{\"fields\":{\"email\":\"ada@example.com\",\"firstName\":\"" + longName + "\"}}"), 400);
    assertThat(errorFields(problem)).containsExactly("fields.firstName");
  }

  @Test
  void everyInvalidFieldIsNamedAtOnce() {
    JsonObject problem = assertProblem(submit("page", secret, """
        {"submissionId": 7, "submittedAt": "yesterday",
         "fields": {"email": "nope", "phone": "call me", "nested": {"a": 1}}}"""), 400);
    assertThat(errorFields(problem)).containsExactlyInAnyOrder(
        "submissionId", "submittedAt", "fields.email", "fields.phone", "fields.nested");
  }

  @Test
  void aBodyMarkedBase64ThatIsNotIs400() {
    var event = submission("page").formEncoded("email=ada%40example.com").signed(secret).build();
    event.setBody("%%% not base64 %%%");
    assertProblem(call(event), 400);
  }

  @Test
  void consentThatIsNotAnObjectIs400NamingConsent() {
    JsonObject problem = assertProblem(submit("page", secret,
        "{\"fields\":{\"email\":\"ada@example.com\"},\"consent\":\"yes\"}"), 400);
    assertThat(errorFields(problem)).containsExactly("consent");
  }

  @Test
  void tooManyCustomFieldsIs400NamingFields() {
    StringBuilder json = new StringBuilder("{\"fields\":{\"email\":\"ada@example.com\"");
    for (int i = 0; i < 51; i++) {
      json.append(",\"custom").append(i).append("\":\"v\"");
    }
    json.append("}}");
    JsonObject problem = assertProblem(submit("page", secret, json.toString()), 400);
    assertThat(errorFields(problem)).containsExactly("fields");
  }

  @Test
  void aCustomFieldNameThatIsNotAnIdentifierIs400() {
    JsonObject problem = assertProblem(submit("page", secret,
        "{\"fields\":{\"email\":\"ada@example.com\",\"drop table; --\":\"x\"}}"), 400);
    assertThat(errorFields(problem)).containsExactly("fields.drop table; --");
  }

  @Test
  void aBodyOver256KiBIs413() {
    String padding = "x".repeat(1000);
    StringBuilder json = new StringBuilder("{\"fields\":{\"email\":\"ada@example.com\"");
    for (int i = 0; json.length() <= 256 * 1024; i++) {
      json.append(",\"f").append(i).append("\":\"").append(padding).append('"');
    }
    json.append("}}");
    assertThat(json.length()).isGreaterThan(256 * 1024);

    assertProblem(call(submission("page").json(json.toString()).signed(secret).build()), 413);
  }

  @Test
  void textPlainIs415() {
    assertProblem(call(submission("page")
        .body(VALID.getBytes(StandardCharsets.UTF_8), false)
        .header("content-type", "text/plain")
        .signed(secret)
        .build()), 415);
  }

  @Test
  void noContentTypeIs415() {
    assertProblem(call(submission("page").json(VALID).withoutHeader("content-type").signed(secret).build()), 415);
  }
}
