package io.leadcycle.functions.formintake;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.runtime.Nudge;
import io.leadcycle.testing.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A submission that marked its contact nudges score recalculation, after its transaction committed (the
 * nudge sees the mark from another connection); one that marked nothing does not nudge.
 */
class ScoringNudgeHandlerTest extends FormIntakeHarness {

  /** Each nudge, with the marks another connection saw at that moment: committed ones only. */
  private final List<String> nudges = new CopyOnWriteArrayList<>();
  private final Nudge recording = reason -> nudges.add(reason + " with " + count("SELECT count(*) FROM contacts_to_rescore")
      + " committed mark(s)");
  private final FormIntakeHandler nudging = new FormIntakeHandler(TestDatabase::database, Clock.systemUTC(), recording);
  private String secret;

  @BeforeEach
  void reset() {
    TestDatabase.reset();
    secret = createPage("page");
  }

  private APIGatewayV2HTTPResponse send(APIGatewayV2HTTPEvent event) {
    return answer(nudging, event);
  }

  @Test
  void anAcceptedSubmissionNudgesOnceItsMarkIsCommitted() {
    APIGatewayV2HTTPResponse response = send(submission("page").json("{\"fields\":{\"email\":\"ada@example.com\"}}")
        .signed(secret, "msg_1", Instant.now()).build());

    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
    assertThat(nudges).containsExactly("form-intake with 1 committed mark(s)");
  }

  @Test
  void aReplayARefusalAndADroppedBotSubmissionDoNotNudge() {
    String json = "{\"fields\":{\"email\":\"ada@example.com\"}}";
    send(submission("page").json(json).signed(secret, "msg_1", Instant.now()).build());
    nudges.clear();

    APIGatewayV2HTTPResponse replay = send(submission("page").json(json).signed(secret, "msg_1", Instant.now()).build());
    APIGatewayV2HTTPResponse invalid = send(submission("page").json("{\"fields\":{\"email\":\"not an address\"}}")
        .signed(secret, "msg_2", Instant.now()).build());
    createForm("trap", "{\"name\":\"Trap\",\"kind\":\"marketing_page\",\"requireSignature\":false,\"honeypotField\":\"website\"}");
    APIGatewayV2HTTPResponse bot = send(submission("trap")
        .json("{\"fields\":{\"email\":\"bot@example.com\",\"website\":\"http://spam.example\"}}").build());

    assertThat(replay.getStatusCode()).isEqualTo(200);
    assertThat(invalid.getStatusCode()).isEqualTo(400);
    assertThat(bot.getStatusCode()).isEqualTo(201);
    assertThat(nudges).isEmpty();
  }

  @Test
  void aSubmissionWithoutAContactMarksNothingAndDoesNotNudge() {
    String leadsOnly = createForm("webinar", "{\"name\":\"Webinar\",\"kind\":\"marketing_page\",\"updateMode\":\"only_leads\"}");

    APIGatewayV2HTTPResponse response = send(submission("webinar").json("{\"fields\":{\"email\":\"grace@example.com\"}}")
        .signed(leadsOnly, "msg_3", Instant.now()).build());

    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
    assertThat(count("SELECT count(*) FROM contacts_to_rescore")).isZero();
    assertThat(nudges).isEmpty();
  }
}
