package io.leadcycle.functions.formintake;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/forms/{formId}/submissions}: every accepted submission, as received, with what it did. */
class SubmissionLogHandlerTest extends FormIntakeHarness {

  private String secret;

  @BeforeEach
  void reset() {
    TestDatabase.reset();
    secret = createPage("page");
  }

  @Test
  void eachAcceptedSubmissionIsLoggedAsReceivedWithItsOutcome() {
    JsonObject result = body(call(submission("page").json("""
        {"submissionId": "sub-1", "submittedAt": "2026-11-27T09:30:00+01:00",
         "fields": {"email": " Ada@Example.com ", "firstName": "Ada", "visits": 3},
         "consent": {"newsletter": true}}""").signed(secret).build()));

    JsonObject log = body(submissionLog("page"));

    JsonArray items = log.getJsonArray("items");
    assertThat(items).hasSize(1);
    assertThat(log.getValue("next")).isNull();
    JsonObject entry = items.getJsonObject(0);
    assertThat(entry.getString("submissionId")).isEqualTo("sub-1");
    assertThat(Instant.parse(entry.getString("receivedAt"))).isBefore(Instant.now().plusSeconds(1));
    assertThat(entry.getString("submittedAt")).isEqualTo("2026-11-27T08:30:00Z");
    // Fields exactly as received: untrimmed, numbers stay numbers.
    assertThat(entry.getJsonObject("fields")).isEqualTo(new JsonObject()
        .put("email", " Ada@Example.com ").put("firstName", "Ada").put("visits", 3));
    assertThat(entry.getJsonObject("fields").fieldNames()).containsExactly("email", "firstName", "visits");
    assertThat(entry.getJsonObject("consent")).isEqualTo(new JsonObject().put("newsletter", true));
    JsonObject outcome = entry.getJsonObject("outcome");
    assertThat(outcome.getJsonObject("contact")).isEqualTo(result.getJsonObject("contact"));
    assertThat(outcome.getJsonObject("lead")).isEqualTo(result.getJsonObject("lead"));
    assertThat(outcome.getString("interactionId")).isEqualTo(result.getString("interactionId"));
    assertThat(outcome.getString("summary")).isEqualTo("contact created, lead created");
  }

  @Test
  void theLogIsNewestFirstPageByPageAndReplaysAddNothing() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String key = "sub-" + i;
      keys.add(0, key);
      call(submission("page").json("{\"submissionId\":\"" + key + "\",\"fields\":{\"email\":\"p" + i + "@example.com\"}}")
          .signed(secret).build());
    }
    // A replay of sub-2 is answered from its receipt and is not a new entry.
    call(submission("page").json("{\"submissionId\":\"sub-2\",\"fields\":{\"email\":\"p2@example.com\"}}")
        .signed(secret).build());

    List<String> seen = new ArrayList<>();
    String after = null;
    int pages = 0;
    do {
      JsonObject page = after == null ? body(submissionLog("page", "limit", "2"))
          : body(submissionLog("page", "limit", "2", "after", after));
      page.getJsonArray("items").forEach(item -> seen.add(((JsonObject) item).getString("submissionId")));
      after = page.getString("next");
      pages++;
    } while (after != null);

    assertThat(seen).containsExactlyElementsOf(keys);
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void otherFormsSubmissionsAreNotListedAndBadParametersAre400() {
    String other = createPage("other");
    submit("other", other, "{\"fields\":{\"email\":\"ada@example.com\"}}");

    assertThat(body(submissionLog("page")).getJsonArray("items")).isEmpty();
    assertProblem(submissionLog("no-such-form"), 404);
    assertThat(errorFields(assertProblem(submissionLog("page", "after", "garbage"), 400))).containsExactly("after");
    assertThat(errorFields(assertProblem(submissionLog("page", "limit", "0"), 400))).containsExactly("limit");
  }

  @Test
  void aRefusedSubmissionIsNotLogged() {
    APIGatewayV2HTTPResponse refused = call(submission("page").json("{\"fields\":{\"email\":\"not-an-email\"}}")
        .signed(secret).build());

    assertProblem(refused, 400);
    assertThat(body(submissionLog("page")).getJsonArray("items")).isEmpty();
  }
}
