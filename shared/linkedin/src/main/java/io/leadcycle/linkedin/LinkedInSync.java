package io.leadcycle.linkedin;

import io.leadcycle.domain.Conflict;
import io.leadcycle.domain.InvalidInput;
import io.leadcycle.linkedin.LinkedInFormMapping.Decision;
import io.leadcycle.domain.MatchingStrategy;
import io.leadcycle.domain.NotFound;
import io.leadcycle.domain.Unavailable;
import io.leadcycle.intake.IntakeResult;
import io.leadcycle.intake.IntakeService;
import io.leadcycle.postgres.Database;
import io.leadcycle.runtime.Metric;
import io.leadcycle.runtime.Metrics;
import io.leadcycle.store.ErasureStore;
import io.leadcycle.domain.Erased;
import io.leadcycle.linkedin.LinkedInResponseStore.Entry;
import io.leadcycle.linkedin.LinkedInSyncStateStore.State;
import io.leadcycle.store.MatchingStrategyStore;
import io.leadcycle.store.RescoringMarks;
import io.leadcycle.runtime.Nudge;
import java.util.concurrent.atomic.AtomicBoolean;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * LinkedIn Lead Gen sync: a form response (lead), whether a webhook announced it or the poll found it,
 * goes through its form's mapping into the same intake path as a marketing-page submission; the
 * response ledger makes every repeat harmless; a DELETED notification removes what the response
 * created. Knows nothing of HTTP or triggers: each caller decides what an {@link Outcome} means.
 */
public final class LinkedInSync {

  /** How far before the watermark a poll starts again, for leads that became visible late. */
  public static final Duration OVERLAP = Duration.ofMinutes(10);
  /** How far back LinkedIn keeps leads, and so how far back the first poll reads. */
  public static final Duration RETENTION = Duration.ofDays(365);
  /** A guard against an API that never stops paging. */
  static final int MAX_PAGES = 2_000;

  /** What became of one response; {@code intake} is null unless it went through intake. */
  public record Outcome(String responseUrn, String outcome, IntakeResult intake, boolean replayed) {

    /**
     * What a response that arrived did, in metrics, as a submission: taken in (accepted), seen before
     * (replayed), or not taken in (refused: no mapping, a skipped test lead, an ignored partial match, gone
     * from LinkedIn, a person erased on request). A deletion is no submission and counts nothing.
     */
    public void countIn(Metrics metrics) {
      if (intake != null) {
        intake.countIn(metrics);
      } else if (!outcome.equals("deleted")) {
        // A response of an erased person is refused every time it comes, never a harmless replay.
        IntakeResult.countSubmission(metrics, replayed && !outcome.equals("erased") ? Metric.SUBMISSIONS_REPLAYED
            : Metric.SUBMISSIONS_REFUSED);
      }
    }

    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("responseUrn", responseUrn).put("outcome", outcome)
          .put("replayed", replayed);
      if (intake != null) {
        JsonObject result = intake.toJson();
        json.put("contact", result.getValue("contact")).put("lead", result.getValue("lead"))
            .put("interactionId", result.getValue("interactionId"));
        if (result.containsKey("warnings")) {
          json.put("warnings", result.getValue("warnings"));
        }
      }
      return json;
    }
  }

  /** What one poll did, for the run's summary (no personal data). */
  public record PollSummary(String outcome, int responses, Map<String, Integer> outcomes, Instant from, Instant to,
      String error) {

    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("poll", outcome).put("responsesRead", responses);
      outcomes.forEach(json::put);
      if (from != null) {
        json.put("from", from.toString()).put("to", to.toString());
      }
      if (error != null) {
        json.put("error", error);
      }
      return json;
    }
  }

  /** The sync status: the poll's state and the outcomes counted since the last reset. */
  public record Status(State state, Map<String, Long> counts) {
  }

  private final Database database;
  private final LinkedInSettings settings;
  private final Supplier<LinkedInApi> api;
  private final Clock clock;
  private final IntakeService intake;
  private final LinkedInMappingStore mappings = new LinkedInMappingStore();
  private final MatchingStrategyStore strategies = new MatchingStrategyStore();
  private final LinkedInResponseStore responses = new LinkedInResponseStore();
  private final LinkedInSyncStateStore syncState = new LinkedInSyncStateStore();
  private final ErasureStore erasure = new ErasureStore();
  private final RescoringMarks rescoring = new RescoringMarks();
  private final Nudge scoringNudge;

  /** @param api built on first use: paths that never call LinkedIn do not build its client */
  public LinkedInSync(Database database, LinkedInSettings settings, Supplier<LinkedInApi> api, Clock clock) {
    this(database, settings, api, clock, Nudge.NONE);
  }

  /**
   * @param scoringNudge nudged once a response taken in (or deleted) has marked its contact for rescoring and
   *     committed, so its score does not wait for the schedule; folded per second, so a poll of many
   *     responses sends about one a second while scoring starts on the first
   */
  public LinkedInSync(Database database, LinkedInSettings settings, Supplier<LinkedInApi> api, Clock clock,
      Nudge scoringNudge) {
    this.database = database;
    this.settings = settings;
    this.api = api;
    this.clock = clock;
    this.intake = new IntakeService(database);
    this.scoringNudge = scoringNudge;
  }

  // ---- mappings ----

  /** Creates or replaces a mapping after checking its strategies; true when it was created. */
  public Future<Boolean> putMapping(LinkedInFormMapping mapping) {
    return database.inTransaction(conn -> strategiesOf(conn, mapping).compose(pair -> {
      mapping.checkStrategies(pair.get(0), pair.get(1));
      return mappings.put(conn, mapping);
    }));
  }

  public Future<LinkedInFormMapping> mapping(String formUrn) {
    return database.read(conn -> mappings.find(conn, formUrn)).map(found -> {
      if (found == null) {
        throw new NotFound("No mapping for the LinkedIn form " + formUrn + ".");
      }
      return found;
    });
  }

  public Future<List<LinkedInFormMapping>> mappings(String afterUrn, int limit) {
    return database.read(conn -> mappings.list(conn, afterUrn, limit));
  }

  /** A mapping proposed from the form's predefined questions, read from LinkedIn; nothing is saved. */
  public LinkedInFormMapping propose(String formUrn) {
    if (settings.accessToken(false) == null) {
      throw new Conflict("LinkedIn sync is not configured: set LINKEDIN_ACCESS_TOKEN (or accessToken in the secret "
          + "LINKEDIN_SECRET_ID names) to read forms from LinkedIn.");
    }
    JsonObject form;
    try {
      form = api.get().form(formUrn);
    } catch (LinkedInApiException e) {
      if (e.reason() == LinkedInApiException.Reason.NOT_FOUND) {
        throw new NotFound("LinkedIn has no Lead Gen form " + formUrn + " (or the token's member cannot see it).");
      }
      throw unavailable(e);
    }
    return LinkedInFormMapping.propose(formUrn, LinkedInJson.plain(form));
  }

  private Future<List<MatchingStrategy>> strategiesOf(SqlConnection conn, LinkedInFormMapping mapping) {
    Future<MatchingStrategy> contact = strategies.find(conn, mapping.contactStrategyId());
    Future<MatchingStrategy> lead = strategies.find(conn, mapping.leadStrategyId());
    return Future.all(contact, lead).map(all -> java.util.Arrays.asList(contact.result(), lead.result()));
  }

  // ---- one response ----

  /** A lead notification said CREATED: the response is fetched from LinkedIn (unless already taken) and taken in. */
  public Outcome created(String responseUrn) {
    Entry known = database.read(conn -> responses.find(conn, responseUrn)).await();
    if (known != null && known.isFinal()) {
      return replay(known);
    }
    String id = LinkedInLead.idOfUrn(responseUrn).orElseThrow();
    JsonObject fetched;
    try {
      fetched = api.get().response(id);
    } catch (LinkedInApiException e) {
      if (e.reason() == LinkedInApiException.Reason.NOT_FOUND) {
        // Gone already (deleted since): nothing to take in; a DELETED notification follows.
        return new Outcome(responseUrn, "not_found", null, false);
      }
      recordError(e.getMessage());
      throw unavailable(e);
    }
    LinkedInLead lead;
    try {
      lead = LinkedInLead.parse(LinkedInJson.plain(fetched));
    } catch (InvalidInput malformed) {
      recordError("LinkedIn's form response " + responseUrn + " lacks " + malformed.errors().get(0).field() + ".");
      throw new Unavailable("LinkedIn answered a form response Leadcycle cannot read; it is retried by the next poll.");
    }
    return take(lead);
  }

  /**
   * Takes one lead in: its form's mapping decides (no mapping, test lead, partial match), intake does the
   * rest in one transaction with the response URN as idempotency key.
   */
  public Outcome take(LinkedInLead lead) {
    String urn = lead.responseUrn();
    Entry known = database.read(conn -> responses.find(conn, urn)).await();
    if (known != null && known.isFinal()) {
      return replay(known);
    }
    record Loaded(LinkedInFormMapping mapping, List<MatchingStrategy> strategies) {
    }
    Loaded loaded = database.read(conn -> mappings.find(conn, lead.formUrn()).compose(mapping -> mapping == null
        ? Future.succeededFuture(new Loaded(null, List.of()))
        : strategiesOf(conn, mapping).map(pair -> new Loaded(mapping, pair)))).await();
    if (loaded.mapping() == null) {
      return passOver(lead, "unmapped", "no mapping for " + lead.formUrn() + ": map it, then reset the sync status "
          + "to read its leads again");
    }
    Decision decision = loaded.mapping().decide(lead, loaded.strategies().get(0), loaded.strategies().get(1));
    switch (decision.disposition()) {
      case SKIPPED_TEST_LEAD:
        return passOver(lead, "skipped_test_lead", "a test lead; the mapping does not include test leads");
      case IGNORED_PARTIAL_MATCH:
        return passOver(lead, "ignored_partial_match", "a field of the form's matching strategies is missing and "
            + "the mapping says onPartialMatch: ignore");
      default:
        break;
    }
    IntakeResult result;
    try {
      result = intake.submit(decision.form(), decision.submission(), urn,
          new LinkedInResponseLedger(responses, lead.formUrn(), lead.submittedAt()), decision.matchContact()).await();
    } catch (Erased erased) {
      // The person was erased (docs/privacy.md): kept as 'erased' without the answers, counted in the sync
      // status and on the tombstone; a later poll or notification finds it final and takes nothing.
      return passOver(lead, "erased", "refused: the person was erased (erasure " + erased.erasureId() + ")");
    }
    if (result.markedForRescoring()) {
      scoringNudge.send("linkedin-sync"); // committed: the nudged run sees the mark
    }
    if (result.replayed()) {
      Entry now = database.read(conn -> responses.find(conn, urn)).await();
      return new Outcome(urn, now == null ? "matched" : now.outcome(), result, true);
    }
    return new Outcome(urn, result.createdSomething() ? "created" : "matched", result, false);
  }

  private Outcome passOver(LinkedInLead lead, String outcome, String summary) {
    boolean changed = database.inTransaction(conn -> responses.recordPassedOver(conn, lead.responseUrn(),
        lead.formUrn(), lead.submittedAt(), outcome, summary)).await();
    return new Outcome(lead.responseUrn(), outcome, null, !changed);
  }

  private static Outcome replay(Entry entry) {
    IntakeResult result = entry.response() == null ? null : replayOf(entry.response());
    return new Outcome(entry.responseUrn(), entry.outcome(), result, true);
  }

  private static IntakeResult replayOf(JsonObject stored) {
    JsonObject contact = stored.getJsonObject("contact");
    JsonObject lead = stored.getJsonObject("lead");
    String interactionId = stored.getString("interactionId");
    return new IntakeResult(stored.getString("submissionId"),
        contact == null ? null : new IntakeResult.RecordOutcome(UUID.fromString(contact.getString("id")),
            contact.getBoolean("created"), contact.getBoolean("updated")),
        lead == null ? null : new IntakeResult.RecordOutcome(UUID.fromString(lead.getString("id")),
            lead.getBoolean("created"), lead.getBoolean("updated")),
        interactionId == null ? null : UUID.fromString(interactionId), true,
        stored.getJsonArray("warnings", new JsonArray()).stream().map(String::valueOf).toList());
  }

  /**
   * A lead notification said DELETED: the member (or LinkedIn) withdrew the lead. What the response
   * created goes (docs/linkedin.md, "Deleted leads"): its interaction always; the lead it created, unless
   * another response also led to it (a converted lead keeps its row, without the answers); the contact
   * it created, unless anything else still refers to it. A contact it only matched keeps its fields and
   * is rescored without the interaction. The ledger keeps a tombstone, so no later poll or notification
   * takes the response in again.
   */
  public Outcome deleted(String responseUrn) {
    AtomicBoolean marked = new AtomicBoolean();
    Outcome outcome = database.inTransaction(conn -> deleted(conn, responseUrn, true, marked)).await();
    if (marked.get()) {
      scoringNudge.send("linkedin-sync: lead deleted"); // the kept contact is rescored without the interaction
    }
    return outcome;
  }

  private Future<Outcome> deleted(SqlConnection conn, String responseUrn, boolean firstLook, AtomicBoolean marked) {
    return responses.lock(conn, responseUrn).compose(entry -> {
      if (entry != null && entry.outcome().equals("deleted")) {
        return Future.succeededFuture(new Outcome(responseUrn, "deleted", null, true));
      }
      if (entry == null && firstLook) {
        // Unknown, or being taken in right now (intake's claim is invisible until it commits): the
        // tombstone waits for such a claim; if one committed meanwhile, what it created is erased below.
        return responses.insertTombstone(conn, responseUrn, "deleted on LinkedIn before Leadcycle took anything in")
            .compose(inserted -> inserted ? Future.succeededFuture(new Outcome(responseUrn, "deleted", null, false))
                : deleted(conn, responseUrn, false, marked));
      }
      if (entry == null || entry.interactionId() == null && entry.leadId() == null && entry.contactId() == null) {
        return responses.markDeleted(conn, responseUrn, "deleted on LinkedIn before Leadcycle took anything in")
            .map(changed -> new Outcome(responseUrn, "deleted", null, false));
      }
      List<String> done = new ArrayList<>();
      Future<Void> interaction = entry.interactionId() == null ? Future.succeededFuture()
          : erasure.deleteInteraction(conn, entry.interactionId()).map(d -> {
            done.add("interaction deleted");
            return null;
          });
      Future<Void> lead = interaction.compose(v -> !entry.leadCreated() || entry.leadId() == null
          ? Future.succeededFuture()
          : responses.referredToByOthers(conn, responseUrn, entry.leadId(), false).compose(shared -> shared
              ? Future.succeededFuture()
              : erasure.eraseLead(conn, entry.leadId()).map(e -> {
                done.add("lead " + e.name().toLowerCase(java.util.Locale.ROOT));
                return null;
              })));
      Future<Void> contact = lead.compose(v -> entry.contactId() == null ? Future.succeededFuture()
          : (entry.contactCreated()
              ? responses.referredToByOthers(conn, responseUrn, entry.contactId(), true).compose(shared -> shared
                  ? Future.succeededFuture(false) : erasure.deleteContactIfUnreferenced(conn, entry.contactId()))
              : Future.succeededFuture(false))
              .compose(deleted -> {
                if (deleted) {
                  done.add("contact deleted");
                  return Future.succeededFuture();
                }
                // Kept (matched, or known from elsewhere since): its scores no longer count this lead.
                return erasure.contactExists(conn, entry.contactId()).compose(present -> present
                    ? rescoring.mark(conn, entry.contactId()).onSuccess(m -> marked.set(true)) : Future.succeededFuture());
              }));
      return contact.compose(v -> responses.markDeleted(conn, responseUrn,
              "deleted on LinkedIn: " + (done.isEmpty() ? "nothing to remove" : String.join(", ", done))))
          .map(changed -> new Outcome(responseUrn, "deleted", null, false));
    });
  }

  // ---- the poll ----

  /**
   * Reads the leads of every configured owner submitted since the watermark (less {@link #OVERLAP}; the
   * last {@link #RETENTION} on the first run), page by page, and takes each in. The watermark moves only
   * when everything up to the poll's start was read; a poll that stops early (LinkedIn's rate limit or
   * errors after the retries, a refused token, the budget) leaves it, and the next poll reads the same
   * window again: the ledger makes that harmless.
   *
   * @param metrics counts each response as it is taken in, so a poll that fails later keeps what it did
   */
  public PollSummary poll(Duration budget, Metrics metrics) {
    if (settings.owners().isEmpty()) {
      return new PollSummary("not_configured", 0, Map.of(), null, null, null);
    }
    // As the database keeps it (microseconds): the poll's start is compared with the stored one at its end.
    Instant started = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    State state = database.inTransaction(conn -> syncState.startPoll(conn, started,
        started.plus(budget).plus(Duration.ofMinutes(1)))).await();
    if (state == null) {
      return new PollSummary("already_running", 0, Map.of(), null, null, null);
    }
    Instant earliest = started.minus(RETENTION);
    Instant from = state.watermark() == null ? earliest : state.watermark().minus(OVERLAP);
    if (from.isBefore(earliest)) {
      from = earliest;
    }
    Instant deadline = started.plus(budget);
    Map<String, Integer> outcomes = new LinkedHashMap<>();
    int read = 0;
    try {
      for (LinkedInSettings.Owner owner : settings.owners()) {
        for (String leadType : owner.leadTypes()) {
          int index = 0;
          for (int pages = 0; ; pages++) {
            if (pages >= MAX_PAGES || clock.instant().isAfter(deadline)) {
              String error = "The poll ran out of its time budget after " + read + " responses; the next poll "
                  + "resumes from the watermark.";
              finishFailed(read, error);
              return new PollSummary("incomplete", read, outcomes, from, started, error);
            }
            LinkedInApi.Page page = api.get().responses(owner, leadType, from, started, index);
            for (JsonObject element : page.elements()) {
              read++;
              String outcome;
              try {
                Outcome taken = take(LinkedInLead.parse(LinkedInJson.plain(element)));
                taken.countIn(metrics);
                // Read again (the overlap, a webhook was first): counted apart, so counts say what this poll did.
                outcome = taken.replayed() ? "seen_before" : taken.outcome();
              } catch (InvalidInput malformed) {
                IntakeResult.countSubmission(metrics, Metric.SUBMISSIONS_REFUSED);
                outcome = "malformed";
              }
              outcomes.merge(outcome, 1, Integer::sum);
            }
            if (!page.more()) {
              break;
            }
            index += page.elements().size();
          }
        }
      }
    } catch (LinkedInApiException e) {
      finishFailed(read, e.getMessage());
      return new PollSummary("failed", read, outcomes, from, started, e.getMessage());
    } catch (RuntimeException e) {
      try {
        finishFailed(read, "The poll failed: " + e.getClass().getSimpleName() + "; the next poll resumes from the "
            + "watermark.");
      } catch (RuntimeException ignored) {
        // the database is away as well: the lease runs out by itself
      }
      throw e;
    }
    int total = read;
    database.inTransaction(conn -> syncState.pollCompleted(conn, clock.instant(), started, total)).await();
    return new PollSummary("completed", read, outcomes, from, started, null);
  }

  private void finishFailed(int read, String error) {
    database.inTransaction(conn -> syncState.pollFailed(conn, clock.instant(), read, error)).await();
  }

  private void recordError(String error) {
    database.inTransaction(conn -> syncState.recordError(conn, clock.instant(), error)).await();
  }

  private static Unavailable unavailable(LinkedInApiException e) {
    return new Unavailable(e.getMessage(), e);
  }

  // ---- status ----

  public Future<Status> status() {
    return database.read(conn -> syncState.get(conn)
        .compose(state -> responses.counts(conn, state.countsSince()).map(counts -> new Status(state, counts))));
  }

  /** Clears the watermark, the last poll and error, and starts the counts again. */
  public Future<Status> reset() {
    return database.inTransaction(syncState::reset).compose(done -> status());
  }
}
