package io.leadcycle.functions.formintake;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.domain.Unavailable;
import io.leadcycle.testing.HttpEvents;
import io.leadcycle.testing.InvocationLog;
import io.leadcycle.testing.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What each submission counts, read from its closing log line as CloudWatch reads EMF: exactly one of
 * accepted, replayed, refused or failed (the other three 0), and the contact and lead it created or matched.
 */
class SubmissionMetricsHandlerTest extends FormIntakeHarness {

  private String secret;
  private String otherSecret;

  @BeforeEach
  void reset() {
    TestDatabase.reset();
    secret = createPage("page");
    otherSecret = createPage("other-page");
    createForm("browser-page", """
        {"name": "Browser page", "kind": "marketing_page", "requireSignature": false,
         "allowedOrigins": ["https://www.example.com"], "redirectUrl": "https://www.example.com/thanks",
         "honeypotField": "website"}""");
  }

  /** The metrics of the one invocation that answered {@code event} with {@code status}. */
  private Map<String, Long> metrics(FormIntakeHandler target, APIGatewayV2HTTPEvent event, int status) {
    InvocationLog.Captured<APIGatewayV2HTTPResponse> captured =
        InvocationLog.capture(() -> target.handleRequest(event, null));
    assertThat(captured.result().getStatusCode()).as(captured.result().getBody()).isEqualTo(status);
    assertThat(captured.line().getString("FunctionName")).isEqualTo("FormIntakeHandler");
    return captured.metrics();
  }

  private Map<String, Long> metrics(APIGatewayV2HTTPEvent event, int status) {
    return metrics(handler, event, status);
  }

  private static Map<String, Long> submission(long accepted, long replayed, long refused, long failed) {
    return Map.of("SubmissionsAccepted", accepted, "SubmissionsReplayed", replayed, "SubmissionsRefused", refused,
        "SubmissionsFailed", failed);
  }

  private APIGatewayV2HTTPEvent signedAda(String formId, String formSecret, String webhookId) {
    return submission(formId).json("{\"fields\":{\"email\":\"ada@example.com\",\"firstName\":\"Ada\"}}")
        .signed(formSecret, webhookId, Instant.now()).build();
  }

  @Test
  void aNewPersonIsOneAcceptedSubmissionWithAContactAndALeadCreated() {
    Map<String, Long> metrics = metrics(signedAda("page", secret, "msg-1"), 201);

    assertThat(metrics).containsAllEntriesOf(submission(1, 0, 0, 0))
        .containsEntry("ContactsCreated", 1L).containsEntry("LeadsCreated", 1L)
        .doesNotContainKey("ContactsMatched");
  }

  @Test
  void theSamePersonOnAnotherPageMatchesTheContactAndGetsANewLead() {
    metrics(signedAda("page", secret, "msg-1"), 201);

    Map<String, Long> second = metrics(signedAda("other-page", otherSecret, "msg-2"), 201);

    assertThat(second).containsAllEntriesOf(submission(1, 0, 0, 0))
        .containsEntry("ContactsMatched", 1L).containsEntry("LeadsCreated", 1L)
        .doesNotContainKey("ContactsCreated");
  }

  @Test
  void aReplayedDeliveryIsCountedAsReplayedAndCreatesNothing() {
    metrics(signedAda("page", secret, "msg-1"), 201);

    Map<String, Long> replay = metrics(signedAda("page", secret, "msg-1"), 200);

    assertThat(replay).containsExactlyInAnyOrderEntriesOf(submission(0, 1, 0, 0));
  }

  @Test
  void everyRefusalCountsOnceWhateverItsAnswer() {
    APIGatewayV2HTTPEvent invalid = submission("page").json("{\"fields\":{\"email\":\"not an address\"}}")
        .signed(secret).build();
    APIGatewayV2HTTPEvent unsigned = submission("page").json("{\"fields\":{\"email\":\"ada@example.com\"}}").build();
    APIGatewayV2HTTPEvent unknownForm = submission("no-such-form").json("{\"fields\":{\"email\":\"ada@example.com\"}}")
        .build();
    APIGatewayV2HTTPEvent honeypot = submission("browser-page")
        .json("{\"fields\":{\"email\":\"bot@example.com\",\"website\":\"http://spam.example\"}}").build();
    APIGatewayV2HTTPEvent otherOrigin = submission("browser-page").header("origin", "https://evil.example")
        .json("{\"fields\":{\"email\":\"ada@example.com\"}}").build();
    APIGatewayV2HTTPEvent invalidBrowserPost = submission("browser-page").header("accept", "text/html")
        .formEncoded("email=not-an-email").build();

    assertThat(metrics(invalid, 400)).containsExactlyInAnyOrderEntriesOf(submission(0, 0, 1, 0));
    assertThat(metrics(unsigned, 401)).containsExactlyInAnyOrderEntriesOf(submission(0, 0, 1, 0));
    assertThat(metrics(unknownForm, 404)).containsExactlyInAnyOrderEntriesOf(submission(0, 0, 1, 0));
    // Answered like an accepted anonymous submission, so that a bot learns nothing; counted as what it is.
    assertThat(metrics(honeypot, 201)).containsExactlyInAnyOrderEntriesOf(submission(0, 0, 1, 0));
    assertThat(metrics(otherOrigin, 403)).containsExactlyInAnyOrderEntriesOf(submission(0, 0, 1, 0));
    // Sent on to the thank-you page with the reason: still refused.
    assertThat(metrics(invalidBrowserPost, 303)).containsExactlyInAnyOrderEntriesOf(submission(0, 0, 1, 0));
    assertThat(count("SELECT count(*) FROM contacts")).isZero();
  }

  @Test
  void aFailureOnOurSideIsCountedAsFailed() {
    FormIntakeHandler databaseDown = new FormIntakeHandler(() -> {
      throw new Unavailable("the database is down");
    }, Clock.systemUTC());

    assertThat(metrics(databaseDown, signedAda("page", secret, "msg-1"), 503))
        .containsExactlyInAnyOrderEntriesOf(submission(0, 0, 0, 1));
  }

  @Test
  void managementRoutesCountNothing() {
    InvocationLog.Captured<APIGatewayV2HTTPResponse> captured = InvocationLog.capture(() -> handler.handleRequest(
        HttpEvents.management("GET /v1/forms", "/v1/forms").build(), null));

    assertThat(captured.result().getStatusCode()).isEqualTo(200);
    assertThat(captured.line().containsKey("_aws")).isFalse();
    assertThat(captured.line().getValue("coldStart")).isInstanceOf(Boolean.class);
  }
}
