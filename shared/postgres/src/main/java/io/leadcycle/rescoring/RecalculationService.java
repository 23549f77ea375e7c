package io.leadcycle.rescoring;

import io.leadcycle.domain.EventTypes;

import io.leadcycle.domain.Lead;
import io.leadcycle.domain.LeadScore;
import io.leadcycle.domain.LeadState;
import io.leadcycle.domain.LeadStatus;
import io.leadcycle.events.JsonViews;
import io.leadcycle.events.LeadEventPayload;
import io.leadcycle.process.ProcessMachine;
import io.leadcycle.processes.ProcessCatalog;
import io.leadcycle.process.ProcessAction;
import io.leadcycle.process.ProcessConflict;
import io.leadcycle.process.ProcessRequest;
import io.leadcycle.process.Transition;
import io.leadcycle.postgres.Database;
import io.leadcycle.scoring.BehaviorFacts;
import io.leadcycle.scoring.BehavioralRule;
import io.leadcycle.scoring.Facts;
import io.leadcycle.scoring.ModelTarget;
import io.leadcycle.scoring.RuleResult;
import io.leadcycle.scoring.ScoreResult;
import io.leadcycle.scoring.ScoringEngine;
import io.leadcycle.scoring.ScoringModel;
import io.leadcycle.scoring.ScoringPreview;
import io.leadcycle.store.LeadScoreStore;
import io.leadcycle.store.LeadScoreStore.NewScore;
import io.leadcycle.store.LeadStore;
import io.leadcycle.store.OutboxStore;
import io.leadcycle.store.RescoringMarks;
import io.leadcycle.store.RescoringMarks.Claimed;
import io.leadcycle.store.ScoringFactsStore;
import io.leadcycle.store.ScoringFactsStore.ContactFacts;
import io.leadcycle.store.ScoringModelStore;
import io.leadcycle.store.TimelineStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Score recalculation: applies the live models to the leads whose facts changed (the contacts marked
 * for rescoring) and to every lead of a model that just went live, in bounded batches of one
 * transaction each, so a run can stop anywhere and the next continues. Several runs at once share the
 * work (marks are claimed with a lease; a full rescoring is split into parts, lead id ranges, claimed
 * one batch at a time with {@code SKIP LOCKED}) and never count twice: a lead's process changes happen
 * under its row lock, through the process rules. Within one run, {@link #DEFAULT_WORKERS} batches of a
 * full rescoring are in flight at once.
 *
 * <p>Per lead and model it stores score, grade and explanation. A lead's first score moves it from
 * inquiry to automated marketing qualification; reaching a live model's threshold marks it sales-ready
 * (sticky), which moves it to sales acceptance and writes {@code lead.sales_ready}, once. A grade change
 * writes {@code lead.score_changed} (not during a model's full rescoring, which would flood subscribers).
 *
 * <p>{@link #run} blocks: call it from a handler's thread, never from an event loop.
 */
public final class RecalculationService {

  public static final String ACTOR = "scoring";
  public static final String SCORE_CHANGED = io.leadcycle.domain.EventTypes.SCORE_CHANGED;
  public static final int DEFAULT_BATCH = 500;
  /**
   * Leads per part of a full rescoring (10 batches): parallel runs each take a part at a time; one part
   * is a second or two of one run, well inside a function's time budget, and the last parts, which fewer
   * runs share, are short.
   */
  public static final int DEFAULT_PART = 5_000;
  /**
   * Batches of a full rescoring in flight at once per run, each on its own connection (a function's pool
   * holds two): while one waits for PostgreSQL, the other scores in the JVM.
   */
  public static final int DEFAULT_WORKERS = 2;

  /**
   * What one run did. {@code more}: it stopped at its time budget with work left for the next run.
   * {@code rescoringsSplit}: full rescorings this run split into parts (so that parallel runs can take them).
   */
  public record RunSummary(int contactsRescored, int leadsScored, int firstScored, int salesReady, int gradeChanges,
      int fullRescoringLeads, int rescoringsSplit, boolean more, long millis) {

    public RunSummary(int contactsRescored, int leadsScored, int firstScored, int salesReady, int gradeChanges,
        int fullRescoringLeads, boolean more, long millis) {
      this(contactsRescored, leadsScored, firstScored, salesReady, gradeChanges, fullRescoringLeads, 0, more, millis);
    }

    public JsonObject toJson() {
      return new JsonObject()
          .put("contactsRescored", contactsRescored)
          .put("leadsScored", leadsScored)
          .put("firstScored", firstScored)
          .put("salesReady", salesReady)
          .put("gradeChanges", gradeChanges)
          .put("fullRescoringLeads", fullRescoringLeads)
          .put("rescoringsSplit", rescoringsSplit)
          .put("more", more)
          .put("millis", millis);
    }
  }

  private final Database database;
  private final Clock clock;
  private final int batchSize;
  private final int partSize;
  private final int workers;
  private final ProcessCatalog catalog = new ProcessCatalog();
  private final RescoringMarks marks = new RescoringMarks();
  private final io.leadcycle.store.SegmentMarks segmentFacts = new io.leadcycle.store.SegmentMarks();
  private final ScoringModelStore models = new ScoringModelStore();
  private final LeadStore leads = new LeadStore();
  private final LeadScoreStore scores = new LeadScoreStore();
  private final ScoringFactsStore facts = new ScoringFactsStore();
  private final TimelineStore timeline = new TimelineStore();
  private final OutboxStore outbox = new OutboxStore();

  public RecalculationService(Database database, Clock clock) {
    this(database, clock, DEFAULT_BATCH);
  }

  public RecalculationService(Database database, Clock clock, int batchSize) {
    this(database, clock, batchSize, DEFAULT_PART);
  }

  public RecalculationService(Database database, Clock clock, int batchSize, int partSize) {
    this(database, clock, batchSize, partSize, DEFAULT_WORKERS);
  }

  public RecalculationService(Database database, Clock clock, int batchSize, int partSize, int workers) {
    this.database = database;
    this.clock = clock;
    this.batchSize = batchSize;
    this.partSize = partSize;
    this.workers = workers;
  }

  /**
   * One transaction of the recalculation. Its statements are planned for their parameters each time:
   * a connection's cached generic plan of, say, the scores of a batch, made while {@code lead_scores}
   * was still empty, would otherwise keep scanning the whole table as a full rescoring fills it.
   */
  private <T> T inTransaction(java.util.function.Function<SqlConnection, Future<T>> work) {
    return database.inTransaction(conn -> conn.query("SET LOCAL plan_cache_mode = force_custom_plan").execute()
        .compose(set -> work.apply(conn))).await();
  }

  /** Counts of one run, added to by each batch. */
  private static final class Counters {
    int contacts;
    int leadsScored;
    int firstScored;
    int salesReady;
    int gradeChanges;
    int fullRescoring;
    int rescoringsSplit;

    void add(Counters other) {
      rescoringsSplit += other.rescoringsSplit;
      contacts += other.contacts;
      leadsScored += other.leadsScored;
      firstScored += other.firstScored;
      salesReady += other.salesReady;
      gradeChanges += other.gradeChanges;
      fullRescoring += other.fullRescoring;
    }
  }

  /** Rescores what changed, then continues full rescorings, until nothing is left or {@code budget} is spent. */
  public RunSummary run(Duration budget) {
    Instant started = clock.instant();
    Instant deadline = started.plus(budget);
    Counters counters = new Counters();
    boolean more = false;
    // What changed first: a person waiting for a score after a submission matters more than a backlog.
    while (true) {
      if (clock.instant().isAfter(deadline)) {
        more = true;
        break;
      }
      // Not planned for its parameters each time: the claim's plan (two partial indexes, a TID scan) does not
      // depend on the table's size, so it saves the SET LOCAL's round trip and a re-plan per claim.
      List<Claimed> claimed = database.inTransaction(conn -> marks.claim(conn, batchSize, clock.instant())).await();
      if (claimed.isEmpty()) {
        break;
      }
      List<UUID> contactIds = claimed.stream().map(Claimed::contactId).toList();
      inTransaction(conn -> models.live(conn)
          .compose(live -> leads.openLeadsAffectedBy(conn, contactIds)
              .compose(leadIds -> score(conn, leadIds, live, true, counters)))
          .compose(done -> marks.clear(conn, claimed))
          // Their scores may have changed: segment evaluation looks at them again, after this commit.
          .compose(done -> segmentFacts.markAll(conn, contactIds)));
      counters.contacts += claimed.size();
    }
    if (!more) {
      more = fullRescorings(deadline, counters);
    }
    return new RunSummary(counters.contacts, counters.leadsScored, counters.firstScored, counters.salesReady,
        counters.gradeChanges, counters.fullRescoring, counters.rescoringsSplit, more, Duration.between(started, clock.instant()).toMillis());
  }

  /**
   * Continues the full rescorings with {@code workers} batches in flight: the models just published are
   * split into parts first, so every worker finds a part to claim. Answers whether the budget ran out
   * with work left.
   */
  private boolean fullRescorings(Instant deadline, Counters counters) {
    while (!clock.instant().isAfter(deadline) && split(counters)) {
      // one model split per transaction
    }
    if (workers == 1) {
      return fullRescoringBatches(deadline, counters);
    }
    ExecutorService threads = Executors.newFixedThreadPool(workers - 1);
    try {
      List<Counters> theirs = new ArrayList<>();
      List<java.util.concurrent.Future<Boolean>> theirMore = new ArrayList<>();
      for (int i = 1; i < workers; i++) {
        Counters own = new Counters();
        theirs.add(own);
        theirMore.add(threads.submit(() -> fullRescoringBatches(deadline, own)));
      }
      boolean more = fullRescoringBatches(deadline, counters);
      for (int i = 0; i < theirs.size(); i++) {
        more |= theirMore.get(i).get();
        counters.add(theirs.get(i));
      }
      return more;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while rescoring", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } finally {
      threads.shutdown();
    }
  }

  /** Splits one model's full rescoring into parts, if one has none yet; whether one has parts now. */
  private boolean split(Counters counters) {
    return counted(inTransaction(conn -> models.splitRescoring(conn, partSize)), counters);
  }

  private static boolean counted(ScoringModelStore.Split split, Counters counters) {
    if (split == ScoringModelStore.Split.HERE) {
      counters.rescoringsSplit++;
    }
    return split.hasParts();
  }

  /** One worker's batches of full rescorings, until no part is left or the budget is spent (then true). */
  private boolean fullRescoringBatches(Instant deadline, Counters counters) {
    while (true) {
      if (clock.instant().isAfter(deadline)) {
        return true;
      }
      // One batch of one part of a full rescoring; parts another worker or run holds are skipped, so
      // parallel runs share a model. A model published meanwhile is split into parts first.
      boolean worked = inTransaction(conn -> models.claimRescoring(conn).compose(claim -> {
        if (claim == null) {
          return models.splitRescoring(conn, partSize).map(split -> counted(split, counters));
        }
        boolean accountTarget = claim.model().definition().target() == ModelTarget.ACCOUNT;
        return leads.nextScoredBy(conn, accountTarget, claim.after(), claim.last(), batchSize).compose(ids -> {
          UUID last = ids.isEmpty() ? null : ids.get(ids.size() - 1);
          counters.fullRescoring += ids.size();
          return score(conn, ids, List.of(claim.model()), false, counters)
              .compose(done -> models.advanceRescoring(conn, claim, last, ids.size(), ids.size() < batchSize))
              .map(true);
        });
      }));
      if (!worked) {
        return false;
      }
    }
  }

  /** Scores these leads (the open ones) with these models, and applies what follows, in this transaction. */
  private Future<Void> score(SqlConnection conn, List<UUID> leadIds, List<ScoringModel> scoringModels,
      boolean announceGrades, Counters counters) {
    if (leadIds.isEmpty() || scoringModels.isEmpty()) {
      return Future.succeededFuture();
    }
    Instant now = clock.instant();
    List<BehavioralRule> contactRules = rulesOf(scoringModels, ModelTarget.CONTACT);
    List<BehavioralRule> accountRules = rulesOf(scoringModels, ModelTarget.ACCOUNT);
    return leads.lockOpen(conn, leadIds).compose(locked -> {
      Future<Map<UUID, List<LeadScore>>> before = scores.scoresOf(conn, locked.stream().map(Lead::id).toList());
      Future<Map<String, ProcessMachine>> machines = machinesOf(conn, locked);
      Future<Gathered> gathered = gather(conn, locked, contactRules, accountRules, now);
      return Future.all(gathered, before, machines).compose(all -> write(conn, locked, scoringModels,
          gathered.result(), before.result(), machines.result(), announceGrades, now, counters));
    });
  }

  /** The facts these leads are scored from, by models with these behavioral rules: reads only. */
  private Future<Gathered> gather(SqlConnection conn, List<Lead> batch, List<BehavioralRule> contactRules,
      List<BehavioralRule> accountRules, Instant now) {
    List<UUID> contactIds = batch.stream().map(Lead::contactId).filter(Objects::nonNull).distinct().toList();
    List<UUID> accountLeadAccounts = batch.stream().filter(l -> l.contactId() == null && l.accountId() != null)
        .map(Lead::accountId).distinct().toList();
    Future<Map<UUID, ContactFacts>> contactFacts = facts.contacts(conn, contactIds);
    Future<Map<UUID, Map<Integer, BehaviorFacts>>> contactBehavior =
        facts.behaviorOfContacts(conn, contactRules, contactIds, now);
    Future<Map<UUID, Map<Integer, BehaviorFacts>>> accountBehavior =
        facts.behaviorOfAccounts(conn, accountRules, accountLeadAccounts, now);
    return Future.all(contactFacts, contactBehavior, accountBehavior).compose(all -> {
      // A contact-based lead is scored with its contact's account; an account-based lead with its own.
      List<UUID> accountIds = new ArrayList<>(accountLeadAccounts);
      contactFacts.result().values().stream().map(ContactFacts::accountId).filter(Objects::nonNull)
          .forEach(accountIds::add);
      return facts.accounts(conn, accountIds.stream().distinct().toList()).map(accounts -> new Gathered(
          contactFacts.result(), accounts, contactBehavior.result(), accountBehavior.result(), contactRules,
          accountRules));
    });
  }

  // ---- preview ----

  /**
   * What {@code model} would make of these leads, in its current definition (a draft's too), without
   * writing anything: one read-only transaction (one snapshot), its leads gathered and scored in batches
   * exactly as {@link #run} scores them. Named leads that do not exist are a {@link
   * io.leadcycle.domain.InvalidInput}; closed ones, and leads the model cannot score, are counted as
   * skipped. Blocks, as {@link #run} does.
   */
  public ScoringPreview.Result preview(ScoringModel model, ScoringPreview.Request request) {
    boolean accountTarget = model.definition().target() == ModelTarget.ACCOUNT;
    List<BehavioralRule> rules = rulesOf(List.of(model), model.definition().target());
    List<BehavioralRule> contactRules = accountTarget ? List.of() : rules;
    List<BehavioralRule> accountRules = accountTarget ? rules : List.of();
    Instant now = clock.instant();
    ScoringPreview preview = new ScoringPreview(model.definition());
    return database.inTransaction(conn -> conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute()
        .compose(readOnly -> request.named()
            ? leads.findAll(conn, request.leadIds()).map(found -> {
              ScoringPreview.requireExisting(request.leadIds(), found.keySet());
              return request.leadIds().stream().map(found::get).toList();
            })
            : leads.newestScoredBy(conn, accountTarget, request.sample()))
        .compose(chosen -> previewBatches(conn, chosen, 0, model, contactRules, accountRules, now, preview))
        .map(done -> preview.result())).await();
  }

  /** Scores the batch starting at {@code from}, then the next, one after the other on the connection. */
  private Future<Void> previewBatches(SqlConnection conn, List<Lead> chosen, int from, ScoringModel model,
      List<BehavioralRule> contactRules, List<BehavioralRule> accountRules, Instant now, ScoringPreview preview) {
    if (from >= chosen.size()) {
      return Future.succeededFuture();
    }
    List<Lead> batch = chosen.subList(from, Math.min(from + batchSize, chosen.size()));
    List<Lead> open = batch.stream().filter(l -> l.state().status() == LeadStatus.OPEN).toList();
    return gather(conn, open, contactRules, accountRules, now).compose(gathered -> {
      for (Lead lead : batch) {
        Facts leadFacts = lead.state().status() == LeadStatus.OPEN ? gathered.of(lead, model) : null;
        if (leadFacts == null || ScoringEngine.unscorableReason(model.definition(), leadFacts) != null) {
          preview.skip();
        } else {
          preview.add(lead.id(), ScoringEngine.score(model.definition(), leadFacts));
        }
      }
      return previewBatches(conn, chosen, from + batch.size(), model, contactRules, accountRules, now, preview);
    });
  }

  /** A preview's explanation of one lead, as a stored score's. */
  public static JsonArray explanationOf(ScoreResult result) {
    return explanation(result);
  }

  /** The rules of each process version the batch's leads run on, by {@link #versionKey}. */
  private Future<Map<String, ProcessMachine>> machinesOf(SqlConnection conn, List<Lead> locked) {
    Map<String, Future<ProcessMachine>> byVersion = new HashMap<>();
    for (Lead lead : locked) {
      byVersion.computeIfAbsent(versionKey(lead), key -> catalog.version(conn, lead.processId(), lead.processVersion())
          .map(ProcessMachine::new));
    }
    return Future.all(List.copyOf(byVersion.values())).map(all -> {
      Map<String, ProcessMachine> machines = new HashMap<>();
      byVersion.forEach((key, machine) -> machines.put(key, machine.result()));
      return machines;
    });
  }

  private static String versionKey(Lead lead) {
    return lead.processId() + "/" + lead.processVersion();
  }

  /** The facts of one batch, as gathered. */
  private record Gathered(Map<UUID, ContactFacts> contacts, Map<UUID, Map<String, Object>> accounts,
      Map<UUID, Map<Integer, BehaviorFacts>> contactBehavior, Map<UUID, Map<Integer, BehaviorFacts>> accountBehavior,
      List<BehavioralRule> contactRules, List<BehavioralRule> accountRules) {

    /** The facts a model of the lead's kind scores from; null when no model can score the lead. */
    Facts of(Lead lead, ScoringModel model) {
      boolean accountModel = model.definition().target() == ModelTarget.ACCOUNT;
      if (!accountModel && lead.contactId() != null) {
        ContactFacts contact = contacts.get(lead.contactId());
        if (contact == null) {
          return null;
        }
        Map<String, Object> account = contact.accountId() == null ? Map.of()
            : accounts.getOrDefault(contact.accountId(), Map.of());
        return new Facts(contact.fields(), contact.consent(), account,
            behavior(model, contactRules, contactBehavior.getOrDefault(lead.contactId(), Map.of())));
      }
      if (accountModel && lead.contactId() == null && lead.accountId() != null) {
        return new Facts(Map.of(), null, accounts.getOrDefault(lead.accountId(), Map.of()),
            behavior(model, accountRules, accountBehavior.getOrDefault(lead.accountId(), Map.of())));
      }
      return null;
    }

    /** The model's behavioral facts by rule id, from the batch's facts by rule index. */
    private static Map<String, BehaviorFacts> behavior(ScoringModel model, List<BehavioralRule> rules,
        Map<Integer, BehaviorFacts> byIndex) {
      Map<String, BehaviorFacts> byRule = new HashMap<>();
      for (int i = 0; i < rules.size(); i++) {
        if (model.definition().rules().contains(rules.get(i))) {
          byRule.put(rules.get(i).id(), byIndex.getOrDefault(i, BehaviorFacts.NONE));
        }
      }
      return byRule;
    }
  }

  /** The behavioral rules of the models of one target (distinct: two models with the same rule share it). */
  private static List<BehavioralRule> rulesOf(List<ScoringModel> scoringModels, ModelTarget target) {
    return scoringModels.stream().filter(m -> m.definition().target() == target)
        .flatMap(m -> m.definition().rules().stream())
        .filter(BehavioralRule.class::isInstance).map(BehavioralRule.class::cast)
        .distinct().toList();
  }

  private Future<Void> write(SqlConnection conn, List<Lead> locked, List<ScoringModel> scoringModels, Gathered gathered,
      Map<UUID, List<LeadScore>> before, Map<String, ProcessMachine> machines, boolean announceGrades, Instant now,
      Counters counters) {
    List<NewScore> newScores = new ArrayList<>();
    List<TimelineStore.Entries> entries = new ArrayList<>();
    List<OutboxStore.Event> events = new ArrayList<>();
    List<LeadStore.ScoredState> scoredStates = new ArrayList<>();
    for (Lead lead : locked) {
      List<LeadScore> earlier = before.getOrDefault(lead.id(), List.of());
      List<NewScore> leadScores = new ArrayList<>();
      ScoringModel reached = null;
      ScoreResult reachedScore = null;
      boolean scoredNow = false;
      for (ScoringModel model : scoringModels) {
        Facts leadFacts = gathered.of(lead, model);
        if (leadFacts == null || ScoringEngine.unscorableReason(model.definition(), leadFacts) != null) {
          continue;
        }
        ScoreResult result = ScoringEngine.score(model.definition(), leadFacts);
        scoredNow = true;
        leadScores.add(new NewScore(lead.id(), model.id(), result.score(), result.grade(), result.reachesThreshold(),
            explanation(result), now));
        LeadScore previous = earlier.stream().filter(s -> s.modelId().equals(model.id())).findFirst().orElse(null);
        if (announceGrades && previous != null && !Objects.equals(previous.grade(), result.grade())) {
          counters.gradeChanges++;
          events.add(new OutboxStore.Event(SCORE_CHANGED, lead.id(), LeadEventPayload.scoreChanged(lead,
              previous.grade(), previous.score(), ACTOR,
              "model " + model.definition().name() + " (" + model.id() + "): score " + previous.score() + " → "
                  + result.score(), modelResult(model, result))));
        }
        if (reached == null && result.reachesThreshold()) {
          reached = model;
          reachedScore = result;
        }
      }
      if (!scoredNow) {
        continue;
      }
      counters.leadsScored++;
      newScores.addAll(leadScores);
      LeadState state = lead.state();
      if (earlier.isEmpty()) {
        Transition first = apply(machines.get(versionKey(lead)), state, ProcessAction.FIRST_SCORED);
        if (first != null && first.changedAnything()) {
          counters.firstScored++;
          state = record(lead, first, "first scored", null, entries, events);
        }
      }
      if (reached != null && !state.salesReady()) {
        Transition ready = apply(machines.get(versionKey(lead)), state, ProcessAction.MARK_SALES_READY);
        if (ready != null && ready.changedAnything()) {
          counters.salesReady++;
          state = record(lead, ready, "score " + reachedScore.score() + " in model " + reached.definition().name()
              + " reached its sales-ready threshold " + reached.definition().salesReadyThreshold(),
              modelResult(reached, reachedScore), entries, events);
        }
      }
      NewScore best = best(leadScores, earlier, lead.id());
      boolean moved = !state.equals(lead.state());
      if (moved || !Objects.equals(best.score(), lead.bestScore()) || !Objects.equals(best.grade(), lead.bestGrade())) {
        scoredStates.add(new LeadStore.ScoredState(lead.id(), state, moved, best.score(), best.grade()));
      }
    }
    // One statement each, sent together: PostgreSQL runs them in this order on the connection.
    Future<Void> written = scores.upsert(conn, newScores);
    Future<Void> updated = leads.updateScoredStates(conn, scoredStates);
    Future<Void> logged = timeline.appendAll(conn, entries);
    Future<Void> announced = outbox.addAll(conn, events);
    return Future.all(written, updated, logged, announced).mapEmpty();
  }

  /**
   * The lead's best score among the live models: the ones just computed, and the stored ones of the
   * other live models (the models scored now are live, or being rescored because they went live).
   */
  private static NewScore best(List<NewScore> now, List<LeadScore> earlier, UUID leadId) {
    NewScore best = null;
    for (NewScore score : now) {
      if (best == null || score.score() > best.score()) {
        best = score;
      }
    }
    for (LeadScore stored : earlier) {
      boolean scoredNow = now.stream().anyMatch(n -> n.modelId().equals(stored.modelId()));
      if (!scoredNow && "live".equals(stored.modelStatus()) && (best == null || stored.score() > best.score())) {
        best = new NewScore(leadId, stored.modelId(), stored.score(), stored.grade(), stored.salesReady(), null,
            stored.scoredAt());
      }
    }
    return best;
  }

  /** The transition of a scoring action, or null when the lead's state does not allow it (left as it is). */
  private static Transition apply(ProcessMachine machine, LeadState state, ProcessAction action) {
    try {
      return machine.apply(state, ProcessRequest.of(action));
    } catch (ProcessConflict notNow) {
      return null;
    }
  }

  /** The model and its result, as an event caused by it names them. */
  private static LeadEventPayload.Model modelResult(ScoringModel model, ScoreResult result) {
    return new LeadEventPayload.Model(model.id(), model.definition().name(), result.score(), result.grade(),
        model.definition().salesReadyThreshold());
  }

  /**
   * Adds a transition's timeline entries and events ({@code model}: the model whose result caused it,
   * or null); returns the state after it.
   */
  private static LeadState record(Lead lead, Transition transition, String reason, LeadEventPayload.Model model,
      List<TimelineStore.Entries> entries, List<OutboxStore.Event> events) {
    entries.add(new TimelineStore.Entries(lead.id(), transition.changes(), ACTOR, reason));
    Lead after = lead.withState(transition.after());
    JsonObject payload = LeadEventPayload.of(after, transition.changes(), ACTOR, reason, model);
    transition.events().forEach(type -> events.add(new OutboxStore.Event(type, lead.id(), payload)));
    return transition.after();
  }

  private static JsonArray explanation(ScoreResult result) {
    JsonArray explanation = new JsonArray();
    for (RuleResult rule : result.explanation()) {
      explanation.add(new JsonObject().put("ruleId", rule.ruleId()).put("points", JsonViews.points(rule.points()))
          .put("occurrences", rule.occurrences()));
    }
    return explanation;
  }
}
