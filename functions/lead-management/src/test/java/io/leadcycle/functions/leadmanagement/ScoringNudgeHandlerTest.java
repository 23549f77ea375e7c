package io.leadcycle.functions.leadmanagement;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lead management nudges score recalculation after changes that marked contacts (a contact edited, a lead
 * created with a contact, a lead linked to another contact) and only those.
 */
class ScoringNudgeHandlerTest extends LeadManagementHarness {

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  @Test
  void changesThatMarkContactsNudgeAndOthersDoNot() {
    String ada = createContact("{\"email\": \"ada@example.com\", \"firstName\": \"Ada\"}").getString("id");
    String grace = createContact("{\"email\": \"grace@example.com\"}").getString("id");
    assertThat(scoringNudges).as("a new contact has no lead to score yet: not marked").isEmpty();

    assertThat(patchContact(ada, "{\"jobTitle\": \"CTO\"}").getStatusCode()).isEqualTo(200);
    assertThat(scoringNudges).containsExactly("contact-edited");

    scoringNudges.clear();
    String orphan = createLead("Walk-in").getString("id");
    assertThat(scoringNudges).as("a lead with neither contact nor account marks nothing").isEmpty();
    JsonObject linked = body(postLead("{\"topic\": \"Demo\", \"contactId\": \"" + ada + "\", \"context\": "
        + MANUAL_CONTEXT + "}"));
    assertThat(scoringNudges).containsExactly("lead-created");

    scoringNudges.clear();
    assertThat(patchLead(orphan, "{\"topic\": \"Walk-in, Tuesday\"}").getStatusCode()).isEqualTo(200);
    assertThat(scoringNudges).as("a new topic changes no fact").isEmpty();
    assertThat(patchLead(orphan, "{\"contactId\": \"" + grace + "\"}").getStatusCode()).isEqualTo(200);
    assertThat(scoringNudges).containsExactly("lead-relinked");

    scoringNudges.clear();
    act(linked.getString("id"), "mark-sales-ready");
    assertThat(scoringNudges).as("a process action marks nothing for rescoring").isEmpty();
    assertThat(nudges).as("it nudges threshold notification").contains("lead-process");
  }
}
