package io.leadcycle.functions.formintake;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.testing.TestDatabase;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Inputs at the edges of what intake accepts: each answers a 4xx (or an honest result), never a 500. */
class IntakeBoundsHandlerTest extends FormIntakeHarness {

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  @Test
  void anOverLongWebhookIdIsA400AndWritesNothing() {
    String secret = createPage("page");
    Map<String, Long> before = tableCounts();

    APIGatewayV2HTTPResponse response = call(submission("page")
        .json("{\"fields\": {\"email\": \"ada@example.com\"}}")
        .signed(secret, "msg_" + "x".repeat(3500), Instant.now()).build());

    assertThat(errorFields(assertProblem(response, 400))).containsExactly("webhook-id");
    assertThat(tableCounts()).isEqualTo(before);
  }

  @Test
  void sendingTheSameConsentAgainIsNotAnUpdate() {
    String secret = createPage("page");
    String body = "{\"fields\": {\"email\": \"ada@example.com\"}, \"consent\": {\"newsletter\": true}}";
    call(submission("page").json(body).signed(secret).build());

    APIGatewayV2HTTPResponse again = call(submission("page").json(body).signed(secret).build());
    APIGatewayV2HTTPResponse changed = call(submission("page")
        .json("{\"fields\": {\"email\": \"ada@example.com\"}, \"consent\": {\"newsletter\": false}}")
        .signed(secret).build());

    assertThat(body(again).getJsonObject("contact").getBoolean("updated")).isFalse();
    assertThat(body(changed).getJsonObject("contact").getBoolean("updated")).isTrue();
  }

  @Test
  void aSubmissionDatedFarInTheFutureIsA400() {
    String secret = createPage("page");

    APIGatewayV2HTTPResponse response = call(submission("page")
        .json("{\"submittedAt\": \"+300000-01-01T00:00:00Z\", \"fields\": {\"email\": \"ada@example.com\"}}")
        .signed(secret).build());

    assertThat(errorFields(assertProblem(response, 400))).containsExactly("submittedAt");
  }

  @Test
  void aMisspelledFormSettingIsA400NotASilentDefault() {
    APIGatewayV2HTTPResponse response = putForm("page",
        "{\"name\": \"Page\", \"kind\": \"marketing_page\", \"updatemode\": \"no_update\"}");

    assertThat(errorFields(assertProblem(response, 400))).containsExactly("updatemode");
    assertThat(count("SELECT count(*) FROM forms")).isZero();
  }

  @Test
  void aMisspelledStrategySettingIsA400() {
    APIGatewayV2HTTPResponse response = createStrategy(
        "{\"name\": \"By phone\", \"entity\": \"contact\", \"fields\": [\"phone\"], \"feilds\": []}");

    assertThat(errorFields(assertProblem(response, 400))).containsExactly("feilds");
  }
}
