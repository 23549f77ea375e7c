package io.leadcycle.functions.leadmanagement;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lead changes are segment facts scoring does not read (stage, status, owner, topic): each marks the lead's contact
 * for segment evaluation, in the change's transaction, and nudges segment evaluation once committed. A contact edit
 * marks it through the rescoring statement and reaches segment evaluation through score recalculation.
 */
class SegmentNudgeHandlerTest extends LeadManagementHarness {

  @BeforeEach
  void reset() {
    TestDatabase.reset();
  }

  @Test
  void leadChangesMarkTheirContactForSegmentsAndNudge() {
    String ada = createContact("{\"email\": \"ada@example.com\", \"firstName\": \"Ada\"}").getString("id");
    assertThat(patchContact(ada, "{\"jobTitle\": \"CTO\"}").getStatusCode()).isEqualTo(200);
    assertThat(marked(ada)).as("marked by the statement that marks for rescoring").isEqualTo(1);
    assertThat(segmentNudges).as("score recalculation nudges segment evaluation after rescoring").isEmpty();
    TestDatabase.database().pool().query("DELETE FROM contacts_to_resegment").execute().await();

    JsonObject lead = body(postLead("{\"topic\": \"Demo\", \"contactId\": \"" + ada + "\", \"context\": "
        + MANUAL_CONTEXT + "}"));
    TestDatabase.database().pool().query("DELETE FROM contacts_to_resegment").execute().await();

    act(lead.getString("id"), "mark-sales-ready");
    assertThat(marked(ada)).as("a stage change marks the contact").isEqualTo(1);
    assertThat(segmentNudges).containsExactly("lead-process");

    segmentNudges.clear();
    TestDatabase.database().pool().query("DELETE FROM contacts_to_resegment").execute().await();
    assertThat(patchLead(lead.getString("id"), "{\"topic\": \"Demo, Tuesday\"}").getStatusCode()).isEqualTo(200);
    assertThat(marked(ada)).as("an edit marks the contact").isEqualTo(1);
    assertThat(segmentNudges).containsExactly("lead-edited");
  }

  private static long marked(String contactId) {
    return TestDatabase.count("SELECT count(*) FROM contacts_to_resegment WHERE contact_id = '" + contactId + "'");
  }
}
