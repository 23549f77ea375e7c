package io.leadcycle.functions.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.runtime.Nudge;
import io.leadcycle.runtime.RescoringGroups;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Interactions that were stored, and a model going live, nudge score recalculation once committed (the
 * nudge sees the marks from another connection); a batch that stored nothing does not nudge.
 */
class ScoringNudgeHandlerTest extends ScoringHarness {

  private static final String AT = "2026-11-27T10:15:00Z";
  private final List<String> nudges = new CopyOnWriteArrayList<>();
  private final Nudge recording = reason -> nudges.add(reason + " with " + count("SELECT count(*) FROM contacts_to_rescore")
      + " committed mark(s)");
  private final ScoringHandler nudging = new ScoringHandler(TestDatabase::database, Clock.systemUTC(), recording);
  private final List<String> grouped = new CopyOnWriteArrayList<>();
  private final Nudge recordingGroups = new Nudge() {
    @Override
    public void send(String reason) {
      grouped.add(reason + " in the writers' group");
    }

    @Override
    public void send(String reason, String group) {
      grouped.add(reason + " in " + group);
    }
  };

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  private APIGatewayV2HTTPResponse postInteractions(JsonArray items) {
    return answer(nudging, request("POST /v1/interactions", "/v1/interactions")
        .json(new JsonObject().put("interactions", items).encode()).build());
  }

  @Test
  void storedInteractionsNudgeOnceTheirMarksAreCommitted() {
    UUID ada = createContact("ada@example.com", "Ada");
    UUID bob = createContact("bob@example.com", "Bob");
    TestDatabase.database().pool().query("DELETE FROM contacts_to_rescore").execute().await();

    APIGatewayV2HTTPResponse response = postInteractions(new JsonArray()
        .add(interaction("open-1", "email_opened", ada.toString(), AT))
        .add(interaction("open-2", "email_opened", bob.toString(), AT)));

    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
    assertThat(nudges).containsExactly("interactions with 2 committed mark(s)");
  }

  @Test
  void aBatchThatStoredNothingDoesNotNudge() {
    UUID ada = createContact("ada@example.com", "Ada");
    postInteractions(new JsonArray().add(interaction("open-1", "email_opened", ada.toString(), AT)));
    nudges.clear();

    APIGatewayV2HTTPResponse again = postInteractions(new JsonArray()
        .add(interaction("open-1", "email_opened", ada.toString(), AT))            // a duplicate
        .add(interaction("ghost-1", "email_clicked", "nobody@example.com", AT)));  // no such contact

    assertThat(again.getStatusCode()).isEqualTo(202);
    assertThat(body(again).getInteger("accepted")).isZero();
    assertThat(nudges).isEmpty();
  }

  @Test
  void aModelGoingLiveNudgesEachRescoringGroupSoItsFullRescoringStartsNowInParallelRuns() {
    ScoringHandler twoRuns = new ScoringHandler(TestDatabase::database, Clock.systemUTC(), recordingGroups,
        new RescoringGroups(2));
    String id = createModel(model("Fit")).getString("id");
    assertThat(grouped).as("a draft changes no score").isEmpty();

    APIGatewayV2HTTPResponse published = answer(twoRuns, actionEvent(id, "publish").build());

    assertThat(published.getStatusCode()).as(published.getBody()).isEqualTo(200);
    assertThat(grouped).containsExactly("model-published in rescoring-1", "model-published in rescoring-2");
  }
}
