package io.leadcycle.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What an activity may say (one error per fault), and what it leaves of the lead's open follow-up. */
class ActivityTest {

  private static final Instant NOW = Instant.parse("2026-12-07T09:00:00Z");
  private static final UUID TOM = UUID.randomUUID();
  private static final UUID SAM = UUID.randomUUID();

  private static Map<String, Object> body(Object... nameValues) {
    Map<String, Object> body = new LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      body.put((String) nameValues[i], nameValues[i + 1]);
    }
    return body;
  }

  private static List<String> faults(Map<String, Object> body) {
    try {
      Activity.parse(body, NOW);
    } catch (InvalidInput e) {
      return e.errors().stream().map(FieldError::field).toList();
    }
    throw new AssertionError("accepted: " + body);
  }

  @Test
  void aCallBackWithItsTimeIsAccepted() {
    Activity call = Activity.parse(body("kind", "call", "outcome", "call_back", "note", " after lunch ",
        "followUpAt", "2026-12-07T14:00:00+01:00"), NOW);

    assertThat(call.kind()).isEqualTo(Activity.Kind.CALL);
    assertThat(call.outcome()).isEqualTo(Activity.Outcome.CALL_BACK);
    assertThat(call.followUpAt()).isEqualTo(Instant.parse("2026-12-07T13:00:00Z"));
  }

  @Test
  void eachFaultIsOneError() {
    assertThat(faults(body())).containsExactly("kind");
    assertThat(faults(body("kind", "meeting"))).containsExactly("kind");
    assertThat(faults(body("kind", "note", "outcome", "reached"))).containsExactly("outcome");
    assertThat(faults(body("kind", "call", "outcome", 3))).containsExactly("outcome");
    assertThat(faults(body("kind", "call", "outcome", "call_back"))).containsExactly("followUpAt");
    assertThat(faults(body("kind", "call", "outcome", "call_back", "followUpAt", "soon"))).containsExactly("followUpAt");
    assertThat(faults(body("kind", "call", "followUpAt", "2026-12-07T09:00:00"))).as("no offset").containsExactly("followUpAt");
    assertThat(faults(body("kind", "call", "followUpAt", NOW.minus(Duration.ofHours(25)).toString())))
        .containsExactly("followUpAt");
    assertThat(faults(body("kind", "call", "followUpAt", NOW.plus(Duration.ofDays(367)).toString())))
        .containsExactly("followUpAt");
    assertThat(faults(body("kind", "note", "note", "x".repeat(Activity.MAX_NOTE_LENGTH + 1)))).containsExactly("note");
    assertThat(faults(body("kind", "note", "note", ""))).containsExactly("note");
    assertThat(faults(body("kind", "email", "outcome", "reached", "due", "now", "note", 5)))
        .containsExactlyInAnyOrder("due", "outcome", "note");
  }

  @Test
  void aFollowUpLoggedLateIsAcceptedAndDueAtOnce() {
    Instant late = NOW.minus(Duration.ofHours(2));
    assertThat(Activity.parse(body("kind", "call", "followUpAt", late.toString()), NOW).followUpAt()).isEqualTo(late);
    assertThatThrownBy(() -> Activity.parse(body("kind", "call", "followUpAt", late.toString()), NOW.plus(Duration.ofDays(1))))
        .isInstanceOf(InvalidInput.class);
  }

  private static Activity.Logged logged(Activity.Kind kind, UUID by, Instant followUpAt) {
    return new Activity.Logged(UUID.randomUUID(), UUID.randomUUID(), kind, null, null, followUpAt, by, "someone", NOW);
  }

  @Test
  void theNewestFollowUpReplacesTheOpenOneWhoeverSetIt() {
    Activity.FollowUp toms = new Activity.FollowUp(NOW.plusSeconds(600), TOM, "Tom", UUID.randomUUID());
    Activity.Logged samsCall = logged(Activity.Kind.CALL, SAM, NOW.plusSeconds(3600));

    Activity.FollowUp after = Activity.followUpAfter(toms, samsCall);

    assertThat(after).isEqualTo(new Activity.FollowUp(NOW.plusSeconds(3600), SAM, "someone", samsCall.id()));
  }

  @Test
  void onlyACallOrEmailByThePersonItIsForSettlesTheOpenFollowUp() {
    Activity.FollowUp toms = new Activity.FollowUp(NOW.plusSeconds(600), TOM, "Tom", UUID.randomUUID());

    assertThat(Activity.followUpAfter(toms, logged(Activity.Kind.CALL, TOM, null))).isNull();
    assertThat(Activity.followUpAfter(toms, logged(Activity.Kind.EMAIL, TOM, null))).isNull();
    assertThat(Activity.followUpAfter(toms, logged(Activity.Kind.NOTE, TOM, null))).isEqualTo(toms);
    assertThat(Activity.followUpAfter(toms, logged(Activity.Kind.CALL, SAM, null))).isEqualTo(toms);
    assertThat(Activity.followUpAfter(toms, logged(Activity.Kind.CALL, null, null))).isEqualTo(toms);
    assertThat(Activity.followUpAfter(null, logged(Activity.Kind.CALL, TOM, null))).isNull();
  }
}
