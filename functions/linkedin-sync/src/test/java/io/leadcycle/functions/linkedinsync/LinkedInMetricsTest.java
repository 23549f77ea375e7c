package io.leadcycle.functions.linkedinsync;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.leadcycle.testing.InvocationLog;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * LinkedIn form responses count as submissions, whichever way they arrive: taken in (accepted), seen before
 * (replayed) or not taken in (refused); and the contacts and leads they created or matched.
 */
class LinkedInMetricsTest extends LinkedInHarness {

  private static final Instant SUBMITTED = Instant.now().minusSeconds(120);

  private static Map<String, Long> submission(long accepted, long replayed, long refused) {
    return Map.of("SubmissionsAccepted", accepted, "SubmissionsReplayed", replayed, "SubmissionsRefused", refused,
        "SubmissionsFailed", 0L);
  }

  private Map<String, Long> notified(String id, String action) {
    InvocationLog.Captured<APIGatewayV2HTTPResponse> captured =
        InvocationLog.capture(() -> notify(FakeLinkedIn.notification(id, action)));
    assertThat(captured.result().getStatusCode()).as(captured.result().getBody()).isEqualTo(200);
    return captured.metrics();
  }

  @Test
  void theWebhookCountsANewLeadItsRepeatAndNothingForADeletion() {
    saved(putMapping(MAPPING));
    linkedIn.add(FakeLinkedIn.lead("lead-1", SUBMITTED, false,
        FakeLinkedIn.person("Ada", "Lovelace", "ada@example.com", null)));

    Map<String, Long> created = notified("lead-1", "CREATED");
    Map<String, Long> repeated = notified("lead-1", "CREATED");
    Map<String, Long> deleted = notified("lead-1", "DELETED");

    assertThat(created).containsAllEntriesOf(submission(1, 0, 0))
        .containsEntry("ContactsCreated", 1L).containsEntry("LeadsCreated", 1L);
    assertThat(repeated).containsExactlyInAnyOrderEntriesOf(submission(0, 1, 0));
    assertThat(deleted).isEmpty();
  }

  @Test
  void thePollCountsWhatItTookInWhatItHadSeenAndWhatItPassedOver() {
    saved(putMapping(MAPPING));
    linkedIn.add(FakeLinkedIn.lead("by-webhook", SUBMITTED, false,
        FakeLinkedIn.person("Ada", "Lovelace", "ada@example.com", null)));
    notified("by-webhook", "CREATED");
    linkedIn.add(FakeLinkedIn.lead("new-person", SUBMITTED, false,
        FakeLinkedIn.person("Grace", "Hopper", "grace@example.com", null)));
    linkedIn.add(FakeLinkedIn.lead("same-person", SUBMITTED.plusSeconds(1), false,
        FakeLinkedIn.person("Ada", "Lovelace", "ada@example.com", null)));
    linkedIn.add(FakeLinkedIn.lead("test-lead", SUBMITTED, true,
        FakeLinkedIn.person("Test", "Lead", "test@example.com", null)));

    InvocationLog.Captured<Map<String, Object>> run = InvocationLog.capture(this::poll);

    assertThat(run.result()).containsEntry("poll", "completed").containsEntry("responsesRead", 4);
    // Ada's second response matches her contact and her open lead of this form: nothing new but the submission.
    assertThat(run.metrics()).containsAllEntriesOf(submission(2, 1, 1))
        .containsEntry("ContactsCreated", 1L).containsEntry("ContactsMatched", 1L).containsEntry("LeadsCreated", 1L)
        .containsEntry("ScheduledRunsFailed", 0L);
  }
}
