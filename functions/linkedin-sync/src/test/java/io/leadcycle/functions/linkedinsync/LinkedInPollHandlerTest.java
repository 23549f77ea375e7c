package io.leadcycle.functions.linkedinsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.linkedin.LinkedInApi;
import io.leadcycle.linkedin.LinkedInSyncStateStore;
import io.leadcycle.testing.HttpEvents;
import io.leadcycle.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The scheduled poll end to end: paging, watermark and overlap, backfill, failures, test leads, partial matches. */
class LinkedInPollHandlerTest extends LinkedInHarness {

  private static final Pattern RANGE = Pattern.compile("^\\(start:(\\d+),end:(\\d+)\\)$");

  private void leads(int n, Instant latest) {
    for (int i = 0; i < n; i++) {
      linkedIn.add(FakeLinkedIn.lead("poll-" + i, latest.minusSeconds(60L * i), false,
          FakeLinkedIn.person("Person", "Number" + i, "person" + i + "@example.com", null)));
    }
  }

  /** The submittedAtTimeRange of each finder request, as [start, end] in epoch millis. */
  private List<long[]> ranges() {
    return linkedIn.requestsTo("/rest/leadFormResponses").stream()
        .filter(r -> r.path().equals("/rest/leadFormResponses"))
        .map(r -> {
          Matcher m = RANGE.matcher(r.params().get("submittedAtTimeRange"));
          assertThat(m.matches()).isTrue();
          return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
        }).toList();
  }

  @Test
  void theFirstPollBackfills365DaysPageByPageAndSetsTheWatermark() {
    saved(putMapping(MAPPING));
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    leads(230, now.minusSeconds(5));
    linkedIn.add(FakeLinkedIn.lead("too-old", now.minus(Duration.ofDays(366)), false,
        FakeLinkedIn.person("Old", "Lead", "old@example.com", null)));

    Map<String, Object> summary = poll();

    assertThat(summary).containsEntry("outcome", "completed").containsEntry("poll", "completed")
        .containsEntry("responsesRead", 230).containsEntry("created", 230);
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(230);
    assertThat(linkedIn.requestsTo("/rest/leadFormResponses")).hasSize(3);
    assertThat(linkedIn.requests.stream().map(r -> r.params().get("start")).toList()).containsExactly("0", "100", "200");
    FakeLinkedIn.Seen first = linkedIn.requests.get(0);
    assertThat(first.params().get("q")).isEqualTo("owner");
    assertThat(first.params().get("owner")).isEqualTo("(sponsoredAccount:" + FakeLinkedIn.OWNER + ")");
    assertThat(first.params().get("leadType")).isEqualTo("(leadType:SPONSORED)");
    assertThat(first.headers().get("X-Restli-Protocol-Version")).isEqualTo("2.0.0");
    assertThat(first.headers().get("LinkedIn-Version")).isNotBlank();
    long[] range = ranges().get(0);
    assertThat(range[1] - range[0]).isEqualTo(Duration.ofDays(365).toMillis());

    JsonObject status = status();
    assertThat(Instant.parse(status.getString("watermark")).toEpochMilli()).isEqualTo(range[1]);
    assertThat(status.getString("lastPollOutcome")).isEqualTo("completed");
    assertThat(status.getString("lastPoll")).isNotNull();
    assertThat(status.getJsonObject("counts").getLong("created")).isEqualTo(230);
    assertThat(status.getString("lastError")).isNull();
  }

  @Test
  void theNextPollStartsAtTheWatermarkLessTheOverlapAndTakesNothingTwice() {
    saved(putMapping(MAPPING));
    leads(3, Instant.now().minusSeconds(30));
    poll();
    Instant watermark = Instant.parse(status().getString("watermark"));
    linkedIn.requests.clear();
    linkedIn.add(FakeLinkedIn.lead("late", watermark.minusSeconds(120), false,
        FakeLinkedIn.person("Late", "Comer", "late@example.com", null)));

    Map<String, Object> summary = poll();

    assertThat(ranges().get(0)[0]).isEqualTo(watermark.minus(Duration.ofMinutes(10)).toEpochMilli());
    assertThat(summary).containsEntry("created", 1);
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(4);
    assertThat(count("SELECT count(*) FROM interactions")).isEqualTo(4);
  }

  @Test
  void rateLimitsAndServerErrorsBackOffAndThePollCompletes() {
    saved(putMapping(MAPPING));
    leads(120, Instant.now().minusSeconds(30));
    linkedIn.failNext(429, 500, 503);

    assertThat(poll()).containsEntry("poll", "completed").containsEntry("created", 120);
  }

  @Test
  void aRateLimitWaitsAsLongAsRetryAfterSays() {
    saved(putMapping(MAPPING));
    leads(2, Instant.now().minusSeconds(30));
    linkedIn.retryAfter = "1";
    linkedIn.failNext(429);
    poller = new LinkedInPollHandler(TestDatabase::database, Clock.systemUTC(), settings(env()), Duration.ofSeconds(60),
        new LinkedInApi.Backoff(Duration.ofMillis(5), Duration.ofSeconds(20)));

    long started = System.nanoTime();
    assertThat(poll()).containsEntry("poll", "completed").containsEntry("created", 2);

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aResetWhileAPollRunsIsNotUndoneWhenThePollEnds() {
    saved(putMapping(MAPPING));
    leads(3, Instant.now().minus(Duration.ofHours(1)));
    poll();
    assertThat(status().getString("watermark")).isNotNull();
    linkedIn.beforeFinder = () -> TestDatabase.database().inTransaction(new LinkedInSyncStateStore()::reset);

    assertThat(poll()).containsEntry("poll", "completed");

    // The reset asked for the last 365 days again: the next poll reads them.
    assertThat(status().getString("watermark")).isNull();
    linkedIn.requests.clear();
    poll();
    long[] range = ranges().get(0);
    assertThat(range[1] - range[0]).isEqualTo(Duration.ofDays(365).toMillis());
  }

  @Test
  void aPollThatKeepsFailingLeavesTheWatermarkAndTheNextResumesFromIt() {
    saved(putMapping(MAPPING));
    leads(150, Instant.now().minusSeconds(30));
    poll();
    Instant watermark = Instant.parse(status().getString("watermark"));
    linkedIn.add(FakeLinkedIn.lead("new-1", Instant.now().minusSeconds(1), false,
        FakeLinkedIn.person("New", "One", "new1@example.com", null)));
    linkedIn.failNext(500, 500, 500, 500);

    Map<String, Object> failed = poll();

    assertThat(failed).containsEntry("poll", "failed");
    JsonObject status = status();
    assertThat(Instant.parse(status.getString("watermark"))).isEqualTo(watermark);
    assertThat(status.getString("lastPollOutcome")).isEqualTo("failed");
    assertThat(status.getString("lastError")).contains("500").contains("watermark");

    linkedIn.requests.clear();
    assertThat(poll()).containsEntry("poll", "completed").containsEntry("created", 1);
    assertThat(ranges().get(0)[0]).isEqualTo(watermark.minus(Duration.ofMinutes(10)).toEpochMilli());
    assertThat(status().getString("lastError")).isNull();
  }

  @Test
  void anExpiredTokenFailsThePollOnceWithAClearError() {
    saved(putMapping(MAPPING));
    leads(2, Instant.now().minusSeconds(30));
    linkedIn.token = "renewed-elsewhere";

    Map<String, Object> summary = poll();

    assertThat(summary).containsEntry("poll", "failed");
    assertThat(linkedIn.requests).hasSize(1);
    assertThat(status().getString("lastError")).contains("401").contains("expired");
    assertThat(status().getString("watermark")).isNull();
  }

  @Test
  void testLeadsAreSkippedUnlessTheMappingIncludesThem() {
    saved(putMapping(MAPPING));
    Instant at = Instant.now().minusSeconds(30);
    linkedIn.add(FakeLinkedIn.lead("test-1", at, true, FakeLinkedIn.person("Test", "Lead", "test@example.com", null)));
    linkedIn.add(FakeLinkedIn.lead("real-1", at, false, FakeLinkedIn.person("Real", "Lead", "real@example.com", null)));

    assertThat(poll()).containsEntry("skipped_test_lead", 1).containsEntry("created", 1);
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(1);
    assertThat(poll()).doesNotContainKey("created");
    assertThat(status().getJsonObject("counts").getLong("skippedTestLeads")).isEqualTo(1);

    // Test leads included (and the sync started over): the test lead is taken in now, the real one not again.
    saved(putMapping(MAPPING.replace("\"name\"", "\"includeTestLeads\": true, \"name\"")));
    ok(call(HttpEvents.management("POST /v1/linkedin/sync-status/reset", "/v1/linkedin/sync-status/reset").build()));
    assertThat(poll()).containsEntry("created", 1);
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(2);
  }

  @Test
  void aPartialMatchIsIgnoredOrCreatedAsTheMappingSays() {
    Instant at = Instant.now().minusSeconds(30);
    // No email: the default contact strategy cannot match.
    linkedIn.add(FakeLinkedIn.lead("partial-1", at, false, FakeLinkedIn.person("No", "Email", null, "CTO")));
    saved(putMapping(MAPPING.replace("\"name\"", "\"onPartialMatch\": \"ignore\", \"name\"")));

    assertThat(poll()).containsEntry("ignored_partial_match", 1);
    assertThat(count("SELECT count(*) FROM contacts")).isZero();
    assertThat(status().getJsonObject("counts").getLong("ignoredPartialMatches")).isEqualTo(1);

    saved(putMapping(MAPPING.replace("\"name\"", "\"onPartialMatch\": \"create\", \"name\"")));
    ok(call(HttpEvents.management("POST /v1/linkedin/sync-status/reset", "/v1/linkedin/sync-status/reset").build()));
    assertThat(poll()).containsEntry("created", 1);
    assertThat(row("SELECT first_name, email, job_title FROM contacts").getString("job_title")).isEqualTo("CTO");
    assertThat(count("SELECT count(*) FROM leads")).isEqualTo(1);
    // A second poll takes nothing twice.
    assertThat(poll()).doesNotContainKey("created");
    assertThat(count("SELECT count(*) FROM contacts")).isEqualTo(1);
  }

  @Test
  void leadsOfUnmappedFormsWaitForAMapping() {
    leads(2, Instant.now().minusSeconds(30));

    assertThat(poll()).containsEntry("unmapped", 2);
    assertThat(count("SELECT count(*) FROM contacts")).isZero();

    saved(putMapping(MAPPING));
    ok(call(HttpEvents.management("POST /v1/linkedin/sync-status/reset", "/v1/linkedin/sync-status/reset").build()));
    assertThat(poll()).containsEntry("created", 2);
  }

  @Test
  void withoutAnOwnerThePollDoesNothing() {
    Map<String, String> env = env();
    env.remove("LINKEDIN_OWNER");
    poller = pollHandler(env);

    assertThat(poll()).containsEntry("poll", "not_configured");
    assertThat(linkedIn.requests).isEmpty();
  }
}
